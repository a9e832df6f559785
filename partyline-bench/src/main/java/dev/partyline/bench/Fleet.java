package dev.partyline.bench;

import dev.partyline.client.Ticket;
import dev.partyline.client.TicketClient;
import dev.partyline.client.PartylineException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sets up R rooms × N clients: for each client a ticket, a WebSocket, {@code welcome}, then the
 * first client of a room creates it (type {@code chat}) and the others join it. At most
 * {@link BenchSettings#concurrency()} clients are being set up at once, in client order, so a
 * room's creator always starts before its joiners. Used from one thread.
 */
final class Fleet {
    private final BenchSettings settings;
    private final Transport transport;
    private final Metrics metrics;
    private final long epochNanos;
    private final TicketClient tickets;

    Fleet(BenchSettings settings, Transport transport, Metrics metrics, long epochNanos) {
        this.settings = settings;
        this.transport = transport;
        this.metrics = metrics;
        this.epochNanos = epochNanos;
        this.tickets = new TicketClient(settings.server(), null, null, settings.connectTimeout());
    }

    /** The clients that joined, and how many joined each room. */
    record Joined(List<BenchConnection> clients, int[] roomSizes) {}

    /**
     * Sets the clients up, waiting until every one joined or failed, or until {@code deadline}
     * ({@link System#nanoTime()}); clients still pending then are closed and left out.
     */
    Joined open(int rooms, int clientsPerRoom, AtomicLongArray sentPerRoom, long deadline) throws InterruptedException {
        int total = rooms * clientsPerRoom;
        Semaphore permits = new Semaphore(settings.concurrency());
        List<CompletableFuture<String>> codes = new ArrayList<>(rooms);
        for (int r = 0; r < rooms; r++) {
            codes.add(new CompletableFuture<>());
        }
        List<BenchConnection> all = new ArrayList<>(total);
        List<CompletableFuture<BenchConnection>> setups = new ArrayList<>(total);
        for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            int room = i / clientsPerRoom;
            BenchConnection client = new BenchConnection(i, room, epochNanos, metrics, sentPerRoom);
            all.add(client);
            CompletableFuture<BenchConnection> setup = setUp(client, i % clientsPerRoom == 0, codes.get(room));
            setup.whenComplete((ok, failure) -> {
                permits.release();
                if (failure != null) {
                    metrics.error(codeOf(failure));
                    client.close();
                }
            });
            setups.add(setup);
        }
        List<BenchConnection> joined = new ArrayList<>(total);
        int[] roomSizes = new int[rooms];
        for (int i = 0; i < setups.size(); i++) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                BenchConnection client = setups.get(i).get(left, TimeUnit.NANOSECONDS);
                joined.add(client);
                roomSizes[client.room()]++;
            } catch (java.util.concurrent.ExecutionException e) {
                // Counted by the listener above.
            } catch (java.util.concurrent.TimeoutException e) {
                metrics.error("connect_timeout");
                all.get(i).close();
            }
        }
        return new Joined(joined, roomSizes);
    }

    private CompletableFuture<BenchConnection> setUp(BenchConnection client, boolean creator,
                                                     CompletableFuture<String> roomCode) {
        long started = System.nanoTime();
        CompletableFuture<BenchConnection> result = tickets.fetch("bench " + client.id(), null)
                .thenCompose((Ticket ticket) -> {
                    transport.connect(settings.webSocket(ticket.ticket()), settings.sourceAddress(client.id()), client,
                            settings.connectTimeout());
                    return client.welcomed();
                })
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
        if (cause instanceof PartylineException refused) {
            return refused.code();
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
