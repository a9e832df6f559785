package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
    private final ReconnectPolicy policy =
            new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.5, 10);

    @Test
    void ceilingDoublesFromTheInitialDelayUpToTheMaximum() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.ceiling(6)).isEqualTo(Duration.ofMillis(3200));
        assertThat(policy.ceiling(7)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void ceilingStaysAtTheMaximumForHugeAttemptNumbers() {
        assertThat(policy.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void delayStaysWithinTheJitterBoundsOfEachAttempt() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 12; attempt++) {
            Duration ceiling = policy.ceiling(attempt);
            for (int draw = 0; draw < 1_000; draw++) {
                Duration delay = policy.delay(attempt, random);
                assertThat(delay).isLessThanOrEqualTo(ceiling);
                assertThat(delay).isGreaterThanOrEqualTo(ceiling.dividedBy(2));
            }
        }
    }

    @Test
    void jitterSpreadsTheDelaysOfClientsThatDroppedTogether() {
        Random random = new Random(7);
        Set<Duration> delays = new HashSet<>();
        for (int client = 0; client < 100; client++) {
            delays.add(policy.delay(3, random));
        }
        assertThat(delays).hasSizeGreaterThan(90);
    }

    @Test
    void delayIsExactlyTheCeilingWithoutJitter() {
        ReconnectPolicy exact = new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 0.0, 5);
        assertThat(exact.delay(2, new Random(1))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void fullJitterMayCutTheDelayToZeroButNeverBelow() {
        ReconnectPolicy full = new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 1.0, 5);
        Random random = new Random(3);
        for (int draw = 0; draw < 1_000; draw++) {
            assertThat(full.delay(1, random)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        }
    }

    @Test
    void defaultsReconnectWithoutEndAndDisabledDoesNot() {
        assertThat(ReconnectPolicy.defaults().enabled()).isTrue();
        assertThat(ReconnectPolicy.defaults().maxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(ReconnectPolicy.disabled().enabled()).isFalse();
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new ReconnectPolicy(true, Duration.ZERO, Duration.ofSeconds(1), 2, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new ReconnectPolicy(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> policy.ceiling(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
