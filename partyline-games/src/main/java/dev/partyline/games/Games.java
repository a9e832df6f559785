package dev.partyline.games;

import dev.partyline.core.game.RoomType;
import dev.partyline.games.chat.ChatRoomType;
import dev.partyline.games.switchonyms.SwitchonymsRoomType;
import java.util.List;

/** The room types of this module, with their default settings. */
public final class Games {
    private Games() {}

    /**
     * Every room type this module ships with default settings, ready for a
     * {@code RoomTypeRegistry}; a new list each call.
     */
    public static List<RoomType> all() {
        return all(SwitchonymsRoomType.DEFAULT_MIN_ROUND_SECONDS);
    }

    /**
     * Every room type this module ships; a new list each call.
     *
     * @param minRoundSeconds the shortest Switchonyms round a room may ask for (the server flag
     *        {@code --min-round-seconds}), 1 to 300
     * @throws IllegalArgumentException when {@code minRoundSeconds} is out of range
     */
    public static List<RoomType> all(int minRoundSeconds) {
        return List.of(new ChatRoomType().roomType(), new SwitchonymsRoomType(minRoundSeconds).roomType());
    }
}
