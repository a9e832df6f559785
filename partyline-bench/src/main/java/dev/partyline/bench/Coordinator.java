package dev.partyline.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one scenario as N worker processes ({@code --processes N}), for a server that holds more
 * connections than one process may open, and reports one result as if one process had run it.
 *
 * <p>The phases, over {@link WorkerProtocol}: every worker sets up its share of the rooms
 * ({@link WorkerShare}) and says {@code ready}; once all are, the coordinator samples the server
 * (when a scenario sends: the setup's handshakes are no part of CPU per delivery) and says
 * {@code go}; every worker sends (or holds) and drains, then says {@code measured}; once all have,
 * the coordinator samples the server again, while every connection is still open, and says
 * {@code finish}; every worker counts, closes and prints its result, which the coordinator adds up
 * ({@link CombinedResult}). Once a second it prints one progress line for all workers.
 *
 * <p>Bounded: a worker not ready by {@code connectTimeout + 15 s}, or not done by
 * {@code connectTimeout + duration + drain + 60 s}, or one that dies or prints garbage, fails the
 * run: every worker is killed, the failed ones are named on stderr and counted as
 * {@code worker_failed}, and the result holds what the finished workers reported. Workers exit by
 * themselves when the coordinator dies (their stdin ends). Runs on the calling thread.
 */
final class Coordinator {
    /** A worker JVM's start and the close of its clients still pending at its connect deadline. */
    static final Duration STARTUP_SLACK = Duration.ofSeconds(15);
    /** After the send phase and drain: counting, closing and exiting. */
    static final Duration HARD_SLACK = Duration.ofSeconds(60);
    private static final int READY = 1;
    private static final int MEASURED = 2;
    private static final int FINISHED = 3;
    private static final String[] PHASE_NAMES = {"start", "ready", "measured", "result"};

    /**
     * One run to split.
     *
     * @param scenario {@code party}, {@code idle} or {@code connect}
     * @param parameters the whole run's, as one process would report them, {@code processes} included
     * @param layout the whole run's rooms; each worker gets at least one
     * @param processes the workers, 2 to {@link WorkerShare#MAX_WORKERS}
     * @param sends whether the scenario has a send phase (CPU per delivery is sampled around it)
     * @param phase the send phase or the hold; zero for {@code connect}
     * @param drain the longest wait for the last deliveries
     */
    record Plan(String scenario, Map<String, Object> parameters, RoomLayout layout, int processes, boolean sends,
                Duration phase, Duration drain) {}

    private final BenchSettings settings;
    private final PrintStream progressOut;
    private final PrintStream log;

    /**
     * @param progressOut where the progress lines go, or null for none
     * @param log where failures and the workers' stray stdout lines go (stderr)
     */
    Coordinator(BenchSettings settings, PrintStream progressOut, PrintStream log) {
        this.settings = settings;
        this.progressOut = progressOut;
        this.log = log;
    }

    /** The state of one worker, on the coordinator's thread. */
    private static final class Worker {
        final WorkerProcess process;
        int reached;
        BenchResult result;
        String failure;

        Worker(WorkerProcess process) {
            this.process = process;
        }
    }

    /**
     * Runs {@code plan}, starting worker I of N with {@code command.apply(share)}. Blocks until done.
     *
     * @throws IOException when a worker JVM cannot be started (those started are killed)
     * @throws IllegalStateException when {@code command} cannot build a worker's command (likewise)
     */
    BenchResult run(Plan plan, Function<WorkerShare, List<String>> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.connectTimeout().plus(plan.phase()).plus(plan.drain()).plus(HARD_SLACK).toNanos();
        long readyDeadline = Math.min(deadline, start + settings.connectTimeout().plus(STARTUP_SLACK).toNanos());
        ProcStats.Sample serverBefore = sampleServer();
        long cpuBefore = ProcStats.ownCpuNanos();
        MachineCpu machineBefore = MachineCpu.readOrNull();
        ProcStats.Sample serverAfter = null;
        BlockingQueue<WorkerProcess.Event> events = new LinkedBlockingQueue<>();
        List<Worker> workers = new ArrayList<>(plan.processes());
        Phases phases = new Phases(workers, events, new ProgressSum(plan.layout().clients()), start);
        try {
            for (int i = 1; i <= plan.processes(); i++) {
                WorkerShare share = new WorkerShare(i, plan.processes());
                workers.add(new Worker(WorkerProcess.start(share, command.apply(share), events, log)));
            }
            boolean ok = phases.await(READY, readyDeadline);
            if (ok) {
                if (plan.sends()) {
                    serverBefore = sampleServer();
                    cpuBefore = ProcStats.ownCpuNanos();
                    machineBefore = MachineCpu.readOrNull();
                }
                ok = phases.tell(WorkerProtocol.GO) && phases.await(MEASURED, deadline);
            }
            // Read before any client closes: idle's memory per connection is about the connections held.
            serverAfter = sampleServer();
            ok = ok && phases.tell(WorkerProtocol.FINISH) && phases.await(FINISHED, deadline);
            if (!ok) {
                workers.forEach(w -> w.process.kill());
            }
        } catch (IOException | RuntimeException e) {
            workers.forEach(w -> w.process.kill()); // a worker that could not start: none may run on alone
            throw e;
        } finally {
            workers.forEach(w -> w.process.close());
        }
        long cpuAfter = ProcStats.ownCpuNanos();
        MachineCpu machineAfter = MachineCpu.readOrNull();
        List<BenchResult> results = new ArrayList<>();
        int failed = 0;
        for (Worker w : workers) {
            if (w.result != null) {
                results.add(w.result);
            } else {
                failed++;
                log.printf(Locale.ROOT, "partyline-bench: worker %s failed: %s%n", w.process.share(),
                        w.failure == null ? "stopped when another worker failed" : w.failure);
            }
        }
        return CombinedResult.of(plan.scenario(), plan.parameters(), plan.layout().clients(), results, failed,
                serverBefore, serverAfter, cpuBefore < 0 || cpuAfter < 0 ? null : Duration.ofNanos(cpuAfter - cpuBefore),
                MachineCpu.between(machineBefore, machineAfter));
    }

    private ProcStats.Sample sampleServer() {
        return settings.serverPid() == null ? null : ProcStats.readOrNull(settings.serverPid());
    }

    /** Moves the workers through the phases: reads their messages, and prints progress meanwhile. */
    private final class Phases {
        final List<Worker> workers;
        final BlockingQueue<WorkerProcess.Event> events;
        final ProgressSum progress;
        final long start;
        long nextProgress;

        Phases(List<Worker> workers, BlockingQueue<WorkerProcess.Event> events, ProgressSum progress, long start) {
            this.workers = workers;
            this.events = events;
            this.progress = progress;
            this.start = start;
            this.nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        }

        /** Sends {@code command} to every worker; false (and that worker failed) when one cannot be told. */
        boolean tell(String command) {
            for (Worker w : workers) {
                if (!w.process.send(command)) {
                    w.failure = "its stdin closed before " + command;
                    return false;
                }
            }
            return true;
        }

        /**
         * Waits until every worker reached {@code phase}; false as soon as one failed, or at
         * {@code until} ({@link System#nanoTime()}), when those not there yet fail.
         */
        boolean await(int phase, long until) throws InterruptedException {
            while (workers.stream().anyMatch(w -> w.reached < phase)) {
                long now = System.nanoTime();
                if (now >= until) {
                    String why = String.format(Locale.ROOT, "no %s within %.0f s of the start", PHASE_NAMES[phase],
                            (until - start) / 1e9);
                    workers.stream().filter(w -> w.reached < phase).forEach(w -> w.failure = why);
                    return false;
                }
                WorkerProcess.Event event = events.poll(Math.min(until, nextProgress) - now, TimeUnit.NANOSECONDS);
                if (event != null && !handle(event)) {
                    return false;
                }
                printProgressIfDue();
            }
            return true;
        }

        /** Takes one message in; false when it means its worker failed. */
        private boolean handle(WorkerProcess.Event event) {
            Worker w = workers.stream().filter(x -> x.process == event.from()).findFirst().orElseThrow();
            WorkerMessage message = event.message();
            if (message instanceof WorkerMessage.Ready) {
                w.reached = Math.max(w.reached, READY);
            } else if (message instanceof WorkerMessage.Measured) {
                w.reached = Math.max(w.reached, MEASURED);
            } else if (message instanceof WorkerMessage.Ticked ticked) {
                progress.add(w.process.share().number(), ticked.progress());
            } else if (message instanceof WorkerMessage.Finished finished) {
                w.result = finished.result();
                w.reached = FINISHED;
            } else if (message instanceof WorkerMessage.Unreadable unreadable) {
                w.failure = unreadable.problem();
                return false;
            } else if (message instanceof WorkerMessage.Exited exited && w.reached < FINISHED) {
                w.failure = "exited with status " + exited.status() + " before its " + PHASE_NAMES[w.reached + 1]
                        + " (see its stderr above)";
                return false;
            }
            return true;
        }

        private void printProgressIfDue() {
            long now = System.nanoTime();
            if (now < nextProgress) {
                return;
            }
            while (nextProgress <= now) {
                nextProgress += TimeUnit.SECONDS.toNanos(1);
            }
            Progress sum = progress.take((now - start) / 1_000_000_000L);
            if (sum != null && progressOut != null) {
                progressOut.println(sum.line());
            }
        }
    }
}
