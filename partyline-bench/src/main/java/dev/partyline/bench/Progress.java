package dev.partyline.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One progress reading of a run, taken once a second.
 *
 * @param seconds since the run began
 * @param connected clients joined now
 * @param clients clients asked for
 * @param sent messages sent so far
 * @param delivered deliveries received so far, duplicates included
 * @param expected deliveries the messages sent so far should make
 * @param errors errors of every code so far
 * @param latencyMicros the latencies recorded since the last reading; the reader may reuse it
 *     after the call that hands it over, so copy it to keep it
 */
record Progress(long seconds, int connected, int clients, long sent, long delivered, long expected, long errors,
                Histogram latencyMicros) {

    /** The progress line printed to stderr. */
    String line() {
        String p99 = latencyMicros.getTotalCount() == 0 ? "-" : Report.millis(latencyMicros.getValueAtPercentile(99));
        return String.format(Locale.ROOT, "[%4ds] connected %d/%d  sent %d  delivered %d/%d  p99 %s ms  errors %d",
                seconds, connected, clients, sent, delivered, expected, p99, errors);
    }
}
