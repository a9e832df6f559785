package dev.partyline.core.room;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Draws join codes: 4 letters without I and O (they read as 1 and 0), from {@link SecureRandom}
 * so codes cannot be predicted, never a word on the blocklist. Thread-safe.
 */
public final class JoinCodes {
    /** A–Z without I and O: 24 letters, 331,776 codes. */
    public static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String BLOCKLIST_RESOURCE = "/dev/partyline/core/room/blocklist.txt";
    private static final int MAX_ATTEMPTS = 1_000;

    private final SecureRandom random = new SecureRandom();
    private final Set<String> blocklist;

    public JoinCodes() {
        this(loadBlocklist());
    }

    JoinCodes(Set<String> blocklist) {
        this.blocklist = Set.copyOf(blocklist);
    }

    /**
     * A code for which {@code isFree} answered true, and which is not blocked.
     *
     * @throws IllegalStateException when no free code turned up in many draws (the code space is nearly full)
     */
    public RoomCode next(Predicate<RoomCode> isFree) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            RoomCode code = draw();
            if (!isBlocked(code) && isFree.test(code)) {
                return code;
            }
        }
        throw new IllegalStateException("no free join code after " + MAX_ATTEMPTS + " draws");
    }

    /** Whether the code spells or contains a rude word of the blocklist. */
    public boolean isBlocked(RoomCode code) {
        String value = code.value();
        for (int start = 0; start < value.length(); start++) {
            for (int end = start + 3; end <= value.length(); end++) {
                if (blocklist.contains(value.substring(start, end))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The words (upper case) codes never contain; shared with word lists that must avoid them. */
    public Set<String> blocklist() {
        return blocklist;
    }

    private RoomCode draw() {
        char[] letters = new char[RoomCode.LENGTH];
        for (int i = 0; i < letters.length; i++) {
            letters[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new RoomCode(new String(letters));
    }

    private static Set<String> loadBlocklist() {
        try (InputStream in = JoinCodes.class.getResourceAsStream(BLOCKLIST_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BLOCKLIST_RESOURCE);
            }
            Set<String> words = new HashSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toUpperCase(Locale.ROOT));
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
