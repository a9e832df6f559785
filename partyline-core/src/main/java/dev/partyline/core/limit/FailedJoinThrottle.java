package dev.partyline.core.limit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts joins with a wrong code per IP address in fixed one-minute windows; past the limit the
 * address may not try codes until the window ends, so guessing codes stays slow. Thread-safe.
 */
public final class FailedJoinThrottle {
    private static final long WINDOW_MS = 60_000;
    private static final int SWEEP_ABOVE = 10_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxFailuresPerMinute;

    public FailedJoinThrottle(Clock clock, int maxFailuresPerMinute) {
        this.clock = clock;
        this.maxFailuresPerMinute = maxFailuresPerMinute;
    }

    /** Whether {@code address} has used up its failed joins for this minute. */
    public boolean isBlocked(String address) {
        Window window = windows.get(address);
        return window != null && window.start + WINDOW_MS > clock.millis() && window.failures >= maxFailuresPerMinute;
    }

    /** Records one failed join from {@code address}. */
    public void recordFailure(String address) {
        long now = clock.millis();
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> w.start + WINDOW_MS <= now);
        }
        windows.compute(address, (a, window) -> {
            Window current = window == null || window.start + WINDOW_MS <= now ? new Window(now, 0) : window;
            return new Window(current.start, current.failures + 1);
        });
    }

    private record Window(long start, int failures) {}
}
