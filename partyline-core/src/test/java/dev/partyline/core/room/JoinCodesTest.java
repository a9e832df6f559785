package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JoinCodesTest {

    @Test
    void alphabetIsTheTwentyFourLettersWithoutIAndO() {
        assertThat(JoinCodes.ALPHABET).hasSize(24).doesNotContain("I", "O");
        assertThat(JoinCodes.ALPHABET.chars().distinct().count()).isEqualTo(24);
        assertThat(JoinCodes.ALPHABET.chars()).allMatch(c -> c >= 'A' && c <= 'Z');
    }

    @Test
    void drawnCodesAreFourLettersOfTheAlphabet() {
        JoinCodes codes = new JoinCodes();
        for (int i = 0; i < 500; i++) {
            RoomCode code = codes.next(c -> true);
            assertThat(code.value()).hasSize(RoomCode.LENGTH);
            assertThat(code.value().chars()).allMatch(c -> JoinCodes.ALPHABET.indexOf(c) >= 0);
        }
    }

    @Test
    void drawsUseTheWholeAlphabet() {
        JoinCodes codes = new JoinCodes();
        Set<Integer> letters = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            codes.next(c -> true).value().chars().forEach(letters::add);
        }
        assertThat(letters).hasSize(24);
    }

    @Test
    void aCodeThatContainsABlockedWordIsBlocked() {
        JoinCodes codes = new JoinCodes(Set.of("BAD", "WXYZ"));

        assertThat(codes.isBlocked(new RoomCode("BADE"))).isTrue();
        assertThat(codes.isBlocked(new RoomCode("XBAD"))).isTrue();
        assertThat(codes.isBlocked(new RoomCode("WXYZ"))).isTrue();
        assertThat(codes.isBlocked(new RoomCode("BADD"))).isTrue();
        assertThat(codes.isBlocked(new RoomCode("BDAB"))).isFalse();
        assertThat(codes.isBlocked(new RoomCode("WXYA"))).isFalse();
    }

    @Test
    void shippedBlocklistIsLoadedAndBlocksItsWords() {
        JoinCodes codes = new JoinCodes();

        assertThat(codes.blocklist()).isNotEmpty().contains("DAMN", "ASS");
        assertThat(codes.blocklist()).allMatch(word -> word.equals(word.toUpperCase()) && !word.startsWith("#"));
        assertThat(codes.isBlocked(new RoomCode("DAMN"))).isTrue();
        assertThat(codes.isBlocked(new RoomCode("PASS"))).isTrue();
    }

    @Test
    void drawnCodesNeverContainABlockedWord() {
        // Every 3-letter word starting with A to L is blocked: three draws in four hit the list.
        Set<String> blocklist = new HashSet<>();
        String firstHalf = JoinCodes.ALPHABET.substring(0, 12);
        for (char a : firstHalf.toCharArray()) {
            for (char b : JoinCodes.ALPHABET.toCharArray()) {
                for (char c : JoinCodes.ALPHABET.toCharArray()) {
                    blocklist.add("" + a + b + c);
                }
            }
        }
        JoinCodes codes = new JoinCodes(blocklist);
        List<RoomCode> offered = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            RoomCode code = codes.next(c -> offered.add(c));
            assertThat(codes.isBlocked(code)).isFalse();
            assertThat(firstHalf).doesNotContain(code.value().substring(0, 1), code.value().substring(1, 2));
        }
        // Blocked codes are never even offered to the free-check (no claim on a rude code).
        assertThat(offered).noneMatch(codes::isBlocked);
    }

    @Test
    void aCodeIsNeverOneThatIsFreeSaysIsTaken() {
        JoinCodes codes = new JoinCodes(Set.of());
        Set<RoomCode> taken = new HashSet<>();

        for (int i = 0; i < 2_000; i++) {
            codes.next(taken::add); // add answers false for a code already taken
        }

        assertThat(taken).hasSize(2_000);
    }

    @Test
    void whenNoCodeIsFreeDrawingGivesUp() {
        JoinCodes codes = new JoinCodes(Set.of());

        assertThatThrownBy(() -> codes.next(c -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no free join code");
    }
}
