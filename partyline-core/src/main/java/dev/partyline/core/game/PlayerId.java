package dev.partyline.core.game;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** A player's stable identity: opaque to clients, unique per authenticated player. */
public record PlayerId(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public PlayerId {
        Objects.requireNonNull(value, "value");
    }

    /** A fresh random id for a guest. */
    public static PlayerId random() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return new PlayerId("p" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
