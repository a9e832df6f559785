package dev.partyline.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When and how often a client reconnects after its connection dropped: exponential backoff
 * from {@code initialDelay}, times {@code multiplier} per attempt, capped at {@code maxDelay},
 * each delay shortened by a random share of at most {@code jitter} so that many clients dropped
 * together do not come back together. Immutable.
 *
 * @param enabled whether to reconnect at all
 * @param initialDelay the delay ceiling of the first attempt; positive
 * @param maxDelay the largest delay ceiling; at least {@code initialDelay}
 * @param multiplier the growth of the ceiling per attempt; at least 1
 * @param jitter the largest share, 0 to 1, cut at random from each delay
 * @param maxAttempts attempts in a row before giving up; at least 1
 */
public record ReconnectPolicy(boolean enabled, Duration initialDelay, Duration maxDelay, double multiplier,
                              double jitter, int maxAttempts) {

    /** Validates the fields; throws {@link IllegalArgumentException} for values out of range. */
    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Reconnect without end: 250 ms doubling up to 10 s, half jitter. */
    public static ReconnectPolicy defaults() {
        return new ReconnectPolicy(true, Duration.ofMillis(250), Duration.ofSeconds(10), 2.0, 0.5, Integer.MAX_VALUE);
    }

    /** Never reconnect: a dropped connection closes the client. */
    public static ReconnectPolicy disabled() {
        return new ReconnectPolicy(false, Duration.ofMillis(250), Duration.ofSeconds(10), 2.0, 0.5, 1);
    }

    /**
     * The longest delay before attempt {@code attempt}: {@code initialDelay × multiplier^(attempt-1)},
     * capped at {@code maxDelay}.
     *
     * @param attempt 1 for the first attempt after a drop
     */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
        }
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
        // Compare as doubles: a large attempt overflows a long long before the cap applies.
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }

    /**
     * The delay before attempt {@code attempt}: uniformly between {@code (1 - jitter) × ceiling}
     * and the {@link #ceiling(int) ceiling}. Thread-safe when {@code random} is.
     */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toNanos();
        return Duration.ofNanos(ceiling - (long) (ceiling * jitter * random.nextDouble()));
    }

    /** This policy, with {@code maxAttempts} changed. */
    public ReconnectPolicy withMaxAttempts(int attempts) {
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, attempts);
    }
}
