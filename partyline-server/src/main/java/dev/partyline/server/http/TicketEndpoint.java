package dev.partyline.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.auth.AuthException;
import dev.partyline.core.auth.Authenticator;
import dev.partyline.core.auth.TicketRequest;
import dev.partyline.core.auth.Tickets;
import dev.partyline.core.game.Player;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.Json;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/tickets}: proves an identity through the {@link Authenticator} (a guest name
 * in the body, or a bearer token) and answers a single-use ticket for the WebSocket.
 */
public final class TicketEndpoint {
    private final Authenticator authenticator;
    private final Tickets tickets;

    public TicketEndpoint(Authenticator authenticator, Tickets tickets) {
        this.authenticator = authenticator;
        this.tickets = tickets;
    }

    /** Answers one ticket request; never throws for bad input. */
    public FullHttpResponse handle(FullHttpRequest request, String remoteAddress) {
        String name;
        try {
            name = nameOf(request);
        } catch (IllegalArgumentException e) {
            return Responses.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST.wire(), e.getMessage());
        }
        Player player;
        try {
            player = authenticator.authenticate(new TicketRequest(bearerToken(request), name, remoteAddress));
        } catch (AuthException e) {
            return e.isBadRequest()
                    ? Responses.error(HttpResponseStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST.wire(), e.getMessage())
                    : Responses.error(HttpResponseStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED.wire(), e.getMessage());
        }
        String ticket;
        try {
            ticket = tickets.issue(player);
        } catch (IllegalStateException e) {
            return Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.RATE_LIMITED.wire(),
                    "The server is handing out too many tickets right now; try again in a few seconds.");
        }
        var body = Json.nodes().objectNode();
        body.put("ticket", ticket).put("expiresInMs", tickets.ttl().toMillis());
        body.putObject("player").put("id", player.id().value()).put("name", player.name());
        return Responses.json(HttpResponseStatus.OK, body);
    }

    /** The optional {@code name} of a JSON body; an empty body means no name. */
    private static String nameOf(FullHttpRequest request) {
        if (request.content().readableBytes() == 0) {
            return null;
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("The body must be JSON like {\"name\": \"Ann\"}.");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("The body must be a JSON object like {\"name\": \"Ann\"}.");
        }
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual()) {
            throw new IllegalArgumentException("Field \"name\" must be a string.");
        }
        return name.textValue();
    }

    private static String bearerToken(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }
}
