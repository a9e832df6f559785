package dev.partyline.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Adds up the workers' results of a run over several processes into the result one process
 * would have reported: counts, errors, clients and histograms summed; setup and measured time
 * those of the slowest worker (they ran side by side); CPU the workers' and the coordinator's
 * together. Stateless.
 */
final class CombinedResult {
    /** The error code a worker that failed (died, hung, or spoke garbage) is counted under. */
    static final String WORKER_FAILED = "worker_failed";

    private CombinedResult() {}

    /**
     * @param clients the whole run's clients, those of failed workers included
     * @param results the results of the workers that finished
     * @param failedWorkers how many workers did not finish
     * @param serverBefore the coordinator's first server sample, or null
     * @param serverAfter its second, or null
     * @param coordinatorCpu the coordinator's own CPU during the run, or null when unknown
     * @param machine the whole machine's CPU over the coordinator's window, or null when unknown
     */
    static BenchResult of(String scenario, Map<String, Object> parameters, int clients, List<BenchResult> results,
                          int failedWorkers, ProcStats.Sample serverBefore, ProcStats.Sample serverAfter,
                          Duration coordinatorCpu, MachineCpu.Load machine) {
        int connected = 0;
        Duration connectTime = Duration.ZERO;
        Duration measured = Duration.ZERO;
        DeliveryCounts counts = new DeliveryCounts(0, 0, 0, 0, 0, 0);
        Histogram latency = new Histogram(3);
        Histogram handshake = new Histogram(3);
        Map<String, Long> errors = new TreeMap<>();
        Duration ownCpu = coordinatorCpu;
        String transport = results.isEmpty() ? "none" : results.get(0).transport();
        for (BenchResult r : results) {
            connected += r.connected();
            connectTime = max(connectTime, r.connectTime());
            measured = max(measured, r.measured());
            counts = counts.plus(r.counts());
            latency.add(r.latencyMicros());
            handshake.add(r.handshakeMicros());
            r.errors().forEach((code, n) -> errors.merge(code, n, Long::sum));
            if (ownCpu != null && r.ownCpu() != null) {
                ownCpu = ownCpu.plus(r.ownCpu());
            }
        }
        if (failedWorkers > 0) {
            errors.merge(WORKER_FAILED, (long) failedWorkers, Long::sum);
        }
        return new BenchResult(scenario, parameters, transport, clients, connected, connectTime, measured, counts,
                latency, handshake, errors, serverBefore, serverAfter, ownCpu, List.of(), null, machine);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
