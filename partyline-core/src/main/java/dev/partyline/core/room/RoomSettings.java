package dev.partyline.core.room;

import java.time.Duration;

/**
 * Room limits and timings.
 *
 * @param emptyRoomGrace how long a room with no connected member is kept before it closes
 * @param maxRoomsPerSession how many rooms one session may be in at once
 */
public record RoomSettings(Duration emptyRoomGrace, int maxRoomsPerSession) {
    public static final RoomSettings DEFAULTS = new RoomSettings(Duration.ofSeconds(60), 16);
}
