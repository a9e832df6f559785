package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomCodeTest {

    @Test
    void parseTrimsAndUpperCases() {
        assertThat(RoomCode.parse("  bcdf \t")).contains(new RoomCode("BCDF"));
        assertThat(RoomCode.parse("BcDf")).contains(new RoomCode("BCDF"));
        assertThat(RoomCode.parse("WXYZ")).contains(new RoomCode("WXYZ"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "BCD", "BCDFG", "BCIF", "OBCD", "bcio", "BC1F", "0BCD", "BC D", "BC-D", "ÄBCD",
            "B\u0000CD"})
    void parseRefusesWhatCannotBeACode(String input) {
        assertThat(RoomCode.parse(input)).isEmpty();
    }

    @Test
    void constructorRefusesLowerCaseAndBadLetters() {
        assertThatThrownBy(() -> new RoomCode("bcdf")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RoomCode("BCDI")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RoomCode(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsAsItsLetters() {
        assertThat(new RoomCode("BCDF")).hasToString("BCDF");
    }
}
