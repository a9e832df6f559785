package dev.partyline.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command that starts one worker JVM of a run over several processes: this JVM's java binary,
 * its JVM arguments and its class path, like {@link SetupJvm}'s child, then
 * {@code BenchMain <scenario> <options> --worker I/N}. Stateless.
 */
final class WorkerJvm {
    private WorkerJvm() {}

    /**
     * @param benchArgs the scenario and its options, {@code --worker} included
     * @param setupBound whether the scenario is {@code connect} or {@code idle}: its workers get
     *     {@link SetupJvm#FLAGS} (unless this JVM has them already), for the same reason its single
     *     process does
     * @throws IllegalStateException when this JVM cannot say how it was started
     */
    static List<String> command(List<String> benchArgs, boolean setupBound) {
        Optional<String> java = ProcessHandle.current().info().command();
        // Under Surefire this JVM runs from a manifest-only booter jar (surefire.real.class.path), but
        // Surefire sets java.class.path to the real test class path, so a worker started with it
        // finds every class, test classes included.
        String classPath = System.getProperty("java.class.path");
        if (java.isEmpty() || classPath == null || classPath.isEmpty()) {
            throw new IllegalStateException("cannot start worker JVMs: this JVM's java binary or class path is unknown");
        }
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(jvmArgs); // -Xmx and the like still apply
        if (setupBound) {
            SetupJvm.FLAGS.stream().filter(flag -> !jvmArgs.contains(flag)).forEach(command::add);
        }
        command.add("-cp");
        command.add(classPath);
        command.add(BenchMain.class.getName());
        command.addAll(benchArgs);
        return command;
    }
}
