package dev.partyline.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedJoinThrottleTest {
    private final ManualClock clock = new ManualClock();
    private final FailedJoinThrottle throttle = new FailedJoinThrottle(clock, 3);

    @Test
    void anAddressWithoutFailuresIsNotBlocked() {
        assertThat(throttle.isBlocked("192.0.2.1")).isFalse();
    }

    @Test
    void anAddressIsBlockedOnceItUsedUpItsFailures() {
        throttle.recordFailure("192.0.2.1");
        throttle.recordFailure("192.0.2.1");
        assertThat(throttle.isBlocked("192.0.2.1")).isFalse();

        throttle.recordFailure("192.0.2.1");

        assertThat(throttle.isBlocked("192.0.2.1")).isTrue();
    }

    @Test
    void otherAddressesAreNotBlocked() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("192.0.2.1");
        }

        assertThat(throttle.isBlocked("192.0.2.2")).isFalse();
    }

    @Test
    void theBlockEndsWithTheMinute() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("192.0.2.1");
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.isBlocked("192.0.2.1")).isTrue();

        clock.advance(Duration.ofSeconds(1));

        assertThat(throttle.isBlocked("192.0.2.1")).isFalse();
    }

    @Test
    void failuresInAnEndedWindowDoNotCount() {
        throttle.recordFailure("192.0.2.1");
        throttle.recordFailure("192.0.2.1");
        clock.advance(Duration.ofMinutes(1));

        throttle.recordFailure("192.0.2.1");
        throttle.recordFailure("192.0.2.1");

        assertThat(throttle.isBlocked("192.0.2.1")).isFalse();
    }

    @Test
    void sweepingStaleWindowsKeepsTheFreshOnes() {
        for (int i = 0; i < 20_000; i++) {
            throttle.recordFailure("10.0." + (i / 256) + "." + (i % 256));
            if (i == 10_000) {
                clock.advance(Duration.ofMinutes(2));
            }
        }
        // The sweep dropped the stale windows; the fresh ones still count.
        assertThat(throttle.isBlocked("10.0.0.1")).isFalse();
        for (int i = 0; i < 2; i++) {
            throttle.recordFailure("10.0.78.10"); // failed once already, after the clock moved
        }
        assertThat(throttle.isBlocked("10.0.78.10")).isTrue();
    }
}
