package dev.partyline.core.limit;

import java.time.Clock;

/**
 * The per-connection message rate: over the rate a message is refused ({@code rate_limited});
 * a client that keeps going after {@code maxRefusals} refusals in a row is to be disconnected
 * (close 1008). Not thread-safe: one per connection, used on its I/O thread.
 */
public final class MessageRateGuard {
    /** What to do with one incoming message. */
    public enum Verdict { ACCEPT, REFUSE, DISCONNECT }

    private final TokenBucket bucket;
    private final int maxRefusals;
    private int refusalsInARow;

    public MessageRateGuard(Clock clock, Limits limits) {
        this.bucket = new TokenBucket(clock, limits.messagesPerSecond(), limits.messageBurst());
        this.maxRefusals = limits.maxRefusedMessages();
    }

    public Verdict check() {
        if (bucket.tryTake()) {
            refusalsInARow = 0;
            return Verdict.ACCEPT;
        }
        refusalsInARow++;
        return refusalsInARow > maxRefusals ? Verdict.DISCONNECT : Verdict.REFUSE;
    }
}
