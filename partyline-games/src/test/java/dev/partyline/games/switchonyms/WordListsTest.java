package dev.partyline.games.switchonyms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.core.room.JoinCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shipped word lists, read as files, and the rules {@link WordLists} enforces. */
class WordListsTest {
    private static final Map<Category, Integer> AT_LEAST =
            Map.of(Category.NOUNS, 300, Category.VERBS, 200, Category.ADJECTIVES, 200);

    @ParameterizedTest
    @EnumSource(Category.class)
    void eachListHasEnoughWords(Category category) throws IOException {
        assertThat(lines(category)).hasSizeGreaterThanOrEqualTo(AT_LEAST.get(category));
        assertThat(WordLists.standard().of(category)).hasSameSizeAs(lines(category));
    }

    @ParameterizedTest
    @EnumSource(Category.class)
    void everyWordIsOneLowerCaseWordOfPlainLetters(Category category) throws IOException {
        assertThat(lines(category)).allSatisfy(word -> assertThat(word).matches("[a-z]{2,14}"));
    }

    @Test
    void noWordAppearsTwiceWithinOrAcrossTheLists() throws IOException {
        Map<String, List<Category>> where = new HashMap<>();
        for (Category category : Category.values()) {
            for (String word : lines(category)) {
                where.computeIfAbsent(word, w -> new ArrayList<>()).add(category);
            }
        }

        assertThat(where).allSatisfy((word, categories) -> assertThat(categories).as(word).hasSize(1));
    }

    @Test
    void noWordIsOnTheBlocklistNorContainsALongBlockedWord() throws IOException {
        Set<String> blocked = new JoinCodes().blocklist();
        assertThat(blocked).isNotEmpty();
        List<String> offending = new ArrayList<>();
        for (Category category : Category.values()) {
            for (String word : lines(category)) {
                String upper = word.toUpperCase(Locale.ROOT);
                for (String rude : blocked) {
                    // Three-letter entries are too common inside innocent words (class, compass).
                    if (upper.equals(rude) || (rude.length() >= 4 && upper.contains(rude))) {
                        offending.add(word + " (" + rude + ")");
                    }
                }
            }
        }

        assertThat(offending).isEmpty();
    }

    @Test
    void theStandardListsAreReadOnce() {
        assertThat(WordLists.standard()).isSameAs(WordLists.standard());
    }

    @Test
    void listsOfTheirOwnAreChecked() {
        List<String> fine = List.of("apple");

        assertThatThrownBy(() -> new WordLists(List.of(), List.of("run"), fine))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nouns");
        assertThatThrownBy(() -> new WordLists(List.of("Apple"), List.of("run"), List.of("red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Apple");
        assertThatThrownBy(() -> new WordLists(List.of("ice cream"), List.of("run"), List.of("red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice cream");
        assertThatThrownBy(() -> new WordLists(fine, List.of("run", "run"), List.of("red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run");
        assertThatThrownBy(() -> new WordLists(fine, List.of("run"), fine))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apple");
        assertThat(new WordLists(fine, List.of("run"), List.of("red")).of(Category.VERBS)).containsExactly("run");
    }

    /** The words of the resource file, comments and blank lines skipped, exactly as written. */
    private static List<String> lines(Category category) throws IOException {
        String resource = "/dev/partyline/games/switchonyms/" + category.wire() + ".txt";
        try (InputStream in = WordListsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> words = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line);
                }
            }
            return words;
        }
    }
}
