package dev.partyline.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A frame a client sends to the server; see {@code docs/protocol.md} for each one's meaning. */
public sealed interface ClientMessage {

    /** A client message that expects exactly one {@link ServerMessage.Reply} with its {@code id}. */
    sealed interface Request extends ClientMessage {
        long id();
    }

    /** First frame when the upgrade URL carried no ticket: a ticket, or a resume token. */
    record Auth(String ticket, String resume, Map<String, RoomPosition> rooms) implements ClientMessage {
        public Auth {
            rooms = rooms == null ? Map.of() : Map.copyOf(rooms);
        }
    }

    /** Create a room of {@code type}; {@code options} is an object or null. */
    record Create(long id, String type, JsonNode options) implements Request {}

    record Join(long id, String room) implements Request {}

    record Leave(long id, String room) implements Request {}

    /** A message to the room's logic; {@code data} may be null. */
    record Send(long id, String room, String name, JsonNode data) implements Request {}

    record Ping(long id) implements Request {}

    /** How far a client has read one room's event log, for resume. */
    record RoomPosition(String epoch, long seq) {}
}
