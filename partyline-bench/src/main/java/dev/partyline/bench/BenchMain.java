package dev.partyline.bench;

import dev.partyline.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar partyline-bench.jar party|fanout|idle|connect|floor [options]}. */
@Command(name = "partyline-bench", mixinStandardHelpOptions = true, version = "partyline-bench 0.1",
        description = "Load generator for a Partyline server.",
        subcommands = {BenchMain.PartyCommand.class, BenchMain.FanoutCommand.class, BenchMain.IdleCommand.class,
                BenchMain.ConnectCommand.class, BenchMain.FloorCommand.class})
public final class BenchMain implements Runnable {

    /**
     * Runs the command line and exits with its status; {@code connect} and {@code idle} in a child
     * JVM with cheaper JIT settings (see {@link SetupJvm}).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        var child = SetupJvm.childCommand(args);
        if (child.isPresent()) {
            System.exit(SetupJvm.run(child.get()));
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.err);
    }

    /** Options every scenario takes. */
    static final class Common {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "Server base URL (default ${DEFAULT-VALUE}).")
        URI url;
        @Option(names = "--allow-remote", description = "Allow a target that is not a loopback address.")
        boolean allowRemote;
        @Option(names = "--source-addresses", defaultValue = "32",
                description = "Spread connections over 127.0.0.1..K (default ${DEFAULT-VALUE}; 0: kernel's choice).")
        int sourceAddresses;
        @Option(names = "--concurrency", defaultValue = "100", description = "Connections set up at once (default ${DEFAULT-VALUE}).")
        int concurrency;
        @Option(names = "--connect-timeout", defaultValue = "60", description = "Seconds allowed for setting up all connections (default ${DEFAULT-VALUE}).")
        int connectTimeoutSeconds;
        @Option(names = "--io-threads", defaultValue = "0", description = "Event loops (default: one per core).")
        int ioThreads;
        @Option(names = "--server-pid", description = "Server process id: report its CPU and RSS (Linux /proc).")
        Long serverPid;
        @Option(names = "--json", description = "Also write the summary as JSON to this file.")
        Path json;
        @Option(names = "--quiet", description = "No progress lines.")
        boolean quiet;

        BenchSettings settings() {
            if (concurrency < 1 || connectTimeoutSeconds < 1) {
                throw new IllegalArgumentException("--concurrency and --connect-timeout must be at least 1");
            }
            BenchSettings settings = new BenchSettings(url, sourceAddresses, concurrency,
                    Duration.ofSeconds(connectTimeoutSeconds), ioThreads, serverPid);
            settings.checkTarget(allowRemote);
            return settings;
        }

        /** A run with these settings, printing progress to stderr unless {@code --quiet}. */
        Party party() {
            return new Party(settings(), quiet ? null : System.err);
        }

        int finish(BenchResult result) throws IOException {
            Report.table(result, System.out);
            if (json != null) {
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), Report.json(result));
            }
            return result.connected() == result.clients() && result.counts().lost() == 0
                    && result.counts().duplicated() == 0 ? 0 : 1;
        }
    }

    @Command(name = "party", mixinStandardHelpOptions = true,
            description = "R rooms x N clients, each sending M chat messages/s for D seconds after all joined;"
                    + " with --find-max, steps of rising M until one fails.")
    static final class PartyCommand implements Callable<Integer> {
        @Mixin Common common;
        @Option(names = "--rooms", defaultValue = "1000", description = "Rooms (default ${DEFAULT-VALUE}).")
        int rooms;
        @Option(names = "--clients", defaultValue = "8", description = "Clients per room, at most 100 (default ${DEFAULT-VALUE}).")
        int clients;
        @Option(names = "--rate", defaultValue = "1", description = "Messages per second per client (default ${DEFAULT-VALUE}).")
        double rate;
        @Option(names = "--duration", defaultValue = "30", description = "Seconds of sending (default ${DEFAULT-VALUE}).")
        int duration;
        @Option(names = "--drain", defaultValue = "5", description = "Seconds to wait for the last deliveries"
                + " (with --find-max: after each step) (default ${DEFAULT-VALUE}).")
        int drain;
        @Option(names = "--find-max", description = "Step the rate up from --rate until a step delivers too little or too"
                + " late; report each step and the last passing delivered rate. --duration does not apply.")
        boolean findMax;
        @Option(names = "--step-duration", defaultValue = "10", description = "With --find-max: seconds of sending per step"
                + " (default ${DEFAULT-VALUE}).")
        int stepDuration;
        @Option(names = "--step-factor", defaultValue = "1.5", description = "With --find-max: each step's rate is the"
                + " last one's times this (default ${DEFAULT-VALUE}).")
        double stepFactor;
        @Option(names = "--max-rate", description = "With --find-max: no step above this many messages/s per client"
                + " (default: none). The server refuses more than its --messages-per-second (default 30) per"
                + " connection; such a step fails with rate_limited errors.")
        Double maxRate;
        @Option(names = "--max-steps", defaultValue = "15", description = "With --find-max: at most this many steps"
                + " (default ${DEFAULT-VALUE}).")
        int maxSteps;
        @Option(names = "--min-delivered", defaultValue = "99.9", description = "With --find-max: a passing step delivers"
                + " at least this percentage of its expected deliveries (default ${DEFAULT-VALUE}).")
        double minDeliveredPercent;
        @Option(names = "--max-p99", defaultValue = "100", description = "With --find-max: a passing step's p99 latency is"
                + " at most this many ms (default ${DEFAULT-VALUE}).")
        double maxP99Millis;

        @Override
        public Integer call() throws Exception {
            if (rooms < 1 || clients < 1 || clients > 100 || rate <= 0 || duration < 1 || drain < 0) {
                throw new IllegalArgumentException("need rooms >= 1, 1 <= clients <= 100, rate > 0, duration >= 1, drain >= 0");
            }
            Party party = common.party();
            if (findMax) {
                FindMax plan = new FindMax(rate, stepFactor, Duration.ofSeconds(stepDuration), Duration.ofSeconds(drain),
                        maxRate == null ? Double.MAX_VALUE : maxRate, maxSteps, minDeliveredPercent / 100,
                        Duration.ofNanos((long) (maxP99Millis * 1e6)));
                BenchResult result = party.findMax(rooms, clients, plan);
                common.finish(result);
                // The last step fails by design: success is every client joined and a step passing.
                return result.connected() == result.clients() && result.lastPassingStep() != null ? 0 : 1;
            }
            return common.finish(party.party(rooms, clients, rate, Duration.ofSeconds(duration), Duration.ofSeconds(drain)));
        }
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true,
            description = "One room: S subscribers and one publisher sending P messages/s for D seconds."
                    + " The server's chat room type must admit S + 1 members.")
    static final class FanoutCommand implements Callable<Integer> {
        @Mixin Common common;
        @Option(names = "--subscribers", defaultValue = "5000", description = "Subscribers (default ${DEFAULT-VALUE}).")
        int subscribers;
        @Option(names = "--rate", defaultValue = "50", description = "Messages per second from the publisher (default ${DEFAULT-VALUE}).")
        double rate;
        @Option(names = "--duration", defaultValue = "30", description = "Seconds of sending (default ${DEFAULT-VALUE}).")
        int duration;
        @Option(names = "--drain", defaultValue = "5", description = "Seconds to wait for the last deliveries (default ${DEFAULT-VALUE}).")
        int drain;

        @Override
        public Integer call() throws Exception {
            if (subscribers < 1 || rate <= 0 || duration < 1 || drain < 0) {
                throw new IllegalArgumentException("need subscribers >= 1, rate > 0, duration >= 1, drain >= 0");
            }
            Party party = common.party();
            return common.finish(party.fanout(subscribers, rate, Duration.ofSeconds(duration), Duration.ofSeconds(drain)));
        }
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "C connections in rooms of 8, held idle for D seconds (answering the server's pings);"
                    + " with --server-pid, reports server RSS per connection.")
    static final class IdleCommand implements Callable<Integer> {
        @Mixin Common common;
        @Option(names = "--connections", defaultValue = "19000",
                description = "Connections, in rooms of 8 (default ${DEFAULT-VALUE}; the open-file cap per process is 20,000).")
        int connections;
        @Option(names = "--duration", defaultValue = "30", description = "Seconds to hold them (default ${DEFAULT-VALUE}).")
        int duration;

        @Override
        public Integer call() throws Exception {
            if (connections < 1 || duration < 1) {
                throw new IllegalArgumentException("need connections >= 1 and duration >= 1");
            }
            Party party = common.party();
            BenchResult result = party.idle(connections, Duration.ofSeconds(duration));
            int status = common.finish(result);
            return status == 0 && result.errors().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = "Ticket + WebSocket + auth + join as fast as possible; reports connections/s and handshake latency.")
    static final class ConnectCommand implements Callable<Integer> {
        @Mixin Common common;
        @Option(names = "--connections", defaultValue = "1000", description = "Connections, in rooms of 8 (default ${DEFAULT-VALUE}).")
        int connections;

        @Override
        public Integer call() throws Exception {
            if (connections < 1) {
                throw new IllegalArgumentException("--connections must be at least 1");
            }
            Party party = common.party();
            return common.finish(party.connect(connections));
        }
    }

    @Command(name = "floor", mixinStandardHelpOptions = true,
            description = "No server: the kernel's CPU cost of one loopback write per delivery, writing round-robin to"
                    + " K sockets. A server that sends each delivery in its own system call cannot spend less.")
    static final class FloorCommand implements Callable<Integer> {
        @Option(names = "--sockets", defaultValue = "8000", description = "Loopback connections, at most 9,000 (each"
                + " takes two open files) (default ${DEFAULT-VALUE}).")
        int sockets;
        @Option(names = "--bytes", defaultValue = "120", description = "Bytes per write, about one chat event frame"
                + " (default ${DEFAULT-VALUE}).")
        int bytes;
        @Option(names = "--duration", defaultValue = "5", description = "Seconds of writing (default ${DEFAULT-VALUE}).")
        int duration;
        @Option(names = "--json", description = "Also write the result as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (sockets < 1 || sockets > 9000 || bytes < 1 || duration < 1 || duration > 600) {
                throw new IllegalArgumentException("need 1 <= sockets <= 9000, bytes >= 1, 1 <= duration <= 600");
            }
            LoopbackFloor.Result result = LoopbackFloor.measure(sockets, bytes, Duration.ofSeconds(duration));
            System.out.printf(Locale.ROOT, "loopback floor: %d sockets, %d-byte writes%n", sockets, bytes);
            System.out.printf(Locale.ROOT, "  writes            %,d in %.1f s (%,.0f/s)%n", result.writes(),
                    result.elapsed().toNanos() / 1e9, result.writes() / (result.elapsed().toNanos() / 1e9));
            System.out.printf(Locale.ROOT, "  writer CPU/write  %.2f us%n", result.writerCpuMicrosPerWrite());
            System.out.printf(Locale.ROOT, "  reader CPU/write  %.2f us%n", result.readerCpuMicrosPerWrite());
            if (json != null) {
                var node = Json.mapper().createObjectNode()
                        .put("scenario", "floor").put("sockets", sockets).put("bytes", bytes)
                        .put("writes", result.writes()).put("seconds", result.elapsed().toNanos() / 1e9)
                        .put("writerCpuMicrosPerWrite", result.writerCpuMicrosPerWrite())
                        .put("readerCpuMicrosPerWrite", result.readerCpuMicrosPerWrite());
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), node);
            }
            return result.writes() > 0 ? 0 : 1;
        }
    }
}
