package dev.partyline.core.limit;

import static dev.partyline.core.limit.MessageRateGuard.Verdict.ACCEPT;
import static dev.partyline.core.limit.MessageRateGuard.Verdict.DISCONNECT;
import static dev.partyline.core.limit.MessageRateGuard.Verdict.REFUSE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageRateGuardTest {
    private final ManualClock clock = new ManualClock();
    /** 10 per second, burst 3, disconnect after 2 refusals in a row. */
    private final Limits limits = new Limits(64 * 1024, 10, 3, 2,
            Duration.ofSeconds(5), Duration.ofSeconds(20), 2, 20, 500, 1024 * 1024,
            Duration.ofSeconds(120), Duration.ofSeconds(30));

    @Test
    void messagesWithinTheBurstAreAccepted() {
        MessageRateGuard guard = new MessageRateGuard(clock, limits);

        assertThat(guard.check()).isEqualTo(ACCEPT);
        assertThat(guard.check()).isEqualTo(ACCEPT);
        assertThat(guard.check()).isEqualTo(ACCEPT);
    }

    @Test
    void aMessageOverTheRateIsRefused() {
        MessageRateGuard guard = new MessageRateGuard(clock, limits);
        for (int i = 0; i < 3; i++) {
            guard.check();
        }

        assertThat(guard.check()).isEqualTo(REFUSE);
    }

    @Test
    void aClientThatKeepsGoingPastTheRefusalsIsDisconnected() {
        MessageRateGuard guard = new MessageRateGuard(clock, limits);
        for (int i = 0; i < 3; i++) {
            guard.check();
        }

        assertThat(guard.check()).isEqualTo(REFUSE);
        assertThat(guard.check()).isEqualTo(REFUSE);
        assertThat(guard.check()).isEqualTo(DISCONNECT);
    }

    @Test
    void anAcceptedMessageResetsTheRefusalsInARow() {
        MessageRateGuard guard = new MessageRateGuard(clock, limits);
        for (int i = 0; i < 3; i++) {
            guard.check();
        }
        guard.check();
        guard.check();

        clock.advance(Duration.ofMillis(100));
        assertThat(guard.check()).isEqualTo(ACCEPT);

        assertThat(guard.check()).isEqualTo(REFUSE);
        assertThat(guard.check()).isEqualTo(REFUSE);
        assertThat(guard.check()).isEqualTo(DISCONNECT);
    }

    @Test
    void defaultsAllowThirtyPerSecondWithABurstOfSixty() {
        MessageRateGuard guard = new MessageRateGuard(clock, Limits.DEFAULTS);
        for (int i = 0; i < 60; i++) {
            assertThat(guard.check()).as("message %d", i).isEqualTo(ACCEPT);
        }
        assertThat(guard.check()).isEqualTo(REFUSE);
    }
}
