package dev.partyline.core.limit;

import java.time.Clock;

/**
 * Allows {@code ratePerSecond} on average with bursts up to {@code burst}. Not thread-safe:
 * each connection owns one and uses it on its I/O thread.
 */
public final class TokenBucket {
    private final Clock clock;
    private final double ratePerMilli;
    private final double burst;
    private double tokens;
    private long lastRefill;

    public TokenBucket(Clock clock, double ratePerSecond, int burst) {
        this.clock = clock;
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefill = clock.millis();
    }

    /** Takes one token; false when the bucket is empty. */
    public boolean tryTake() {
        long now = clock.millis();
        tokens = Math.min(burst, tokens + (now - lastRefill) * ratePerMilli);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
