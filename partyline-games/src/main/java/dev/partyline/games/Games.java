package dev.partyline.games;

import dev.partyline.core.game.RoomType;
import dev.partyline.games.chat.ChatRoomType;
import java.util.List;

/** The room types of this module, with their default settings. */
public final class Games {
    private Games() {}

    /** Every room type this module ships, ready for a {@code RoomTypeRegistry}; a new list each call. */
    public static List<RoomType> all() {
        return List.of(new ChatRoomType().roomType());
    }
}
