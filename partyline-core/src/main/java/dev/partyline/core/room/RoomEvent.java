package dev.partyline.core.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.session.Session;
import dev.partyline.protocol.ClientMessage;

/** Everything that can happen to a room; posted to its mailbox and handled there in order. */
public sealed interface RoomEvent {
    /** An event that answers one client request: exactly one reply goes to {@code session}. */
    sealed interface Request extends RoomEvent {
        Session session();

        long requestId();
    }

    /** The host creates the room and joins it; {@code options} is an object or null. */
    record Create(Session session, long requestId, JsonNode options) implements Request {}

    record Join(Session session, long requestId) implements Request {}

    record Leave(Session session, long requestId) implements Request {}

    /** A {@code send} request to the room's logic; {@code data} may be null. */
    record Message(Session session, long requestId, String name, JsonNode data) implements Request {}

    /** The member's socket dropped; it keeps its seat. */
    record Away(Session session) implements RoomEvent {}

    /**
     * The member's session has a socket again and has read this room up to {@code position}
     * (null when the client did not say).
     */
    record Back(Session session, ClientMessage.RoomPosition position) implements RoomEvent {}

    /** The member's session ended without coming back. */
    record TimedOut(Session session) implements RoomEvent {}

    /** Close the room now (node shutting down, or empty past its grace period). */
    record Close() implements RoomEvent {}
}
