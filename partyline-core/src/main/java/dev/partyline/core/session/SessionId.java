package dev.partyline.core.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** Identifies one player session; public (it appears in {@code welcome}), unlike the resume token. */
public record SessionId(String value) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public SessionId {
        Objects.requireNonNull(value, "value");
    }

    public static SessionId random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return new SessionId("s" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
