package dev.partyline.client;

import dev.partyline.protocol.ServerMessage;
import java.util.List;
import java.util.Map;

/**
 * What a reconnect achieved. Immutable.
 *
 * <p>After a resume ({@link #resumed()}) the player, the session and the rooms are the same:
 * the missed events come to the event listeners, or a {@code resync} snapshot to the state
 * listeners, and {@code rejoined} and {@code failed} are empty. A room that closed meanwhile is
 * told to the error listeners ({@code room_closed}). After a fresh session (the server refused
 * the resume) the client joined its rooms again: {@code rejoined} and {@code failed} say how
 * that went.
 *
 * @param welcome the {@code welcome} of the new connection; never null
 * @param attempts how many attempts it took, 1 or more
 * @param rejoined the snapshot of each room joined again (fresh session only)
 * @param failed the rooms that could not be joined again, with why; a room refused by the
 *     server ({@code room_not_found}: its grace period ended) is forgotten by the client
 * @param resent how many requests that were on the wire without a reply were sent again under
 *     their ids (resume only; the server answers those it ran already from memory)
 */
public record Reconnected(ServerMessage.Welcome welcome, int attempts, List<ServerMessage.State> rejoined,
                          Map<String, PartylineException> failed, int resent) {
    /** Copies the collections. */
    public Reconnected {
        rejoined = List.copyOf(rejoined);
        failed = Map.copyOf(failed);
    }

    /** A reconnect that sent no request again. */
    public Reconnected(ServerMessage.Welcome welcome, int attempts, List<ServerMessage.State> rejoined,
                       Map<String, PartylineException> failed) {
        this(welcome, attempts, rejoined, failed, 0);
    }

    /** Whether the session was resumed (nothing lost), rather than started over with a fresh ticket. */
    public boolean resumed() {
        return welcome.resumed();
    }
}
