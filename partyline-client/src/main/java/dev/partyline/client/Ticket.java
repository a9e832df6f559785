package dev.partyline.client;

import dev.partyline.protocol.ServerMessage;

/**
 * A single-use, short-lived ticket for opening one WebSocket, as {@code POST /api/tickets}
 * answers it. Immutable.
 *
 * @param ticket the secret to present on {@code /ws}; never null
 * @param expiresInMs how long it is valid from issue, in milliseconds (0 when the server did not say)
 * @param player who the ticket is for, or null when the server did not say
 */
public record Ticket(String ticket, long expiresInMs, ServerMessage.PlayerInfo player) {}
