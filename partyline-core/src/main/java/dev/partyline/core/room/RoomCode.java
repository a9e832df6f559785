package dev.partyline.core.room;

import java.util.Locale;
import java.util.Optional;

/** A room's join code: 4 letters of {@link JoinCodes#ALPHABET}, upper case. */
public record RoomCode(String value) {
    public static final int LENGTH = 4;

    public RoomCode {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a join code: " + value);
        }
    }

    /** Reads what a person typed: surrounding spaces ignored, any case; empty when it cannot be a code. */
    public static Optional<RoomCode> parse(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String normalized = input.strip().toUpperCase(Locale.ROOT);
        return isValid(normalized) ? Optional.of(new RoomCode(normalized)) : Optional.empty();
    }

    private static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (JoinCodes.ALPHABET.indexOf(value.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    // Written out: a record's generated equals and hashCode go through an invokedynamic bootstrap
    // that the JIT did not inline here, and every broadcast compares codes once per member.
    @Override
    public boolean equals(Object other) {
        return other instanceof RoomCode code && value.equals(code.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
