package dev.partyline.client;

import dev.partyline.protocol.ServerMessage;
import java.util.List;
import java.util.Map;

/**
 * What a reconnect achieved: the new session, and the rooms joined again. Immutable.
 *
 * @param welcome the {@code welcome} of the new connection; never null
 * @param attempts how many attempts it took, 1 or more
 * @param rejoined the snapshot of each room joined again
 * @param failed the rooms that could not be joined again, with why; a room refused by the
 *     server ({@code room_not_found}: its grace period ended) is forgotten by the client
 */
public record Reconnected(ServerMessage.Welcome welcome, int attempts, List<ServerMessage.State> rejoined,
                          Map<String, PartylineException> failed) {
    /** Copies the collections. */
    public Reconnected {
        rejoined = List.copyOf(rejoined);
        failed = Map.copyOf(failed);
    }
}
