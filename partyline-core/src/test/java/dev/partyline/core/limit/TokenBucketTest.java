package dev.partyline.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void aFullBucketAllowsItsBurst() {
        TokenBucket bucket = new TokenBucket(clock, 10, 5);

        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake()).as("take %d", i).isTrue();
        }
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void tokensComeBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(clock, 10, 5);
        for (int i = 0; i < 5; i++) {
            bucket.tryTake();
        }

        clock.advance(Duration.ofMillis(99));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void theBucketNeverHoldsMoreThanItsBurst() {
        TokenBucket bucket = new TokenBucket(clock, 10, 5);

        clock.advance(Duration.ofHours(1));

        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }
        assertThat(taken).isEqualTo(5);
    }

    @Test
    void theSustainedRateIsTheConfiguredOne() {
        TokenBucket bucket = new TokenBucket(clock, 30, 60);
        while (bucket.tryTake()) {
            // empty the burst
        }

        int taken = 0;
        for (int ms = 0; ms < 10_000; ms += 10) {
            clock.advance(Duration.ofMillis(10));
            if (bucket.tryTake()) {
                taken++;
            }
        }

        assertThat(taken).isBetween(299, 300);
    }
}
