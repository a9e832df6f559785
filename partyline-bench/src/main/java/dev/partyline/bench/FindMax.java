package dev.partyline.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code party --find-max}: with the clients connected once, steps of {@code stepDuration} at
 * per-client rates {@code startRate}, {@code startRate × factor}, … Each step sends, then drains
 * until all of its deliveries arrived or {@code drain} passed, and is judged on its own messages:
 * it fails when fewer than {@code minDelivered} of its expected deliveries arrived or its p99
 * exceeds {@code maxP99}. The run stops at the first failing step, at {@code maxRate} or after
 * {@code maxSteps}; the headline is the last passing step's delivered rate.
 *
 * <p>The bench does not know the server's per-connection message limit (its
 * {@code --messages-per-second}, 30 by default). A step above it is refused by the server: those
 * sends count as lost and the step's errors show {@code rate_limited}, so the step fails and its
 * failure says so.
 *
 * @param startRate messages per second per client in the first step, more than 0
 * @param factor how much each step's rate grows, more than 1
 * @param stepDuration each step's send window, at least 1 s
 * @param drain the longest wait for a step's last deliveries
 * @param maxRate no step goes above this rate
 * @param maxSteps at most this many steps, 1 to {@link Steps#MAX}
 * @param minDelivered the share of expected deliveries a passing step delivers, 0 to 1
 * @param maxP99 the highest p99 a passing step has
 */
public record FindMax(double startRate, double factor, Duration stepDuration, Duration drain, double maxRate,
                      int maxSteps, double minDelivered, Duration maxP99) {

    /** @throws IllegalArgumentException for a setting out of range */
    public FindMax {
        if (!(startRate > 0) || !(factor > 1) || stepDuration.compareTo(Duration.ofSeconds(1)) < 0 || drain.isNegative()
                || !(maxRate >= startRate) || maxSteps < 1 || maxSteps > Steps.MAX || !(minDelivered > 0)
                || minDelivered > 1 || maxP99.isNegative() || maxP99.isZero()) {
            throw new IllegalArgumentException("need rate > 0, step factor > 1, step duration >= 1 s, drain >= 0,"
                    + " max rate >= rate, 1 <= max steps <= " + Steps.MAX + ", 0 < min delivered <= 1, max p99 > 0");
        }
    }

    /** The rate of step {@code k} (0-based): {@code startRate × factor^k}. */
    double rate(int k) {
        return startRate * Math.pow(factor, k);
    }

    /** The longest the steps can take, drains included. */
    Duration longest() {
        return stepDuration.plus(drain).plusSeconds(1).multipliedBy(maxSteps);
    }

    /** The steps run and why they stopped. */
    record Outcome(List<StepResult> steps, String stopReason) {}

    /**
     * Runs the steps with {@code clients}, all joined, from the calling thread; returns early at
     * {@code hardDeadline} ({@link System#nanoTime()}).
     *
     * @param progressOut one line per step, or null
     */
    Outcome run(List<BenchConnection> clients, int[] roomSizes, Metrics metrics, long epoch, long hardDeadline,
                PrintStream progressOut) throws InterruptedException {
        Steps steps = new Steps();
        metrics.steps = steps;
        List<StepResult> results = new ArrayList<>();
        int baseSeq = 0;
        for (int k = 0; k < maxSteps; k++) {
            double rate = rate(k);
            if (rate > maxRate * (1 + 1e-9)) {
                return new Outcome(results, String.format(Locale.ROOT, "--max-rate %s reached", maxRate));
            }
            long interval = (long) (1e9 / rate);
            int count = Math.max(1, (int) Math.floor(rate * stepDuration.toNanos() / 1e9));
            if (System.nanoTime() + (count * interval) > hardDeadline) {
                return new Outcome(results, "out of time");
            }
            Map<String, Long> errorsBefore = metrics.errors();
            Steps.Stats stats = steps.begin(baseSeq, roomSizes.length);
            long stepStart = System.nanoTime();
            long first = stepStart - epoch + 50_000_000L; // a little later, so that the first sends are not late
            for (BenchConnection client : clients) {
                // Golden-ratio phases: the clients do not send in lockstep.
                long phase = (long) (interval * ((client.id() * 0.6180339887) % 1.0));
                client.startSending(first + phase, interval, count, baseSeq, stats);
            }
            long sendEnd = epoch + first + (long) count * interval;
            waitUntil(Math.min(sendEnd, hardDeadline));
            long drainEnd = Math.min(hardDeadline, System.nanoTime() + drain.toNanos());
            while (System.nanoTime() < drainEnd && stats.unique.sum() < stats.expected(roomSizes)) {
                Thread.sleep(20);
            }
            DeliveryCounts counts = stats.counts(roomSizes);
            Histogram latency = stats.takeLatency();
            Map<String, Long> errors = since(errorsBefore, metrics.errors());
            StepResult result = new StepResult(k + 1, rate, Duration.ofNanos((long) count * interval), counts, latency,
                    errors, judge(counts, latency, errors));
            results.add(result);
            if (progressOut != null) {
                progressOut.println(Report.stepLine(result));
            }
            if (!result.passed()) {
                return new Outcome(results, "step " + result.step() + ": " + result.failure());
            }
            baseSeq += count;
        }
        return new Outcome(results, "--max-steps " + maxSteps + " reached");
    }

    /** Why a step failed, or null when it passed. */
    String judge(DeliveryCounts counts, Histogram latencyMicros, Map<String, Long> errors) {
        double fraction = counts.expected() == 0 ? 1.0 : (double) counts.unique() / counts.expected();
        String limited = errors.containsKey("rate_limited")
                ? String.format(Locale.ROOT, " (%d sends refused as rate_limited: the server's --messages-per-second"
                        + " is below this rate)", errors.get("rate_limited")) : "";
        if (fraction < minDelivered) {
            return String.format(Locale.ROOT, "delivered %.3f %% < %.3f %%%s", 100 * fraction, 100 * minDelivered, limited);
        }
        long p99 = latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(99);
        if (p99 > maxP99.toNanos() / 1000) {
            return String.format(Locale.ROOT, "p99 %s ms > %s ms%s", Report.millis(p99),
                    Report.millis(maxP99.toNanos() / 1000), limited);
        }
        return null;
    }

    /** The last passing step, or null when none passed. */
    static StepResult lastPassing(List<StepResult> steps) {
        StepResult last = null;
        for (StepResult step : steps) {
            if (step.passed()) {
                last = step;
            }
        }
        return last;
    }

    private static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> diff = new TreeMap<>();
        after.forEach((code, n) -> {
            long d = n - before.getOrDefault(code, 0L);
            if (d > 0) {
                diff.put(code, d);
            }
        });
        return diff;
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }
}
