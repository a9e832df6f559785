package dev.partyline.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The steps of {@code party --find-max} as receivers see them. Every client numbers its messages
 * on across steps, and step k owns the sequence numbers from its base on, so a delivery that
 * arrives late still counts for the step that sent it. Thread-safe: {@link #begin} is called from
 * one thread before the step's first send; the counters are written from every event loop.
 */
final class Steps {
    /** More steps than any run takes: the rate grows geometrically. */
    static final int MAX = 64;

    private final Stats[] stats = new Stats[MAX];
    private final long[] bases = new long[MAX];
    private volatile int count; // publishes stats[k] and bases[k] for every k < count

    /** The counters of one step. */
    static final class Stats {
        final AtomicLongArray sentPerRoom;
        final LongAdder delivered = new LongAdder();
        final LongAdder unique = new LongAdder();
        final LongAdder duplicated = new LongAdder();
        private final Recorder latency = new Recorder(3);

        Stats(int rooms) {
            this.sentPerRoom = new AtomicLongArray(rooms);
        }

        /** One delivery of this step's message; {@code latencyNanos} counts only when it is the first. */
        void delivered(boolean first, long latencyNanos) {
            delivered.increment();
            if (first) {
                unique.increment();
                latency.recordValue(Math.max(0, latencyNanos / 1000));
            } else {
                duplicated.increment();
            }
        }

        /** Deliveries a correct server makes for what was sent so far in this step. */
        long expected(int[] roomSizes) {
            long expected = 0;
            for (int r = 0; r < roomSizes.length; r++) {
                expected += sentPerRoom.get(r) * roomSizes[r];
            }
            return expected;
        }

        /** The step's counts now. */
        DeliveryCounts counts(int[] roomSizes) {
            long sent = 0;
            for (int r = 0; r < roomSizes.length; r++) {
                sent += sentPerRoom.get(r);
            }
            long expected = expected(roomSizes);
            long unique = this.unique.sum();
            return new DeliveryCounts(sent, expected, delivered.sum(), unique, expected - unique, duplicated.sum());
        }

        /** The latencies (µs) recorded since the last call; call from one thread. */
        Histogram takeLatency() {
            return latency.getIntervalHistogram();
        }
    }

    /**
     * Starts step {@link #count()}, whose messages have sequence numbers from {@code baseSeq} on.
     *
     * @throws IllegalStateException after {@link #MAX} steps
     */
    Stats begin(long baseSeq, int rooms) {
        int k = count;
        if (k == MAX) {
            throw new IllegalStateException("at most " + MAX + " steps");
        }
        stats[k] = new Stats(rooms);
        bases[k] = baseSeq;
        count = k + 1;
        return stats[k];
    }

    /** Steps begun so far. */
    int count() {
        return count;
    }

    /** The step that sent sequence number {@code seq}, or null when none did. */
    Stats of(long seq) {
        for (int k = count - 1; k >= 0; k--) {
            if (seq >= bases[k]) {
                return stats[k];
            }
        }
        return null;
    }
}
