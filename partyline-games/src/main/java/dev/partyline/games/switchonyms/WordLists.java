package dev.partyline.games.switchonyms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words Switchonyms deals, by {@link Category}: immutable and thread-safe, so one instance
 * serves every room.
 *
 * <p>The standard lists are the resources {@code nouns.txt}, {@code verbs.txt} and
 * {@code adjectives.txt} next to this class: one word a line, blank lines and lines starting with
 * {@code #} ignored. Every word is a single lower-case word of the letters a–z and appears once
 * in all lists together; the constructor refuses lists that break this, so a bad resource stops
 * the server at start-up rather than in a game.
 */
public final class WordLists {
    private static final Pattern WORD = Pattern.compile("[a-z]+");
    private static final String RESOURCE_DIR = "/dev/partyline/games/switchonyms/";

    private final Map<Category, List<String>> words;

    /**
     * Lists of their own, for tests and custom games.
     *
     * @throws IllegalArgumentException when a list is empty, or a word is not lower-case letters
     *         or appears twice (within a list or across lists)
     */
    public WordLists(List<String> nouns, List<String> verbs, List<String> adjectives) {
        Map<Category, List<String>> byCategory = new EnumMap<>(Category.class);
        byCategory.put(Category.NOUNS, List.copyOf(nouns));
        byCategory.put(Category.VERBS, List.copyOf(verbs));
        byCategory.put(Category.ADJECTIVES, List.copyOf(adjectives));
        Set<String> seen = new HashSet<>();
        for (Map.Entry<Category, List<String>> entry : byCategory.entrySet()) {
            if (entry.getValue().isEmpty()) {
                throw new IllegalArgumentException("no " + entry.getKey().wire());
            }
            for (String word : entry.getValue()) {
                if (!WORD.matcher(word).matches()) {
                    throw new IllegalArgumentException("not a single lower-case word in "
                            + entry.getKey().wire() + ": \"" + word + "\"");
                }
                if (!seen.add(word)) {
                    throw new IllegalArgumentException("listed twice: " + word);
                }
            }
        }
        this.words = Map.copyOf(byCategory);
    }

    /** The lists shipped with Partyline, read once. */
    public static WordLists standard() {
        return Standard.LISTS;
    }

    /** The words of one category, in list order; immutable. */
    public List<String> of(Category category) {
        return words.get(category);
    }

    private static final class Standard {
        static final WordLists LISTS = new WordLists(
                read(Category.NOUNS), read(Category.VERBS), read(Category.ADJECTIVES));
    }

    private static List<String> read(Category category) {
        String resource = RESOURCE_DIR + category.wire() + ".txt";
        try (InputStream in = WordLists.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<String> words = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word);
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
