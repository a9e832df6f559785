package dev.partyline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM, seen from its {@link Coordinator}: it runs the worker's command with its stderr
 * inherited (so that its errors show), reads its stdout on a daemon thread and hands each
 * {@link WorkerProtocol} message, then its exit, to the coordinator's queue; any other line of its
 * stdout goes to {@code otherLines}. Thread-safe.
 */
final class WorkerProcess {
    private static final long EXIT_WAIT_SECONDS = 5;

    /** A message of worker {@code from}. */
    record Event(WorkerProcess from, WorkerMessage message) {}

    private final WorkerShare share;
    private final Process process;
    private final OutputStream stdin;

    private WorkerProcess(WorkerShare share, Process process) {
        this.share = share;
        this.process = process;
        this.stdin = process.getOutputStream();
    }

    /**
     * Starts the worker.
     *
     * @param events where its messages go, in the order it printed them, {@link WorkerMessage.Exited} last
     *     (once its stdout ended)
     * @param otherLines where the lines of its stdout that are not the protocol's go
     * @throws IOException when the JVM cannot be started
     */
    static WorkerProcess start(WorkerShare share, List<String> command, BlockingQueue<Event> events,
                               PrintStream otherLines) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        WorkerProcess worker = new WorkerProcess(share, process);
        Thread reader = new Thread(() -> worker.read(events, otherLines), "bench-worker-" + share.number());
        reader.setDaemon(true);
        reader.start();
        return worker;
    }

    WorkerShare share() {
        return share;
    }

    /** Writes one command line to the worker's stdin; false when it cannot (the worker is gone). */
    boolean send(String command) {
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the worker and waits a little for it to be gone. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /**
     * Closes its stdin (a worker that has not printed its result then exits by itself), waits up
     * to 5 s for it to exit, and kills it if it did not.
     */
    void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // Already gone: nothing left to tell it.
        }
        if (!waitFor()) {
            kill();
        }
    }

    private boolean waitFor() {
        try {
            return process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private void read(BlockingQueue<Event> events, PrintStream otherLines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                WorkerMessage message;
                try {
                    message = WorkerProtocol.parse(line);
                } catch (IllegalArgumentException e) {
                    message = new WorkerMessage.Unreadable(e.getMessage());
                }
                if (message == null) {
                    otherLines.println(line);
                } else {
                    events.add(new Event(this, message));
                }
            }
        } catch (IOException e) {
            // Its stdout broke: for the coordinator the same as its end.
        }
        events.add(new Event(this, new WorkerMessage.Exited(waitFor() ? process.exitValue() : -1)));
    }
}
