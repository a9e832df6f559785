package dev.partyline.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sets up R rooms × N clients: for each client a ticket and a WebSocket over the same TCP
 * connection (see {@link TicketHandler}), {@code welcome}, then the first client of a room creates
 * it (type {@code chat}) and the others join it. At most {@link BenchSettings#concurrency()} clients
 * are being set up at once, in client order, so a room's creator always starts before its joiners.
 *
 * <p>Each of the {@code concurrency} slots is a chain on one event loop: when a client's setup
 * ends, the next client starts on the same loop, so setting up thousands of clients wakes no other
 * thread and hops between none. {@link #open} is called from one thread.
 */
final class Fleet {
    private final BenchSettings settings;
    private final Transport transport;
    private final Metrics metrics;
    private final long epochNanos;
    private final int firstClientId;
    private final InetSocketAddress remote;
    private final String hostHeader;

    /**
     * @param firstClientId the id of the first client: 0 alone, and past the clients of the workers
     *     before this one when a run is split over processes, so that ids, display names and source
     *     addresses ({@link BenchSettings#sourceAddress}) stay unique and spread over the whole run
     */
    Fleet(BenchSettings settings, Transport transport, Metrics metrics, long epochNanos, int firstClientId) {
        this.settings = settings;
        this.transport = transport;
        this.metrics = metrics;
        this.epochNanos = epochNanos;
        this.firstClientId = firstClientId;
        this.remote = settings.remote();
        this.hostHeader = settings.hostHeader();
    }

    /** The clients that joined, and how many joined each room. */
    record Joined(List<BenchConnection> clients, int[] roomSizes) {}

    /**
     * Sets the clients up, waiting until every one joined or failed, or until {@code deadline}
     * ({@link System#nanoTime()}); clients still pending then are closed and left out.
     */
    Joined open(int rooms, int clientsPerRoom, AtomicLongArray sentPerRoom, long deadline) throws InterruptedException {
        Setup setup = new Setup(rooms, clientsPerRoom, sentPerRoom);
        for (int slot = 0; slot < Math.min(settings.concurrency(), setup.total); slot++) {
            setup.startNext(null);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !setup.allDone.await(left, TimeUnit.NANOSECONDS)) {
            setup.stopped = true; // no slot starts another client from now on
        }
        List<BenchConnection> joined = new ArrayList<>(setup.total);
        int[] roomSizes = new int[rooms];
        for (int i = 0; i < setup.total; i++) {
            CompletableFuture<BenchConnection> result = setup.results.get(i);
            if (result == null) {
                continue; // never started
            }
            if (!result.isDone()) {
                metrics.error("connect_timeout");
                setup.clients.get(i).close();
            } else if (!result.isCompletedExceptionally()) {
                BenchConnection client = result.join();
                joined.add(client);
                roomSizes[client.room()]++;
            }
        }
        return new Joined(joined, roomSizes);
    }

    /** The state of one {@link #open}: shared by the slots, which run on event loops. */
    private final class Setup {
        final int total;
        final int clientsPerRoom;
        final AtomicLongArray sentPerRoom;
        final List<CompletableFuture<String>> roomCodes;
        final AtomicReferenceArray<BenchConnection> clients;
        final AtomicReferenceArray<CompletableFuture<BenchConnection>> results;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final CountDownLatch allDone = new CountDownLatch(1);
        volatile boolean stopped;

        Setup(int rooms, int clientsPerRoom, AtomicLongArray sentPerRoom) {
            this.total = rooms * clientsPerRoom;
            this.clientsPerRoom = clientsPerRoom;
            this.sentPerRoom = sentPerRoom;
            this.roomCodes = new ArrayList<>(rooms);
            for (int r = 0; r < rooms; r++) {
                roomCodes.add(new CompletableFuture<>());
            }
            this.clients = new AtomicReferenceArray<>(total);
            this.results = new AtomicReferenceArray<>(total);
        }

        /** Starts the next client on {@code loop} (null: any), if any is left and time is not up. */
        void startNext(EventLoop loop) {
            int i = next.getAndIncrement();
            if (i >= total || stopped) {
                return;
            }
            int room = i / clientsPerRoom;
            BenchConnection client = new BenchConnection(firstClientId + i, room, epochNanos, metrics, sentPerRoom);
            clients.set(i, client);
            CompletableFuture<BenchConnection> result = setUp(loop, client, i % clientsPerRoom == 0, roomCodes.get(room));
            results.set(i, result);
            result.whenComplete((ok, failure) -> {
                if (failure != null) {
                    metrics.error(codeOf(failure));
                    client.close();
                }
                if (ended.incrementAndGet() == total) {
                    allDone.countDown();
                }
                Channel channel = client.channel();
                EventLoop own = channel == null ? null : channel.eventLoop();
                if (own != null && own.inEventLoop()) {
                    own.execute(() -> startNext(own)); // a task, not a call: a run of failures must not recurse
                } else {
                    startNext(own);
                }
            });
        }
    }

    private CompletableFuture<BenchConnection> setUp(EventLoop loop, BenchConnection client, boolean creator,
                                                     CompletableFuture<String> roomCode) {
        long started = System.nanoTime();
        transport.connect(loop, remote, hostHeader, settings.sourceAddress(client.id()), "bench " + client.id(), client,
                settings.connectTimeout());
        CompletableFuture<BenchConnection> result = client.welcomed()
                .thenCompose(welcomed -> creator ? client.create("chat") : roomCode.thenCompose(client::join))
                .thenApply(code -> {
                    metrics.recordHandshakeNanos(System.nanoTime() - started);
                    metrics.connected.incrementAndGet();
                    return client;
                });
        if (creator) {
            result.whenComplete((ok, failure) -> {
                if (failure != null) {
                    roomCode.completeExceptionally(new BenchException("room_not_created", "its creator failed"));
                } else {
                    roomCode.complete(client.roomCode());
                }
            });
        }
        return result;
    }

    /** The code an error is counted under. */
    static String codeOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof BenchException bench) {
            return bench.code();
        }
        if (cause instanceof java.net.ConnectException) {
            return "connect_refused";
        }
        return cause.getClass().getSimpleName();
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
