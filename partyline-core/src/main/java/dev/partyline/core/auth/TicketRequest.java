package dev.partyline.core.auth;

/**
 * What a client presented when it asked for a ticket.
 *
 * @param bearerToken the token of an {@code Authorization: Bearer} header, or null
 * @param name the display name of the request body, or null
 * @param remoteAddress the client's IP address
 */
public record TicketRequest(String bearerToken, String name, String remoteAddress) {}
