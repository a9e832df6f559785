package dev.partyline.core.auth;

import java.util.concurrent.ThreadLocalRandom;

/** The rules for display names: trimmed, 1 to {@value #MAX_LENGTH} characters, no control characters. */
public final class DisplayNames {
    public static final int MAX_LENGTH = 24;

    private DisplayNames() {}

    /**
     * The cleaned name, or a "Guest 1234" name when {@code raw} is null or blank.
     *
     * @throws AuthException when the name is too long or holds control characters
     */
    public static String clean(String raw) throws AuthException {
        if (raw == null || raw.isBlank()) {
            return "Guest " + ThreadLocalRandom.current().nextInt(1000, 10000);
        }
        String name = raw.strip();
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw AuthException.badRequest("Names are at most " + MAX_LENGTH + " characters.");
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw AuthException.badRequest("Names cannot contain control characters.");
        }
        return name;
    }
}
