package dev.partyline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the setup-bound scenarios ({@code connect}, {@code idle}) in a child JVM with the C1
 * compiler only and the serial collector. Their run is short and touches a great deal of code
 * (Netty's HTTP and WebSocket codecs, Jackson) once per connection, so in a fresh JVM the C2
 * compiler alone burns seconds of CPU, on the cores the server under test needs; C1 code compiles
 * several times cheaper and is fast enough here (measured: the bench's CPU for 8,000 connections
 * halves). {@code party} and {@code fanout} keep the default tiered JIT: their long send phase
 * repays C2.
 *
 * <p>Skipped when those flags were given already, when {@code PARTYLINE_BENCH_SAME_JVM} is set,
 * or when the JVM cannot say how it was started. Stateless.
 */
final class SetupJvm {
    static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final Set<String> SCENARIOS = Set.of("connect", "idle");
    private static final String MARKER = "-Dpartyline.bench.child=true";

    private SetupJvm() {}

    /**
     * The command of the child JVM for {@code args}, or empty when this JVM should run them itself.
     */
    static Optional<List<String>> childCommand(String[] args) {
        if (args.length == 0 || !SCENARIOS.contains(args[0]) || System.getenv("PARTYLINE_BENCH_SAME_JVM") != null
                || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            return Optional.empty();
        }
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (jvmArgs.contains(MARKER) || jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:TieredStopAtLevel"))) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        String classPath = System.getProperty("java.class.path");
        if (java.isEmpty() || classPath == null || classPath.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(jvmArgs); // -Xmx and the like still apply
        command.addAll(FLAGS);
        command.add(MARKER);
        command.add("-cp");
        command.add(classPath);
        command.add(BenchMain.class.getName());
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /** Runs {@code command} with this process's stdin, stdout and stderr; returns its exit status. */
    static int run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).inheritIO().start();
        try {
            return child.waitFor();
        } finally {
            child.destroy(); // interrupted (Ctrl-C reaches the child too): do not leave it running
        }
    }
}
