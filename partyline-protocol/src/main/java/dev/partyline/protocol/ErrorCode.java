package dev.partyline.protocol;

import java.util.Locale;

/**
 * The server's own error codes. On the wire an error code is its lower_snake_case name
 * ({@code ROOM_FULL} → {@code room_full}). Room types may add codes of their own through
 * {@code GameException}; those travel as plain strings.
 */
public enum ErrorCode {
    /** A frame that is not valid JSON, a field of the wrong type, a missing field. */
    BAD_REQUEST,
    /** A frame whose {@code t} the protocol does not define. */
    UNKNOWN_TYPE,
    /** A binary frame: protocol v1 is JSON text frames only. */
    BINARY_NOT_SUPPORTED,
    /** A request before the {@code auth} frame was accepted. */
    NOT_AUTHENTICATED,
    /** A second {@code auth} frame on an authenticated connection. */
    ALREADY_AUTHENTICATED,
    /** A join code that is not 4 letters of the code alphabet. */
    INVALID_CODE,
    ROOM_NOT_FOUND,
    /** A room the session was in closed while the player was away (sent as an {@code error} on resume). */
    ROOM_CLOSED,
    ROOM_FULL,
    /** {@code create} named a room type the server does not host. */
    UNKNOWN_ROOM_TYPE,
    /** {@code leave} or {@code send} for a room the player is not in. */
    NOT_A_MEMBER,
    ALREADY_JOINED,
    /** The player is in as many rooms as one connection may be. */
    TOO_MANY_ROOMS,
    NOT_HOST,
    NAME_TAKEN,
    RATE_LIMITED,
    /** {@code send} with a message name the room type does not handle. */
    UNKNOWN_MESSAGE,
    /** A chat text over the room's length limit. */
    TEXT_TOO_LONG,
    /** A ticket request the authenticator refused. */
    UNAUTHORIZED,
    /** The node is draining and takes no new rooms or connections. */
    SHUTTING_DOWN,
    INTERNAL_ERROR;

    /** The wire form, for example {@code room_full}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
