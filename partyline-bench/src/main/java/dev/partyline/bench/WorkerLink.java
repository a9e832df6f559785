package dev.partyline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A worker process's end of the {@link WorkerProtocol}: it prints the worker's messages on its
 * stdout and, as the worker's {@link PhaseGate}, waits for the coordinator's {@code go} and
 * {@code finish} on its stdin. When stdin ends before the result was sent, the coordinator is
 * gone and the worker must not outlive it: {@code orphaned} runs (in the bench: exit).
 *
 * <p>The gate methods are called from the run's thread, {@link #progress} from the progress
 * thread; printing is thread-safe.
 */
final class WorkerLink implements PhaseGate {
    private final PrintStream out;
    private final Runnable orphaned;
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    private volatile boolean resultSent;

    /**
     * Starts reading {@code in} on a daemon thread.
     *
     * @param out the worker's stdout, for the protocol's lines only
     */
    WorkerLink(InputStream in, PrintStream out, Runnable orphaned) {
        this.out = out;
        this.orphaned = orphaned;
        Thread reader = new Thread(() -> read(in), "bench-worker-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void ready() throws InterruptedException {
        print(WorkerProtocol.ready());
        await(WorkerProtocol.GO);
    }

    @Override
    public void measured() throws InterruptedException {
        print(WorkerProtocol.measured());
        await(WorkerProtocol.FINISH);
    }

    /** Sends one progress reading. */
    void progress(Progress progress) {
        try {
            print(WorkerProtocol.progress(progress));
        } catch (RuntimeException e) {
            // Said here, not thrown: a scheduled task that throws is never run again, silently.
            System.err.println("partyline-bench worker: progress not sent: " + e);
        }
    }

    /** Sends the result; the worker's last line. */
    void result(BenchResult result) {
        resultSent = true;
        print(WorkerProtocol.result(result));
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Waits for {@code command}; lines before it that are no command of this phase are ignored. */
    private void await(String command) throws InterruptedException {
        String line;
        do {
            line = commands.take();
        } while (!line.equals(command));
    }

    private void read(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                commands.add(line.trim());
            }
        } catch (IOException e) {
            // Same as the end of the stream: the coordinator cannot be heard any more.
        }
        if (!resultSent) {
            orphaned.run();
        }
    }
}
