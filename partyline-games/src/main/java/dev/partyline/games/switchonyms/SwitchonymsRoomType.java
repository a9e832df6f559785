package dev.partyline.games.switchonyms;

import dev.partyline.core.game.RoomType;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The {@code switchonyms} room type: {@link SwitchonymsRoom} logic, at most
 * {@value #MAX_PLAYERS} players per room, dealing from {@link WordLists#standard()} unless told
 * otherwise. Thread-safe: the factory it hands out may be called from any thread.
 */
public final class SwitchonymsRoomType {
    /** The type's name in {@code create} requests. */
    public static final String NAME = "switchonyms";
    public static final int MAX_PLAYERS = 12;
    /** The shortest round a room may ask for unless the server allows shorter ones. */
    public static final int DEFAULT_MIN_ROUND_SECONDS = 20;

    private final int minRoundSeconds;
    private final WordLists words;
    private final Supplier<? extends Random> randoms;

    /** Rounds of at least {@value #DEFAULT_MIN_ROUND_SECONDS} seconds, the standard words, unseeded draws. */
    public SwitchonymsRoomType() {
        this(DEFAULT_MIN_ROUND_SECONDS);
    }

    /**
     * @param minRoundSeconds the shortest {@code roundSeconds} a room may ask for (the server flag
     *        {@code --min-round-seconds}), 1 to {@value SwitchonymsRoom#MAX_ROUND_SECONDS}
     * @throws IllegalArgumentException when {@code minRoundSeconds} is out of range
     */
    public SwitchonymsRoomType(int minRoundSeconds) {
        this(minRoundSeconds, WordLists.standard(), Random::new);
    }

    /**
     * @param randoms a new {@link Random} for each room; a seeded one makes games repeatable in tests
     * @throws IllegalArgumentException when {@code minRoundSeconds} is out of range
     */
    public SwitchonymsRoomType(int minRoundSeconds, WordLists words, Supplier<? extends Random> randoms) {
        if (minRoundSeconds < 1 || minRoundSeconds > SwitchonymsRoom.MAX_ROUND_SECONDS) {
            throw new IllegalArgumentException("minRoundSeconds must be 1 to " + SwitchonymsRoom.MAX_ROUND_SECONDS
                    + ": " + minRoundSeconds);
        }
        this.minRoundSeconds = minRoundSeconds;
        this.words = Objects.requireNonNull(words, "words");
        this.randoms = Objects.requireNonNull(randoms, "randoms");
    }

    public int minRoundSeconds() {
        return minRoundSeconds;
    }

    /** The room type to register: name {@value #NAME}, a new {@link SwitchonymsRoom} per room. */
    public RoomType roomType() {
        return new RoomType(NAME, () -> new SwitchonymsRoom(minRoundSeconds, words, randoms.get()), MAX_PLAYERS);
    }
}
