package dev.partyline.games.chat;

import dev.partyline.core.game.RoomType;

/** The {@code chat} room type: {@link ChatRoom} logic, at most {@link #maxMembers()} members per room. */
public final class ChatRoomType {
    /** The type's name in {@code create} requests. */
    public static final String NAME = "chat";
    public static final int DEFAULT_MAX_MEMBERS = 100;

    private final int maxMembers;

    /** Rooms of at most {@value #DEFAULT_MAX_MEMBERS} members. */
    public ChatRoomType() {
        this(DEFAULT_MAX_MEMBERS);
    }

    /** @throws IllegalArgumentException when {@code maxMembers} is not positive */
    public ChatRoomType(int maxMembers) {
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers must be positive: " + maxMembers);
        }
        this.maxMembers = maxMembers;
    }

    public int maxMembers() {
        return maxMembers;
    }

    /** The room type to register: name {@value #NAME}, a new {@link ChatRoom} per room. */
    public RoomType roomType() {
        return new RoomType(NAME, ChatRoom::new, maxMembers);
    }
}
