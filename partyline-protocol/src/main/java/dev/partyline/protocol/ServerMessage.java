package dev.partyline.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A frame the server sends to a client; see {@code docs/protocol.md} for each one's meaning. */
public sealed interface ServerMessage {

    record Welcome(PlayerInfo player, String session, String resume, long heartbeatMs,
                   String node, long serverTime, boolean resumed) implements ServerMessage {}

    /** The one answer to a request: {@code ok} with {@code data}, or not ok with {@code error}. */
    record Reply(long id, boolean ok, JsonNode data, ErrorBody error) implements ServerMessage {
        public static Reply ok(long id, JsonNode data) {
            return new Reply(id, true, data, null);
        }

        public static Reply failure(long id, String code, String message) {
            return new Reply(id, false, null, new ErrorBody(code, message));
        }
    }

    /** Something happened in a room; {@code from} is a player id or null for the server. */
    record Event(String room, long seq, String name, String from, JsonNode data) implements ServerMessage {}

    /**
     * A full snapshot of one room as this player ({@code you}) may see it. {@code resync} marks a
     * snapshot sent on resume instead of a replay (the epoch changed or the log no longer reached
     * back): the client replaces its view of the room with it.
     */
    record State(String room, String type, String epoch, long seq, List<MemberInfo> members,
                 JsonNode state, String you, boolean resync) implements ServerMessage {
        public State {
            members = List.copyOf(members);
        }

        /** A snapshot that is not a resync. */
        public State(String room, String type, String epoch, long seq, List<MemberInfo> members,
                     JsonNode state, String you) {
            this(room, type, epoch, seq, members, state, you, false);
        }

        /** The same snapshot marked as a resync. */
        public State asResync() {
            return new State(room, type, epoch, seq, members, state, you, true);
        }
    }

    /**
     * A problem not tied to one request: a malformed frame, an unknown type, a room lost while
     * away. {@code room} names the room concerned, or is null.
     */
    record Error(String code, String message, String room) implements ServerMessage {
        /** An error about no room in particular. */
        public Error(String code, String message) {
            this(code, message, null);
        }
    }

    /** Reconnect to {@code url} and present {@code code} there. */
    record Transfer(String url, String code) implements ServerMessage {}

    record PlayerInfo(String id, String name) {}

    /** One room member as others see it: {@code online} is false while its socket is away. */
    record MemberInfo(String id, String name, boolean online, boolean host) {}

    record ErrorBody(String code, String message) {}
}
