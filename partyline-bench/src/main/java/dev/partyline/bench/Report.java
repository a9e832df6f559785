package dev.partyline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.protocol.Json;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Writes a {@link BenchResult} as a table for people and as JSON for tools. Stateless. */
public final class Report {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private Report() {}

    /** Microseconds as milliseconds with three decimals. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    /** Prints the table. */
    public static void table(BenchResult result, PrintStream out) {
        out.printf(Locale.ROOT, "%n== partyline-bench %s %s (%s) ==%n", result.scenario(), result.parameters(),
                result.transport());
        out.printf(Locale.ROOT, "connections   %d of %d joined in %.2f s (%.0f/s)%n", result.connected(),
                result.clients(), result.connectTime().toMillis() / 1000.0, result.connectionsPerSecond());
        latencyRow(out, "handshake ms ", result.handshakeMicros());
        if (result.scenario().equals("idle")) {
            out.printf(Locale.ROOT, "held          %.1f s%n", result.measured().toMillis() / 1000.0);
        }
        if (result.scenario().equals("party") || result.scenario().equals("fanout")) {
            DeliveryCounts c = result.counts();
            latencyRow(out, "latency ms   ", result.latencyMicros());
            out.printf(Locale.ROOT, "sent          %d%n", c.sent());
            out.printf(Locale.ROOT, "expected      %d%n", c.expected());
            out.printf(Locale.ROOT, "delivered     %d (%.0f/s over %.1f s)%n", c.delivered(), result.deliveriesPerSecond(),
                    result.measured().toMillis() / 1000.0);
            out.printf(Locale.ROOT, "lost          %d (%.4f %%)%n", c.lost(),
                    c.expected() == 0 ? 0.0 : 100.0 * c.lost() / c.expected());
            out.printf(Locale.ROOT, "duplicated    %d%n", c.duplicated());
        }
        if (!result.steps().isEmpty()) {
            steps(result, out);
        }
        out.printf(Locale.ROOT, "errors        %s%n", result.errors().isEmpty() ? "none" : result.errors());
        if (result.serverBefore() != null && result.serverAfter() != null) {
            double perDelivery = result.serverCpuMicrosPerDelivery();
            out.printf(Locale.ROOT, "server CPU    %.2f s%s%n", result.serverCpu().toMillis() / 1000.0,
                    Double.isNaN(perDelivery) ? "" : String.format(Locale.ROOT, " (%.2f µs per delivery)", perDelivery));
            out.printf(Locale.ROOT, "server RSS    %.1f MiB -> %.1f MiB%n", result.serverBefore().rssBytes() / 1048576.0,
                    result.serverAfter().rssBytes() / 1048576.0);
            if (result.scenario().equals("idle")) {
                out.printf(Locale.ROOT, "RSS per conn  %.2f KiB%n", result.serverRssBytesPerConnection() / 1024.0);
            }
        }
        if (result.ownCpu() != null) {
            out.printf(Locale.ROOT, "bench CPU     %.2f s%n", result.ownCpu().toMillis() / 1000.0);
        }
        if (result.machine() != null) {
            out.printf(Locale.ROOT, "machine CPU   %s%n", machineRow(result));
        }
    }

    /**
     * The whole machine's load over the measured window. Any steal says other guests of the host
     * took CPU from this run. Busy cores are sampled per clock tick by the kernel, so they can read
     * below the server's and the bench's own (exact) CPU when the cores idle between short bursts;
     * near all cores, they say the machine was the bound.
     */
    static String machineRow(BenchResult result) {
        MachineCpu.Load load = result.machine();
        return String.format(Locale.ROOT, "%.2f of %d cores busy over %.1f s, steal %.2f", load.busyCores(),
                load.cores(), load.seconds(), load.stealCores());
    }

    /** The find-max table: one row per step, then why it stopped and the headline. */
    private static void steps(BenchResult result, PrintStream out) {
        out.printf(Locale.ROOT, "%nstep  rate/client        sent    expected   delivered  delivered/s   p50 ms   p99 ms"
                + "  delivered %%  verdict%n");
        for (StepResult step : result.steps()) {
            DeliveryCounts c = step.counts();
            out.printf(Locale.ROOT, "%4d  %11.2f  %10d  %10d  %10d  %11.0f  %7s  %7s  %11.3f  %s%n", step.step(), step.rate(),
                    c.sent(), c.expected(), c.unique(), step.deliveriesPerSecond(), millisOrDash(step.latencyAt(50)),
                    millisOrDash(step.latencyAt(99)), 100 * step.deliveredFraction(),
                    step.passed() ? "pass" : "FAIL: " + step.failure());
        }
        out.printf(Locale.ROOT, "stopped       %s%n", result.stopReason());
        StepResult best = result.lastPassingStep();
        if (best == null) {
            out.printf(Locale.ROOT, "max passing   none: the first step failed%n%n");
        } else {
            out.printf(Locale.ROOT, "max passing   %.0f delivered/s (step %d: %.2f msg/s per client, p99 %s ms)%n%n",
                    best.deliveriesPerSecond(), best.step(), best.rate(), millisOrDash(best.latencyAt(99)));
        }
    }

    /** One step as a progress line. */
    static String stepLine(StepResult step) {
        return String.format(Locale.ROOT, "[step %d] %.2f msg/s per client: delivered %d/%d (%.3f %%, %.0f/s), p99 %s ms: %s",
                step.step(), step.rate(), step.counts().unique(), step.counts().expected(), 100 * step.deliveredFraction(),
                step.deliveriesPerSecond(), millisOrDash(step.latencyAt(99)),
                step.passed() ? "pass" : "FAIL (" + step.failure() + ")");
    }

    private static String millisOrDash(long micros) {
        return micros < 0 ? "-" : millis(micros);
    }

    private static void latencyRow(PrintStream out, String label, Histogram h) {
        if (h.getTotalCount() == 0) {
            out.printf("%s (none)%n", label);
            return;
        }
        StringBuilder row = new StringBuilder(label);
        for (double p : PERCENTILES) {
            row.append(String.format(Locale.ROOT, " p%s %s", p == (long) p ? String.valueOf((long) p) : String.valueOf(p),
                    millis(h.getValueAtPercentile(p))));
        }
        row.append(" max ").append(millis(h.getMaxValue())).append(" (n=").append(h.getTotalCount()).append(')');
        out.println(row);
    }

    /** The JSON summary ({@code --json FILE}). */
    public static ObjectNode json(BenchResult result) {
        ObjectNode root = Json.nodes().objectNode();
        root.put("scenario", result.scenario());
        root.set("parameters", Json.mapper().valueToTree(result.parameters()));
        root.put("transport", result.transport());
        root.put("clients", result.clients());
        root.put("connected", result.connected());
        root.put("connectSeconds", result.connectTime().toMillis() / 1000.0);
        root.put("connectionsPerSecond", result.connectionsPerSecond());
        root.set("handshakeMs", percentiles(result.handshakeMicros()));
        root.put("measuredSeconds", result.measured().toMillis() / 1000.0);
        DeliveryCounts c = result.counts();
        root.put("sent", c.sent());
        root.put("expected", c.expected());
        root.put("delivered", c.delivered());
        root.put("unique", c.unique());
        root.put("lost", c.lost());
        root.put("duplicated", c.duplicated());
        root.put("deliveriesPerSecond", result.deliveriesPerSecond());
        root.set("latencyMs", percentiles(result.latencyMicros()));
        if (!result.steps().isEmpty()) {
            ObjectNode findMax = root.putObject("findMax");
            StepResult best = result.lastPassingStep();
            if (best == null) {
                findMax.putNull("maxPassingDeliveriesPerSecond");
                findMax.putNull("maxPassingRate");
            } else {
                findMax.put("maxPassingDeliveriesPerSecond", best.deliveriesPerSecond());
                findMax.put("maxPassingRate", best.rate());
                findMax.put("maxPassingStep", best.step());
            }
            findMax.put("stopReason", result.stopReason());
            var steps = findMax.putArray("steps");
            for (StepResult step : result.steps()) {
                ObjectNode row = steps.addObject();
                row.put("step", step.step());
                row.put("rate", step.rate());
                row.put("seconds", step.measured().toMillis() / 1000.0);
                DeliveryCounts counts = step.counts();
                row.put("sent", counts.sent());
                row.put("expected", counts.expected());
                row.put("delivered", counts.delivered());
                row.put("unique", counts.unique());
                row.put("lost", counts.lost());
                row.put("duplicated", counts.duplicated());
                row.put("deliveriesPerSecond", step.deliveriesPerSecond());
                row.put("deliveredPercent", 100 * step.deliveredFraction());
                row.set("latencyMs", percentiles(step.latencyMicros()));
                ObjectNode errors = row.putObject("errors");
                step.errors().forEach(errors::put);
                row.put("passed", step.passed());
                if (!step.passed()) {
                    row.put("failure", step.failure());
                }
            }
        }
        ObjectNode errors = root.putObject("errors");
        for (Map.Entry<String, Long> error : result.errors().entrySet()) {
            errors.put(error.getKey(), error.getValue());
        }
        if (result.serverBefore() != null && result.serverAfter() != null) {
            ObjectNode server = root.putObject("server");
            server.put("cpuSeconds", result.serverCpu().toMillis() / 1000.0);
            server.put("cpuMicrosPerDelivery", result.serverCpuMicrosPerDelivery());
            server.put("rssBytesBefore", result.serverBefore().rssBytes());
            server.put("rssBytesAfter", result.serverAfter().rssBytes());
            if (result.scenario().equals("idle")) {
                server.put("rssBytesPerConnection", result.serverRssBytesPerConnection());
            }
        }
        if (result.ownCpu() != null) {
            root.put("benchCpuSeconds", result.ownCpu().toMillis() / 1000.0);
        }
        if (result.machine() != null) {
            ObjectNode machine = root.putObject("machine");
            machine.put("cores", result.machine().cores());
            machine.put("seconds", result.machine().seconds());
            machine.put("busyCores", result.machine().busyCores());
            machine.put("stealCores", result.machine().stealCores());
        }
        return root;
    }

    private static ObjectNode percentiles(Histogram h) {
        ObjectNode node = Json.nodes().objectNode();
        node.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            node.put("p50", h.getValueAtPercentile(50) / 1000.0);
            node.put("p90", h.getValueAtPercentile(90) / 1000.0);
            node.put("p99", h.getValueAtPercentile(99) / 1000.0);
            node.put("p99.9", h.getValueAtPercentile(99.9) / 1000.0);
            node.put("max", h.getMaxValue() / 1000.0);
        }
        return node;
    }
}
