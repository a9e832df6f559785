package dev.partyline.bench;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One step of {@code party --find-max}: every client sent {@code rate} messages per second for
 * {@code measured}, then the bench drained; the counts are those of the step's own messages (told
 * apart by sequence number) that had arrived when its drain ended.
 *
 * @param step 1 for the first step
 * @param rate messages per second per client
 * @param measured the step's send window
 * @param counts the step's delivery accounting at the end of its drain
 * @param latencyMicros end-to-end latency of the step's first deliveries, from intended send time, in µs
 * @param errors errors by code counted during the step and its drain
 * @param failure why the step failed, or null when it passed
 */
public record StepResult(int step, double rate, Duration measured, DeliveryCounts counts, Histogram latencyMicros,
                         Map<String, Long> errors, String failure) {

    /** Whether the step met both thresholds. */
    public boolean passed() {
        return failure == null;
    }

    /** Distinct deliveries per second of the send window. */
    public double deliveriesPerSecond() {
        return measured.isZero() ? 0 : counts.unique() / (measured.toNanos() / 1e9);
    }

    /** Distinct deliveries as a share of expected ones, 0 to 1; 1 when nothing was expected. */
    public double deliveredFraction() {
        return counts.expected() == 0 ? 1.0 : (double) counts.unique() / counts.expected();
    }

    /** The latency at {@code percentile} in µs, or -1 when nothing arrived. */
    public long latencyAt(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? -1 : latencyMicros.getValueAtPercentile(percentile);
    }
}
