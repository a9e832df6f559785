package dev.partyline.core.game;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A kind of room the server hosts: its name in {@code create} requests, a factory for its
 * logic (one instance per room) and the most members a room of it takes.
 */
public record RoomType(String name, Supplier<? extends RoomLogic> logic, int maxMembers) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public RoomType {
        Objects.requireNonNull(logic, "logic");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("room type names are lower-case words: " + name);
        }
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers must be positive: " + maxMembers);
        }
    }
}
