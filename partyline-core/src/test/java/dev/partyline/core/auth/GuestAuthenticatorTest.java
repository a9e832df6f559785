package dev.partyline.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.core.game.Player;
import org.junit.jupiter.api.Test;

class GuestAuthenticatorTest {
    private final GuestAuthenticator guests = new GuestAuthenticator();

    @Test
    void aGuestPlaysUnderTheNameItTyped() throws AuthException {
        Player player = guests.authenticate(new TicketRequest(null, "  Ann  ", "192.0.2.1"));

        assertThat(player.name()).isEqualTo("Ann");
    }

    @Test
    void everyGuestGetsAFreshId() throws AuthException {
        Player first = guests.authenticate(new TicketRequest(null, "Ann", "192.0.2.1"));
        Player second = guests.authenticate(new TicketRequest(null, "Ann", "192.0.2.1"));

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(first.id().value()).startsWith("p");
    }

    @Test
    void aGuestWithoutANameIsCalledGuestAndANumber() throws AuthException {
        Player player = guests.authenticate(new TicketRequest(null, null, "192.0.2.1"));

        assertThat(player.name()).matches("Guest \\d{4}");
    }

    @Test
    void aBadNameIsABadRequest() {
        assertThatThrownBy(() -> guests.authenticate(new TicketRequest(null, "x".repeat(25), "192.0.2.1")))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.isBadRequest()).isTrue());
    }
}
