package dev.partyline.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayNamesTest {

    @Test
    void namesAreTrimmed() throws AuthException {
        assertThat(DisplayNames.clean("\t Ann Lee \n")).isEqualTo("Ann Lee");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void aMissingNameBecomesAGuestName(String raw) throws AuthException {
        assertThat(DisplayNames.clean(raw)).matches("Guest [1-9]\\d{3}");
    }

    @Test
    void twentyFourCharactersAreAllowed() throws AuthException {
        assertThat(DisplayNames.clean("x".repeat(24))).hasSize(24);
    }

    @Test
    void twentyFiveCharactersAreTooMany() {
        assertThatThrownBy(() -> DisplayNames.clean("x".repeat(25)))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("24");
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() throws AuthException {
        String emoji = "\uD83C\uDF89"; // one party popper, two UTF-16 units
        assertThat(DisplayNames.clean(emoji.repeat(24))).isEqualTo(emoji.repeat(24));
        assertThatThrownBy(() -> DisplayNames.clean(emoji.repeat(25))).isInstanceOf(AuthException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ann\u0000", "A\nnn", "An\u0007n", "Ann\u202E", "\u200BAnn"})
    void controlAndFormatCharactersAreRefused(String raw) {
        assertThatThrownBy(() -> DisplayNames.clean(raw))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.isBadRequest()).isTrue());
    }

    @Test
    void lettersOfAnyScriptAreFine() throws AuthException {
        assertThat(DisplayNames.clean("Zoë 王 Ωmega")).isEqualTo("Zoë 王 Ωmega");
    }
}
