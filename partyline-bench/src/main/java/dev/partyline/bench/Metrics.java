package dev.partyline.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Live counters of one run, written from every event loop. Latencies are recorded in
 * microseconds in wait-free {@link Recorder}s; {@link #takeLatencyInterval()} moves what was
 * recorded since the last call into the run's total. Thread-safe.
 */
public final class Metrics {
    final AtomicInteger connected = new AtomicInteger();
    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder unique = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    /** The find-max steps, set before the first one begins; null for every other scenario. */
    volatile Steps steps;
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(3);
    private final Recorder handshake = new Recorder(3);
    private final Histogram latencyTotal = new Histogram(3);
    private final Histogram handshakeTotal = new Histogram(3);
    private Histogram latencyInterval;
    private Histogram handshakeInterval;

    /** Counts one error under its wire code (or a bench code such as {@code close_1008}). */
    public void error(String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Errors by code, sorted by code. */
    public Map<String, Long> errors() {
        Map<String, Long> copy = new TreeMap<>();
        errors.forEach((code, count) -> copy.put(code, count.sum()));
        return copy;
    }

    /** Total errors of every code. */
    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Records an end-to-end latency; a negative one (clock quirk) counts as 0. */
    public void recordLatencyNanos(long nanos) {
        latency.recordValue(Math.max(0, nanos / 1000));
    }

    /** Records the time one connection took from ticket request to join reply. */
    public void recordHandshakeNanos(long nanos) {
        handshake.recordValue(Math.max(0, nanos / 1000));
    }

    /**
     * Moves the latencies recorded since the last call into the total and returns them (µs).
     * Call from one thread at a time.
     */
    public synchronized Histogram takeLatencyInterval() {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        latencyTotal.add(latencyInterval);
        return latencyInterval;
    }

    /** Like {@link #takeLatencyInterval()}, for handshakes. */
    public synchronized Histogram takeHandshakeInterval() {
        handshakeInterval = handshake.getIntervalHistogram(handshakeInterval);
        handshakeTotal.add(handshakeInterval);
        return handshakeInterval;
    }

    /** A copy of every latency taken so far (µs); take the last interval first. */
    public synchronized Histogram latencyTotal() {
        return latencyTotal.copy();
    }

    /** A copy of every handshake time taken so far (µs). */
    public synchronized Histogram handshakeTotal() {
        return handshakeTotal.copy();
    }
}
