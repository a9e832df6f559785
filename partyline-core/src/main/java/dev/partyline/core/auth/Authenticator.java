package dev.partyline.core.auth;

import dev.partyline.core.game.Player;

/**
 * Turns a ticket request into a player. The hook for applications that bring their own
 * identity; the server ships a guest authenticator and a JWT one. Called on an I/O thread:
 * must not block for long.
 */
public interface Authenticator {

    /** @throws AuthException when the request proves no identity or is malformed */
    Player authenticate(TicketRequest request) throws AuthException;
}
