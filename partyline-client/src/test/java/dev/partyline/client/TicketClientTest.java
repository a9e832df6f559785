package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * How a ticket answer is read. Requests against the real server are in the app module's
 * {@code TicketClientEndToEndTest}.
 */
class TicketClientTest {

    @Test
    void parsesATicketWithItsPlayer() {
        Ticket ticket = TicketClient.parse(200,
                "{\"ticket\":\"t-1\",\"expiresInMs\":30000,\"player\":{\"id\":\"p1\",\"name\":\"Alice\"}}");

        assertThat(ticket.ticket()).isEqualTo("t-1");
        assertThat(ticket.expiresInMs()).isEqualTo(30_000);
        assertThat(ticket.player().id()).isEqualTo("p1");
        assertThat(ticket.player().name()).isEqualTo("Alice");
    }

    @Test
    void refusalCarriesTheStatusAndTheServersCode() {
        assertThatThrownBy(() -> TicketClient.parse(401,
                "{\"error\":{\"code\":\"unauthorized\",\"message\":\"The token has expired.\"}}"))
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.code()).isEqualTo("unauthorized");
                    assertThat(refused.getMessage()).isEqualTo("The token has expired.");
                });
    }

    @Test
    void refusalWithoutAJsonBodyNamesTheStatus() {
        assertThatThrownBy(() -> TicketClient.parse(502, "<html>Bad Gateway</html>"))
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.code()).isEqualTo("http_502");
                    assertThat(refused.getMessage()).contains("502");
                });
    }

    @Test
    void answerWithoutTicketIsAnError() {
        assertThatThrownBy(() -> TicketClient.parse(200, "{}"))
                .isInstanceOf(PartylineException.class).hasMessageContaining("ticket");
    }
}
