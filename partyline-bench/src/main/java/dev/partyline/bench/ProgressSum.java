package dev.partyline.bench;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Adds the workers' once-a-second readings into one reading of the whole run: each worker's
 * latest counts (they are totals so far) summed, and every latency interval received since the
 * last reading merged, so that the p99 is that of all workers' deliveries. Coordinator thread only.
 */
final class ProgressSum {
    private final int clients;
    private final Map<Integer, Progress> latest = new HashMap<>();
    private final Histogram latency = new Histogram(3);
    private boolean fresh;

    /** @param clients the whole run's clients */
    ProgressSum(int clients) {
        this.clients = clients;
    }

    /** Takes one reading of worker {@code number}. */
    void add(int number, Progress reading) {
        latest.put(number, reading);
        latency.add(reading.latencyMicros());
        fresh = true;
    }

    /** The whole run's reading at {@code seconds}, or null when no worker reported since the last one. */
    Progress take(long seconds) {
        if (!fresh) {
            return null;
        }
        int connected = 0;
        long sent = 0;
        long delivered = 0;
        long expected = 0;
        long errors = 0;
        for (Progress p : latest.values()) {
            connected += p.connected();
            sent += p.sent();
            delivered += p.delivered();
            expected += p.expected();
            errors += p.errors();
        }
        Progress sum = new Progress(seconds, connected, clients, sent, delivered, expected, errors, latency.copy());
        latency.reset();
        fresh = false;
        return sum;
    }
}
