package dev.partyline.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The scenarios. {@code party}: R rooms × N clients; once all have joined, each client sends
 * {@code rate} chat messages per second for {@code duration}, each broadcast to its room (the
 * sender included); then the bench waits up to {@code drain} for the last deliveries.
 * {@code party --find-max}: the same clients through steps of rising rate (see {@link FindMax}).
 * {@code fanout}: one room, one publisher and S subscribers. {@code idle}: C clients in rooms of 8,
 * held without sending. {@code connect}: set up C clients in rooms of 8 as fast as the concurrency allows, then close.
 *
 * <p>Bounded: the whole run ends by {@code connectTimeout + duration + 30 s} whatever the server
 * does ({@code duration}: for find-max, every step and drain at their longest), not counting the
 * time it waits at its {@link PhaseGate}.
 *
 * <p>As one worker of several processes ({@link WorkerShare}), a run sets up only its share of the
 * rooms, its client ids following those of the workers before it, and waits at its gate after
 * the setup and after the send phase; its result counts only its own clients.
 */
public final class Party {
    /** The slack after the send phase and setup before the run gives up. */
    static final Duration HARD_SLACK = Duration.ofSeconds(30);

    private final BenchSettings settings;
    private final PrintStream progressOut;
    private final WorkerShare share;
    private final PhaseGate gate;
    private final Consumer<Progress> progressSink;

    /** @param progressOut where the once-a-second progress lines go (stderr), or null for none */
    public Party(BenchSettings settings, PrintStream progressOut) {
        this(settings, progressOut, WorkerShare.ALONE, PhaseGate.NONE,
                reading -> {
                    if (progressOut != null) {
                        progressOut.println(reading.line());
                    }
                });
    }

    /**
     * A run that may be one worker's share of a run over several processes.
     *
     * @param progressOut where find-max's step lines go, or null for none
     * @param share the rooms this process holds
     * @param gate where the run waits between its phases
     * @param progress receives a reading once a second, on the progress thread
     */
    Party(BenchSettings settings, PrintStream progressOut, WorkerShare share, PhaseGate gate, Consumer<Progress> progress) {
        this.settings = settings;
        this.progressOut = progressOut;
        this.share = share;
        this.gate = gate;
        this.progressSink = progress;
    }

    /**
     * Runs {@code party}. Blocks until done.
     *
     * @param rate messages per second per client, more than 0
     * @param duration the send phase
     * @param drain how long to wait for deliveries after the last send
     */
    public BenchResult party(int rooms, int clientsPerRoom, double rate, Duration duration, Duration drain)
            throws InterruptedException {
        return run("party", partyParameters(rooms, clientsPerRoom, rate, duration), rooms, clientsPerRoom, rate,
                duration, drain, client -> true, null);
    }

    /** The parameters {@link #party} reports. */
    static Map<String, Object> partyParameters(int rooms, int clientsPerRoom, double rate, Duration duration) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rooms", rooms);
        parameters.put("clients", clientsPerRoom);
        parameters.put("rate", rate);
        parameters.put("durationSeconds", duration.toMillis() / 1000.0);
        return parameters;
    }

    /**
     * Runs {@code party --find-max}: R rooms × N clients connected once, then the steps of
     * {@code plan} (see {@link FindMax}). Blocks until done.
     */
    public BenchResult findMax(int rooms, int clientsPerRoom, FindMax plan) throws InterruptedException {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("rooms", rooms);
        parameters.put("clients", clientsPerRoom);
        parameters.put("findMax", true);
        parameters.put("rate", plan.startRate());
        parameters.put("stepFactor", plan.factor());
        parameters.put("stepSeconds", plan.stepDuration().toMillis() / 1000.0);
        parameters.put("maxSteps", plan.maxSteps());
        if (plan.maxRate() < Double.MAX_VALUE) {
            parameters.put("maxRate", plan.maxRate());
        }
        parameters.put("minDeliveredPercent", 100 * plan.minDelivered());
        parameters.put("maxP99Ms", plan.maxP99().toNanos() / 1e6);
        return run("party", parameters, rooms, clientsPerRoom, plan.startRate(), plan.longest(), plan.drain(),
                client -> true, plan);
    }

    /**
     * Runs {@code fanout}: one room of {@code subscribers} plus one publisher (its creator, client
     * 0), which alone sends {@code rate} messages per second for {@code duration}. The publisher is
     * a member, so each message is expected {@code subscribers + 1} times. Blocks until done.
     */
    public BenchResult fanout(int subscribers, double rate, Duration duration, Duration drain)
            throws InterruptedException {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("subscribers", subscribers);
        parameters.put("rate", rate);
        parameters.put("durationSeconds", duration.toMillis() / 1000.0);
        return run("fanout", parameters, 1, subscribers + 1, rate, duration, drain, client -> client.id() == 0, null);
    }

    /**
     * Runs {@code idle}: {@code connections} clients in rooms of 8, held open without sending for
     * {@code hold}, so that the server's memory per connection can be read (server RSS is sampled
     * before the first connection and at the end of the hold, before any is closed). The server's
     * WebSocket pings are answered by Netty's client protocol handler, so a held connection
     * stays alive across heartbeats; one the server closes counts as an error. Blocks until done.
     */
    public BenchResult idle(int connections, Duration hold) throws InterruptedException {
        RoomLayout layout = RoomLayout.inRoomsOf8(connections);
        return run("idle", idleParameters(connections, hold), layout.rooms(), layout.clientsPerRoom(), 0, hold,
                Duration.ZERO, client -> false, null);
    }

    /** The parameters {@link #idle} reports. */
    static Map<String, Object> idleParameters(int connections, Duration hold) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("connections", RoomLayout.inRoomsOf8(connections).clients());
        parameters.put("holdSeconds", hold.toMillis() / 1000.0);
        return parameters;
    }

    /** Runs {@code connect}: {@code connections} clients in rooms of 8. Blocks until done. */
    public BenchResult connect(int connections) throws InterruptedException {
        RoomLayout layout = RoomLayout.inRoomsOf8(connections);
        return run("connect", connectParameters(connections, settings), layout.rooms(), layout.clientsPerRoom(), 0,
                Duration.ZERO, Duration.ZERO, client -> false, null);
    }

    /** The parameters {@link #connect} reports. */
    static Map<String, Object> connectParameters(int connections, BenchSettings settings) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("connections", RoomLayout.inRoomsOf8(connections).clients());
        parameters.put("concurrency", settings.concurrency());
        return parameters;
    }

    /** Runs this process's share of {@code allRooms} rooms of {@code clientsPerRoom} each. */
    private BenchResult run(String scenario, Map<String, Object> parameters, int allRooms, int clientsPerRoom,
                            double rate, Duration duration, Duration drain,
                            java.util.function.Predicate<BenchConnection> sends, FindMax findMax)
            throws InterruptedException {
        int rooms = share.rooms(allRooms);
        int firstClientId = share.firstRoom(allRooms) * clientsPerRoom;
        long epoch = System.nanoTime();
        long hardDeadline = epoch + settings.connectTimeout().plus(duration).plus(HARD_SLACK).toNanos();
        Metrics metrics = new Metrics();
        AtomicLongArray sentPerRoom = new AtomicLongArray(rooms);
        int total = rooms * clientsPerRoom;
        ProcStats.Sample serverBefore = settings.serverPid() == null ? null : ProcStats.readOrNull(settings.serverPid());
        long ownBefore = ProcStats.ownCpuNanos();
        MachineCpu machineBefore = MachineCpu.readOrNull();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-progress");
            thread.setDaemon(true);
            return thread;
        });
        int[] sizesHolder = new int[rooms];
        ticker.scheduleAtFixedRate(() -> progress(metrics, epoch, total, sentPerRoom, sizesHolder), 1, 1, TimeUnit.SECONDS);
        try (Transport transport = new Transport(settings.ioThreads())) {
            Fleet fleet = new Fleet(settings, transport, metrics, epoch, firstClientId);
            long connectDeadline = Math.min(hardDeadline, epoch + settings.connectTimeout().toNanos());
            // From the first connection on: starting the event loops is no connection's setup.
            long connectStart = System.nanoTime();
            Fleet.Joined joined = fleet.open(rooms, clientsPerRoom, sentPerRoom, connectDeadline);
            Duration connectTime = Fleet.since(connectStart);
            System.arraycopy(joined.roomSizes(), 0, sizesHolder, 0, rooms);
            long gateStart = System.nanoTime();
            gate.ready();
            // Waiting for the other workers' setup is no part of this run's budget.
            hardDeadline += System.nanoTime() - gateStart;
            long sendStart = System.nanoTime();
            if (rate > 0) {
                // CPU per delivery is about the send phase: the setup's handshakes are not in it.
                serverBefore = settings.serverPid() == null ? null : ProcStats.readOrNull(settings.serverPid());
                ownBefore = ProcStats.ownCpuNanos();
                machineBefore = MachineCpu.readOrNull();
            }
            Duration measured = Duration.ZERO;
            FindMax.Outcome outcome = null;
            if (findMax != null) {
                outcome = findMax.run(joined.clients(), joined.roomSizes(), metrics, epoch, hardDeadline, progressOut);
                measured = outcome.steps().stream().map(StepResult::measured).reduce(Duration.ZERO, Duration::plus);
            } else if (rate > 0 && !duration.isZero()) {
                long interval = (long) (1e9 / rate);
                int count = (int) Math.floor(rate * duration.toNanos() / 1e9);
                // Start a little later so the first sends are not all late; spread clients over one
                // interval (golden-ratio phases) so that they do not send in lockstep.
                long first = sendStart - epoch + 50_000_000L;
                for (BenchConnection client : joined.clients()) {
                    if (!sends.test(client)) {
                        continue;
                    }
                    long phase = (long) (interval * ((client.id() * 0.6180339887) % 1.0));
                    client.startSending(first + phase, interval, count, 0, null);
                }
                long sendEnd = first + interval + (count - 1L) * interval + epoch;
                waitUntil(Math.min(sendEnd, hardDeadline));
                measured = Fleet.since(sendStart);
                long drainDeadline = Math.min(hardDeadline, System.nanoTime() + drain.toNanos());
                while (System.nanoTime() < drainDeadline
                        && metrics.unique.sum() < expected(sentPerRoom, joined.roomSizes())) {
                    Thread.sleep(20);
                }
            } else if (!duration.isZero()) {
                waitUntil(Math.min(sendStart + duration.toNanos(), hardDeadline));
                measured = Fleet.since(sendStart);
            }
            gate.measured();
            ticker.shutdownNow();
            ticker.awaitTermination(1, TimeUnit.SECONDS);
            metrics.takeLatencyInterval();
            metrics.takeHandshakeInterval();
            List<DeliveryLedger> ledgers = new ArrayList<>(joined.clients().size());
            for (BenchConnection client : joined.clients()) {
                try {
                    ledgers.add(client.ledgerOnLoop().get(2, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    metrics.error("ledger_unavailable");
                }
            }
            long[] sent = new long[rooms];
            for (int r = 0; r < rooms; r++) {
                sent[r] = sentPerRoom.get(r);
            }
            DeliveryCounts counts = DeliveryCounts.tally(sent, joined.roomSizes(), ledgers);
            // Read before closing: idle's memory per connection is about the connections held.
            ProcStats.Sample serverAfter = settings.serverPid() == null ? null : ProcStats.readOrNull(settings.serverPid());
            joined.clients().forEach(BenchConnection::close);
            long ownAfter = ProcStats.ownCpuNanos();
            MachineCpu machineAfter = MachineCpu.readOrNull();
            return new BenchResult(scenario, parameters, transport.epoll() ? "epoll" : "nio", total,
                    joined.clients().size(), connectTime, measured, counts, metrics.latencyTotal(),
                    metrics.handshakeTotal(), metrics.errors(), serverBefore, serverAfter,
                    ownBefore < 0 || ownAfter < 0 ? null : Duration.ofNanos(ownAfter - ownBefore),
                    outcome == null ? List.of() : outcome.steps(), outcome == null ? null : outcome.stopReason(),
                    MachineCpu.between(machineBefore, machineAfter));
        } finally {
            ticker.shutdownNow();
        }
    }

    private static long expected(AtomicLongArray sentPerRoom, int[] roomSizes) {
        long expected = 0;
        for (int r = 0; r < roomSizes.length; r++) {
            expected += sentPerRoom.get(r) * roomSizes[r];
        }
        return expected;
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
        }
    }

    private void progress(Metrics metrics, long epoch, int total, AtomicLongArray sentPerRoom, int[] roomSizes) {
        var interval = metrics.takeLatencyInterval();
        metrics.takeHandshakeInterval();
        long seconds = (System.nanoTime() - epoch) / 1_000_000_000L;
        progressSink.accept(new Progress(seconds, metrics.connected.get(), total, metrics.sent.sum(), metrics.delivered.sum(),
                expected(sentPerRoom, roomSizes), metrics.errorCount(), interval));
    }
}
