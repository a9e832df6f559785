package dev.partyline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU, from the first line of {@code /proc/stat} (Linux): what every process
 * and the kernel used, and what the hypervisor gave to other guests (steal), so a reader can tell
 * a noisy run from a slow one. The kernel samples these per clock tick: over a window where the
 * cores idle between short bursts, busy time reads below the processes' own exact CPU times.
 * Immutable.
 *
 * @param busyTicks user + nice + system + irq + softirq, in clock ticks
 * @param stealTicks steal, in clock ticks
 * @param atNanos {@link System#nanoTime()} when read
 */
public record MachineCpu(long busyTicks, long stealTicks, long atNanos) {
    /** Below this the counters' clock-tick granularity (10 ms) outweighs what they measure. */
    static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    /**
     * CPU use between two readings, in cores (1.0: one core busy for the whole window).
     *
     * @param cores the machine's cores
     * @param seconds the window's length
     * @param busyCores cores busy on average: processes and kernel together
     * @param stealCores cores taken away by the hypervisor on average
     */
    public record Load(int cores, double seconds, double busyCores, double stealCores) {}

    /** Reads the first ({@code cpu}) line of {@code /proc/stat}, or null when it cannot. */
    public static MachineCpu readOrNull() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            return parse(first, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses {@code cpu  user nice system idle iowait irq softirq steal ...}.
     *
     * @throws IllegalArgumentException when the line is not the aggregate cpu line
     */
    static MachineCpu parse(String line, long atNanos) {
        String[] fields = line.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 9) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
        }
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7}) { // user nice system irq softirq; guest time is in user
            busy += Long.parseLong(fields[field]);
        }
        return new MachineCpu(busy, Long.parseLong(fields[8]), atNanos);
    }

    /** The load from {@code before} to {@code after}; null when either is missing or the window is under 1 s. */
    public static Load between(MachineCpu before, MachineCpu after) {
        if (before == null || after == null || after.atNanos - before.atNanos < MIN_WINDOW_NANOS) {
            return null;
        }
        double seconds = (after.atNanos - before.atNanos) / 1e9;
        double ticksPerSecond = ProcStats.clockTicksPerSecond();
        return new Load(Runtime.getRuntime().availableProcessors(), seconds,
                (after.busyTicks - before.busyTicks) / ticksPerSecond / seconds,
                (after.stealTicks - before.stealTicks) / ticksPerSecond / seconds);
    }
}
