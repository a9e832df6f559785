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
        return all(minRoundSeconds, ChatRoomType.DEFAULT_MAX_MEMBERS);
    }

    /**
     * Every room type this module ships; a new list each call.
     *
     * @param minRoundSeconds as for {@link #all(int)}
     * @param maxChatMembers the most members a chat room admits (the server flag
     *        {@code --max-chat-members}), at least 1
     * @throws IllegalArgumentException when either is out of range
     */
    public static List<RoomType> all(int minRoundSeconds, int maxChatMembers) {
        return List.of(new ChatRoomType(maxChatMembers).roomType(), new SwitchonymsRoomType(minRoundSeconds).roomType());
    }
}
