package dev.partyline.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one scenario run.
 *
 * @param scenario {@code party}, {@code fanout}, {@code idle} or {@code connect}
 * @param parameters the scenario's settings, for the report
 * @param transport {@code epoll} or {@code nio}
 * @param clients connections asked for
 * @param connected connections that joined their room
 * @param connectTime how long setting them up took
 * @param measured how long the send phase (or {@code idle}'s hold) took; for find-max its steps'
 *     send windows together; zero for {@code connect}
 * @param counts the delivery accounting (all zero for {@code connect})
 * @param latencyMicros end-to-end latency from intended send time, in µs
 * @param handshakeMicros ticket to join reply, per connection, in µs
 * @param errors errors by code
 * @param serverBefore server CPU and RSS before the run, or null
 * @param serverAfter server CPU and RSS after the run, or null
 * @param ownCpu this process's CPU time during the run, or null when unknown
 * @param steps the steps of {@code party --find-max}; empty for every other run
 * @param stopReason why find-max stopped, or null for every other run
 * @param machine the whole machine's CPU over the same window as {@code ownCpu}, or null when unknown
 */
public record BenchResult(String scenario, Map<String, Object> parameters, String transport, int clients, int connected,
                          Duration connectTime, Duration measured, DeliveryCounts counts, Histogram latencyMicros,
                          Histogram handshakeMicros, Map<String, Long> errors, ProcStats.Sample serverBefore,
                          ProcStats.Sample serverAfter, Duration ownCpu, List<StepResult> steps, String stopReason,
                          MachineCpu.Load machine) {

    /** Server CPU spent during the run, or null without {@code --server-pid}. */
    public Duration serverCpu() {
        return serverBefore == null || serverAfter == null ? null
                : Duration.ofNanos(serverAfter.cpuNanos() - serverBefore.cpuNanos());
    }

    /** Server CPU µs per delivered message, or NaN when unknown or nothing was delivered. */
    public double serverCpuMicrosPerDelivery() {
        Duration cpu = serverCpu();
        return cpu == null || counts.delivered() == 0 ? Double.NaN : cpu.toNanos() / 1000.0 / counts.delivered();
    }

    /**
     * Server RSS growth per joined connection in bytes ({@code idle}), or NaN without
     * {@code --server-pid} or connections.
     */
    public double serverRssBytesPerConnection() {
        return serverBefore == null || serverAfter == null || connected == 0 ? Double.NaN
                : (double) (serverAfter.rssBytes() - serverBefore.rssBytes()) / connected;
    }

    /** Deliveries per second over the send phase. */
    public double deliveriesPerSecond() {
        return measured.isZero() ? 0 : counts.delivered() / (measured.toNanos() / 1e9);
    }

    /** The last passing find-max step, or null when none passed or this was no find-max run. */
    public StepResult lastPassingStep() {
        return FindMax.lastPassing(steps);
    }

    /** Connections that joined per second of setup. */
    public double connectionsPerSecond() {
        return connectTime.isZero() ? 0 : connected / (connectTime.toNanos() / 1e9);
    }
}
