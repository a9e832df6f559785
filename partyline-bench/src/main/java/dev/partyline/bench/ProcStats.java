package dev.partyline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU and memory of a process, read from {@code /proc} (Linux), and this process's own CPU time.
 * Stateless and thread-safe.
 */
public final class ProcStats {
    private static final long CLOCK_TICKS = clockTicks();

    private ProcStats() {}

    /**
     * One reading of a process.
     *
     * @param cpuNanos utime + stime, in nanoseconds
     * @param rssBytes resident set size (VmRSS), in bytes
     */
    public record Sample(long cpuNanos, long rssBytes) {}

    /**
     * Reads {@code /proc/PID/stat} and {@code /proc/PID/status}.
     *
     * @throws IOException when the process does not exist or the files cannot be read
     */
    public static Sample read(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new Sample(ticks * 1_000_000_000L / CLOCK_TICKS, rssKb * 1024);
    }

    /** Reads a process, or returns null when it cannot (no such process, not Linux). */
    public static Sample readOrNull(long pid) {
        try {
            return read(pid);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU time used by this JVM so far, in nanoseconds; -1 when the JVM cannot tell. */
    public static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Clock ticks per second: the unit of {@code /proc}'s CPU times. */
    static long clockTicksPerSecond() {
        return CLOCK_TICKS;
    }

    /** {@code getconf CLK_TCK}, or 100 (the Linux default) when it cannot be asked. */
    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            process.waitFor();
            long ticks = Long.parseLong(out);
            return ticks > 0 ? ticks : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
