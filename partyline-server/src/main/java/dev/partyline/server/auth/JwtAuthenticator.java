package dev.partyline.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.partyline.core.auth.AuthException;
import dev.partyline.core.auth.Authenticator;
import dev.partyline.core.auth.DisplayNames;
import dev.partyline.core.auth.TicketRequest;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;

/**
 * Players prove who they are with an HS256 JWT signed by the application's secret, sent as
 * {@code Authorization: Bearer}. The player id is the token's {@code sub}; the name its
 * {@code name} claim, else the name of the request body. Expiry ({@code exp}) is enforced.
 */
public final class JwtAuthenticator implements Authenticator {
    private final JWTVerifier verifier;

    public JwtAuthenticator(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the JWT secret must be at least 16 characters");
        }
        this.verifier = JWT.require(Algorithm.HMAC256(secret)).acceptLeeway(5).build();
    }

    @Override
    public Player authenticate(TicketRequest request) throws AuthException {
        if (request.bearerToken() == null) {
            throw AuthException.unauthorized("This server needs a JWT: send Authorization: Bearer <token>.");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(request.bearerToken());
        } catch (JWTVerificationException e) {
            throw AuthException.unauthorized("The bearer token is not valid: bad signature, expired or malformed.");
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 60) {
            throw AuthException.unauthorized("The bearer token has no usable \"sub\" claim.");
        }
        String claimedName = jwt.getClaim("name").asString();
        return new Player(new PlayerId(subject), DisplayNames.clean(claimedName != null ? claimedName : request.name()));
    }
}
