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
 * resume sends as {@code rooms}, and the list of rooms to join again after a reconnect.
 *
 * <p>A snapshot makes the client a member of its room; leaving removes the room. An event
 * can arrive before the snapshot of the join that caused it (replies and room events travel
 * separate paths), so an event for an unknown room is remembered and the higher {@code seq}
 * wins when the snapshot comes. A snapshot with another epoch is a new incarnation of the room
 * and starts over from its {@code seq}. Thread-safe.
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

    /** Records an event's {@code seq}; a lower one than already seen changes nothing. */
    void onEvent(ServerMessage.Event event) {
        rooms.merge(event.room(), new Entry(null, event.seq(), false), (old, now) ->
                now.seq() > old.seq() ? new Entry(old.epoch(), now.seq(), old.member()) : old);
    }

    /** Forgets a room (after leaving it); the code is matched trimmed and upper-cased. */
    void remove(String room) {
        rooms.remove(canonical(room));
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
