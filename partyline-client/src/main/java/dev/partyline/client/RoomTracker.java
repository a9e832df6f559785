package dev.partyline.client;

import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the client has read each room's event log: the {@code epoch} of the room's
 * incarnation and the highest {@code seq} seen, from snapshots and events. This is what a
 * resume sends as {@code rooms}, the list of rooms to join again after a fresh reconnect, and
 * the filter that drops an event seen already (a replay after a resume can repeat one).
 *
 * <p>A snapshot makes the client a member of its room; leaving, or the room closing while the
 * client was away, ends the membership but keeps the position, so that late events of that
 * incarnation are still recognised. An event can arrive before the snapshot of the join that
 * caused it (replies and room events travel separate paths), so an event for an unknown room is
 * remembered and the higher {@code seq} wins when the snapshot comes. A snapshot with another
 * epoch is a new incarnation of the room and starts over from its {@code seq}; a resync snapshot
 * replaces the position whatever it was. Thread-safe.
 */
final class RoomTracker {
    /** One room; {@code epoch} is null until a snapshot told it. */
    private record Entry(String epoch, long seq, boolean member) {}

    private final Map<String, Entry> rooms = new ConcurrentHashMap<>();

    /** Records a snapshot (a {@code state} frame or a join/create reply): the client is a member. */
    void onSnapshot(ServerMessage.State state) {
        rooms.merge(state.room(), new Entry(state.epoch(), state.seq(), true), (old, now) ->
                old.epoch() == null || old.epoch().equals(now.epoch())
                        ? new Entry(now.epoch(), Math.max(old.seq(), now.seq()), true)
                        : now);
    }

    /**
     * Records a resync snapshot: the server could not replay what the client missed, so this
     * snapshot replaces the client's view and its position, even a higher {@code seq}.
     */
    void onResync(ServerMessage.State state) {
        rooms.put(state.room(), new Entry(state.epoch(), state.seq(), true));
    }

    /**
     * Records an event's {@code seq}.
     *
     * @return true when the event is new; false when its {@code seq} is not above the highest
     *     seen in its room (a repeat, to be dropped)
     */
    boolean onEvent(ServerMessage.Event event) {
        boolean[] fresh = new boolean[1];
        rooms.compute(event.room(), (code, old) -> {
            if (old == null) {
                fresh[0] = true;
                return new Entry(null, event.seq(), false);
            }
            if (event.seq() > old.seq()) {
                fresh[0] = true;
                return new Entry(old.epoch(), event.seq(), old.member());
            }
            return old;
        });
        return fresh[0];
    }

    /**
     * Ends the membership (after leaving, or when the room closed); the code is matched trimmed
     * and upper-cased. The position stays known, so late events of the room are still filtered.
     */
    void remove(String room) {
        rooms.computeIfPresent(canonical(room), (code, old) -> new Entry(old.epoch(), old.seq(), false));
    }

    /** Whether the client is a member of this room. */
    boolean isMember(String room) {
        Entry entry = rooms.get(canonical(room));
        return entry != null && entry.member();
    }

    /** The rooms the client is a member of, in no particular order. */
    List<String> memberRooms() {
        List<String> codes = new ArrayList<>();
        rooms.forEach((code, entry) -> {
            if (entry.member()) {
                codes.add(code);
            }
        });
        return codes;
    }

    /** The position in each member room: what a resume's {@code rooms} carries. A copy. */
    Map<String, ClientMessage.RoomPosition> positions() {
        Map<String, ClientMessage.RoomPosition> positions = new LinkedHashMap<>();
        rooms.forEach((code, entry) -> {
            if (entry.member()) {
                positions.put(code, new ClientMessage.RoomPosition(entry.epoch(), entry.seq()));
            }
        });
        return positions;
    }

    /** The position in one room, or null when the client is not a member of it. */
    ClientMessage.RoomPosition position(String room) {
        Entry entry = rooms.get(canonical(room));
        return entry == null || !entry.member() ? null : new ClientMessage.RoomPosition(entry.epoch(), entry.seq());
    }

    /** A join code as the server stores it: trimmed, upper case. */
    static String canonical(String room) {
        return room.trim().toUpperCase(Locale.ROOT);
    }
}
