package dev.partyline.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.core.ManualClock;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TicketsTest {
    private final ManualClock clock = new ManualClock();
    private final Tickets tickets = new Tickets(clock, Duration.ofSeconds(30), 3);
    private final Player ann = new Player(new PlayerId("pAnn"), "Ann");

    @Test
    void aTicketRedeemsToItsPlayer() {
        String ticket = tickets.issue(ann);

        assertThat(tickets.redeem(ticket)).contains(ann);
    }

    @Test
    void aTicketIsSingleUse() {
        String ticket = tickets.issue(ann);
        tickets.redeem(ticket);

        assertThat(tickets.redeem(ticket)).isEmpty();
    }

    @Test
    void aTicketIsGoodUntilItsTimeToLiveEnds() {
        String ticket = tickets.issue(ann);

        clock.advance(Duration.ofSeconds(30));

        assertThat(tickets.redeem(ticket)).contains(ann);
    }

    @Test
    void anExpiredTicketIsRefused() {
        String ticket = tickets.issue(ann);

        clock.advance(Duration.ofSeconds(30).plusMillis(1));

        assertThat(tickets.redeem(ticket)).isEmpty();
    }

    @Test
    void unknownAndNullTicketsAreRefused() {
        assertThat(tickets.redeem("not-a-ticket")).isEmpty();
        assertThat(tickets.redeem(null)).isEmpty();
    }

    @Test
    void ticketsAreLongRandomAndUrlSafe() {
        Tickets many = new Tickets(clock, Duration.ofSeconds(30), 1_000);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String ticket = many.issue(ann);
            assertThat(ticket).hasSize(43).matches("[A-Za-z0-9_-]+");
            seen.add(ticket);
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void outstandingTicketsAreBounded() {
        tickets.issue(ann);
        tickets.issue(ann);
        tickets.issue(ann);

        assertThatThrownBy(() -> tickets.issue(ann)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void redeemedTicketsFreeTheirPlace() {
        tickets.issue(ann);
        tickets.issue(ann);
        tickets.redeem(tickets.issue(ann));

        assertThat(tickets.issue(ann)).isNotNull();
    }

    @Test
    void expiredTicketsAreSweptToMakeRoom() {
        tickets.issue(ann);
        tickets.issue(ann);
        tickets.issue(ann);
        clock.advance(Duration.ofSeconds(31));

        String fresh = tickets.issue(ann);

        assertThat(tickets.redeem(fresh)).contains(ann);
    }

    @Test
    void ttlIsTheConfiguredOne() {
        assertThat(tickets.ttl()).isEqualTo(Duration.ofSeconds(30));
    }
}
