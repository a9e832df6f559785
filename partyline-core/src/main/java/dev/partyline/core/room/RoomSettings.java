package dev.partyline.core.room;

import java.time.Duration;

/**
 * Room limits and timings.
 *
 * @param emptyRoomGrace how long a room with no connected member is kept before it closes
 * @param maxRoomsPerSession how many rooms one session may be in at once
 * @param eventLogSize how many recent events a room keeps for players who come back
 * @param eventLogMaxAge how long a room keeps an event for players who come back
 */
public record RoomSettings(Duration emptyRoomGrace, int maxRoomsPerSession, int eventLogSize,
                           Duration eventLogMaxAge) {
    public static final RoomSettings DEFAULTS =
            new RoomSettings(Duration.ofSeconds(60), 16, 1_000, Duration.ofMinutes(10));

    public RoomSettings {
        if (emptyRoomGrace.isNegative() || maxRoomsPerSession < 1 || eventLogSize < 1
                || eventLogMaxAge.toMillis() < 1) {
            throw new IllegalArgumentException("room settings out of range: the event log keeps at least 1 event "
                    + "for at least 1 ms, a session may be in at least 1 room: " + this);
        }
    }

    public RoomSettings withEmptyRoomGrace(Duration value) {
        return new RoomSettings(value, maxRoomsPerSession, eventLogSize, eventLogMaxAge);
    }

    public RoomSettings withMaxRoomsPerSession(int value) {
        return new RoomSettings(emptyRoomGrace, value, eventLogSize, eventLogMaxAge);
    }

    public RoomSettings withEventLog(int size, Duration maxAge) {
        return new RoomSettings(emptyRoomGrace, maxRoomsPerSession, size, maxAge);
    }
}
