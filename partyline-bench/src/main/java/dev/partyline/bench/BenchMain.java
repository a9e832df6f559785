package dev.partyline.bench;

import dev.partyline.protocol.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    /** Options every scenario takes, and how a scenario runs: alone, split over processes, or as one worker. */
    static final class Common {
        /** Options a worker does not get: the coordinator alone splits, samples the server and writes the JSON. */
        private static final Set<String> COORDINATOR_ONLY = Set.of("--processes", "--json", "--server-pid", "--worker");

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
        @Option(names = "--processes", defaultValue = "1", description = "Split the run over N worker processes, each"
                + " under the open-file cap, for a server that holds more connections than one process may open;"
                + " rooms are split evenly and the report is one, as if one process had run it. party (without"
                + " --find-max), idle and connect; 1 to " + WorkerShare.MAX_WORKERS + " (default ${DEFAULT-VALUE}).")
        int processes;
        @Option(names = "--worker", hidden = true, description = "I/N: run as worker I of N for a coordinator (--processes).")
        String worker;
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        /** A scenario as {@link Party} runs it: alone, or one worker's share of it. */
        interface Scenario {
            /** Runs the scenario with {@code party}'s share of the rooms; blocks until done. */
            BenchResult run(Party party) throws InterruptedException;
        }

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

        /** Whether this process is one worker of a run over several processes ({@code --worker}). */
        boolean isWorker() {
            return worker != null;
        }

        /**
         * Whether the run is split over several processes.
         *
         * @throws ParameterException when {@code --processes} is out of range or leaves a worker without a room
         */
        boolean splits(RoomLayout layout) {
            if (processes < 1 || processes > WorkerShare.MAX_WORKERS) {
                throw new ParameterException(spec.commandLine(),
                        "--processes must be 1 to " + WorkerShare.MAX_WORKERS + ", was " + processes);
            }
            if (processes > layout.rooms()) {
                throw new ParameterException(spec.commandLine(), "--processes " + processes + " needs at least "
                        + processes + " rooms, one per worker process; this run has " + layout.rooms());
            }
            return processes > 1;
        }

        /** Refuses {@code --processes} above 1 for a scenario that must run in one process, saying {@code why}. */
        void refuseProcesses(String scenario, String why) {
            if (processes != 1 || worker != null) {
                throw new ParameterException(spec.commandLine(),
                        scenario + " cannot be split over processes (--processes " + processes + "): " + why);
            }
        }

        /**
         * Runs this worker's share of {@code scenario} for its coordinator: its stdout carries only the
         * protocol's lines (see {@link WorkerLink}). Exit status 0: the result says how the run went.
         */
        int work(Scenario scenario) throws InterruptedException {
            WorkerShare share = WorkerShare.parse(worker);
            PrintStream protocol = System.out;
            System.setOut(System.err); // nothing else may print on the coordinator's line
            WorkerLink link = new WorkerLink(System.in, protocol, () -> {
                System.err.println("partyline-bench worker " + share + ": its coordinator is gone; exiting");
                System.exit(2);
            });
            link.result(scenario.run(new Party(settings(), null, share, link, link::progress)));
            return 0;
        }

        /**
         * Runs the scenario as the coordinator of {@code --processes} workers, each running this
         * command with {@code --worker I/N} instead of the coordinator's own options.
         *
         * @param parameters the whole run's, as one process would report them
         * @param sends whether the scenario has a send phase
         * @param phase its send phase or hold
         */
        BenchResult coordinate(String scenario, Map<String, Object> parameters, RoomLayout layout, boolean sends,
                               Duration phase, Duration drain) throws IOException, InterruptedException {
            parameters.put("processes", processes);
            List<String> args = workerArgs();
            boolean setupBound = scenario.equals("connect") || scenario.equals("idle");
            Coordinator.Plan plan = new Coordinator.Plan(scenario, parameters, layout, processes, sends, phase, drain);
            return new Coordinator(settings(), quiet ? null : System.err, System.err).run(plan, share -> {
                List<String> command = new ArrayList<>(args);
                command.add("--worker");
                command.add(share.toString());
                return WorkerJvm.command(command, setupBound);
            });
        }

        /** This command's name and options as given, less the coordinator's own. */
        private List<String> workerArgs() {
            List<String> args = new ArrayList<>();
            args.add(spec.name());
            for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
                if (COORDINATOR_ONLY.contains(option.longestName())) {
                    continue;
                }
                args.add(option.longestName());
                if (option.arity().max() > 0) {
                    args.addAll(option.originalStringValues());
                }
            }
            return args;
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
            if (findMax) {
                common.refuseProcesses("party --find-max", "each step is judged on all of its deliveries, counted in"
                        + " one process, and a find-max run fits in one; split a party at a fixed --rate instead");
                Party party = common.party();
                FindMax plan = new FindMax(rate, stepFactor, Duration.ofSeconds(stepDuration), Duration.ofSeconds(drain),
                        maxRate == null ? Double.MAX_VALUE : maxRate, maxSteps, minDeliveredPercent / 100,
                        Duration.ofNanos((long) (maxP99Millis * 1e6)));
                BenchResult result = party.findMax(rooms, clients, plan);
                common.finish(result);
                // The last step fails by design: success is every client joined and a step passing.
                return result.connected() == result.clients() && result.lastPassingStep() != null ? 0 : 1;
            }
            Duration sending = Duration.ofSeconds(duration);
            Duration draining = Duration.ofSeconds(drain);
            Common.Scenario party = run -> run.party(rooms, clients, rate, sending, draining);
            if (common.isWorker()) {
                return common.work(party);
            }
            RoomLayout layout = new RoomLayout(rooms, clients);
            return common.finish(common.splits(layout)
                    ? common.coordinate("party", Party.partyParameters(rooms, clients, rate, sending), layout, true,
                            sending, draining)
                    : party.run(common.party()));
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
            common.refuseProcesses("fanout", "its one room cannot be split (a room's clients share one process and"
                    + " its clock), and it fits in one process");
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
            Duration hold = Duration.ofSeconds(duration);
            Common.Scenario idle = run -> run.idle(connections, hold);
            if (common.isWorker()) {
                return common.work(idle);
            }
            RoomLayout layout = RoomLayout.inRoomsOf8(connections);
            BenchResult result = common.splits(layout)
                    ? common.coordinate("idle", Party.idleParameters(connections, hold), layout, false, hold, Duration.ZERO)
                    : idle.run(common.party());
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
        @Option(names = "--warmup", defaultValue = "0", description = "Connections set up and closed first, not"
                + " measured, so that this JVM has loaded and compiled its connect path before the timed ones"
                + " (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            if (connections < 1 || warmup < 0) {
                throw new IllegalArgumentException("--connections must be at least 1 and --warmup at least 0");
            }
            Common.Scenario connect = run -> {
                if (warmup > 0) {
                    // A cold bench spends the measured window loading classes and compiling, on the
                    // cores the server needs: measured 366 us of bench CPU per connection cold.
                    new Party(common.settings(), null).connect(warmup);
                }
                return run.connect(connections);
            };
            if (common.isWorker()) {
                return common.work(connect);
            }
            RoomLayout layout = RoomLayout.inRoomsOf8(connections);
            return common.finish(common.splits(layout)
                    ? common.coordinate("connect", Party.connectParameters(connections, common.settings()), layout, false,
                            Duration.ZERO, Duration.ZERO)
                    : connect.run(common.party()));
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
        @Option(names = "--burst", description = "Paced mode: writes in a row, one broadcast (8: a party room;"
                + " --sockets: a fanout) (default: --sockets, flat out).")
        Integer burst;
        @Option(names = "--bursts-per-second", defaultValue = "0", description = "Paced mode: bursts started per"
                + " second, so that the reader sleeps between them as under a real load (default 0: no pause).")
        double burstsPerSecond;
        @Option(names = "--json", description = "Also write the result as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            int writesPerBurst = burst == null ? sockets : burst;
            if (sockets < 1 || sockets > 9000 || bytes < 1 || duration < 1 || duration > 600 || writesPerBurst < 1
                    || writesPerBurst > sockets || burstsPerSecond < 0) {
                throw new IllegalArgumentException("need 1 <= sockets <= 9000, bytes >= 1, 1 <= duration <= 600,"
                        + " 1 <= burst <= sockets, bursts-per-second >= 0");
            }
            LoopbackFloor.Result result = LoopbackFloor.measure(sockets, bytes, Duration.ofSeconds(duration),
                    writesPerBurst, burstsPerSecond);
            System.out.printf(Locale.ROOT, "loopback floor: %d sockets, %d-byte writes, %s%n", sockets, bytes,
                    burstsPerSecond == 0 ? "flat out"
                            : String.format(Locale.ROOT, "bursts of %d at %.0f/s", writesPerBurst, burstsPerSecond));
            System.out.printf(Locale.ROOT, "  writes            %,d in %.1f s (%,.0f/s)%n", result.writes(),
                    result.elapsed().toNanos() / 1e9, result.writes() / (result.elapsed().toNanos() / 1e9));
            System.out.printf(Locale.ROOT, "  writer CPU/write  %.2f us%n", result.writerCpuMicrosPerWrite());
            System.out.printf(Locale.ROOT, "  reader CPU/write  %.2f us%n", result.readerCpuMicrosPerWrite());
            System.out.printf(Locale.ROOT, "  burst ms          p50 %s p99 %s (first to last write of %d)%n",
                    Report.millis(result.burstMicros().getValueAtPercentile(50)),
                    Report.millis(result.burstMicros().getValueAtPercentile(99)), writesPerBurst);
            if (json != null) {
                var node = Json.mapper().createObjectNode()
                        .put("scenario", "floor").put("sockets", sockets).put("bytes", bytes)
                        .put("burst", writesPerBurst).put("burstsPerSecond", burstsPerSecond)
                        .put("writes", result.writes()).put("seconds", result.elapsed().toNanos() / 1e9)
                        .put("writerCpuMicrosPerWrite", result.writerCpuMicrosPerWrite())
                        .put("readerCpuMicrosPerWrite", result.readerCpuMicrosPerWrite())
                        .put("burstP50Ms", result.burstMicros().getValueAtPercentile(50) / 1000.0)
                        .put("burstP99Ms", result.burstMicros().getValueAtPercentile(99) / 1000.0);
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), node);
            }
            return result.writes() > 0 ? 0 : 1;
        }
    }
}
