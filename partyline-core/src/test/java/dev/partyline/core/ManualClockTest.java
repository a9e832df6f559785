package dev.partyline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.core.room.Mailbox;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private final ManualClock clock = new ManualClock();
    private final List<String> ran = new ArrayList<>();

    @Test
    void timeStandsStillUntilAdvanced() {
        Instant start = clock.instant();

        assertThat(clock.instant()).isEqualTo(start).isEqualTo(ManualClock.DEFAULT_START);
        clock.advance(Duration.ofMillis(1500));
        assertThat(clock.millis()).isEqualTo(start.toEpochMilli() + 1500);
    }

    @Test
    void timersRunInTimeOrderWhenTheirTimeComes() {
        clock.schedule(Duration.ofSeconds(2), () -> ran.add("two@" + clock.millis()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("one@" + clock.millis()));
        clock.schedule(Duration.ofSeconds(3), () -> ran.add("three"));
        long start = clock.millis();

        clock.advance(Duration.ofMillis(2000));

        assertThat(ran).containsExactly("one@" + (start + 1000), "two@" + (start + 2000));
        assertThat(clock.millis()).isEqualTo(start + 2000);
        assertThat(clock.pendingTimers()).isEqualTo(1);
    }

    @Test
    void timersDueAtTheSameInstantRunInTheOrderTheyWereSet() {
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("b"));

        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void aCancelledTimerNeverRuns() {
        Mailbox.Cancellable timer = clock.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        timer.cancel();
        timer.cancel();

        clock.advance(Duration.ofSeconds(5));

        assertThat(ran).isEmpty();
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void aTimerSetByATimerRunsInTheSameAdvanceWhenDue() {
        clock.schedule(Duration.ofSeconds(1), () -> {
            ran.add("first");
            clock.schedule(Duration.ofSeconds(1), () -> ran.add("second"));
            clock.schedule(Duration.ofSeconds(10), () -> ran.add("later"));
        });

        clock.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void aZeroDelayTimerRunsOnTheNextAdvance() {
        clock.schedule(Duration.ZERO, () -> ran.add("now"));
        assertThat(ran).isEmpty();

        clock.advance(Duration.ZERO);

        assertThat(ran).containsExactly("now");
    }

    @Test
    void timeNeverGoesBack() {
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aViewInAnotherZoneMovesWithTheClock() {
        var paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(1));

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(clock.instant());
    }
}
