package dev.partyline.core.auth;

import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;

/** Anyone may play under the name they type, with a fresh random id. The default. */
public final class GuestAuthenticator implements Authenticator {
    @Override
    public Player authenticate(TicketRequest request) throws AuthException {
        return new Player(PlayerId.random(), DisplayNames.clean(request.name()));
    }
}
