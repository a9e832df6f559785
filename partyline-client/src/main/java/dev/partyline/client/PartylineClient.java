package dev.partyline.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.ControlFrameHandler;
import dev.partyline.client.raw.WebSocketTarget;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ClientMessageCodec;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Partyline client: one player's session with a server, over one WebSocket at a time.
 *
 * <pre>{@code
 * try (PartylineClient alice = PartylineClient.connect(ClientConfig.builder("http://127.0.0.1:8080").name("Alice").build())) {
 *     alice.onEvent(event -> System.out.println(event.name() + " " + event.data()));
 *     ServerMessage.State room = alice.create("chat", null).get(5, SECONDS);
 *     alice.send(room.room(), "say", Json.nodes().objectNode().put("text", "hi")).get(5, SECONDS);
 * }
 * }</pre>
 *
 * <p><b>Connecting.</b> {@link #connect()} asks {@code POST /api/tickets} for a ticket, opens
 * {@code /ws} with it (in the URL or in a first {@code auth} frame, see {@link AuthMode}), with an
 * {@code Origin} header, and completes with the server's {@code welcome}. A client connects once;
 * after it is closed it cannot be used again.
 *
 * <p><b>Requests.</b> {@link #create}, {@link #join}, {@link #leave}, {@link #send} and {@link
 * #ping} send a request with the next integer {@code id} and complete with its reply. An error
 * reply fails the future with a {@link PartylineException} carrying the server's code; no reply
 * within the request timeout fails it with {@link RequestTimeoutException}; a connection that
 * drops first fails it with {@link ConnectionClosedException}; a request while not connected
 * fails at once with code {@code not_connected}. Requests are not queued across reconnects.
 *
 * <p><b>Reconnecting.</b> When the connection drops with any close code but 1000, 4001, 4004
 * and 4005, the client (unless its {@link ReconnectPolicy} says not to) waits a jittered,
 * growing delay, gets a fresh ticket, connects again, joins its rooms again and calls the
 * {@link #onReconnect} listeners.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Each client is pinned to one
 * event loop of its group: listeners are called there, request futures complete there, and so
 * the stages chained to them with {@code thenApply} and friends run there too. None of these may
 * block; in particular never wait on another request's future inside a listener or a stage (use
 * {@code thenCompose}, or {@code thenApplyAsync} with an executor of your own).
 */
public final class PartylineClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartylineClient.class);
    private static final ClientMessageCodec CLIENT_CODEC = new ClientMessageCodec();
    private static final ServerMessageCodec SERVER_CODEC = new ServerMessageCodec();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /** Normal close, bad credentials, replaced by a newer connection, transferred: retrying would not help. */
    private static final Set<Integer> FINAL_CLOSE_CODES = Set.of(1000, 4001, 4004, 4005);

    private enum Phase { NEW, CONNECTING, OPEN, RECONNECTING, CLOSING, CLOSED }

    private final ClientConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final TicketClient tickets;
    private final PendingRequests pending;
    private final RoomTracker rooms = new RoomTracker();
    private final Listeners listeners = new Listeners();
    private final Connection.Listener connectionListener = new ConnectionEvents();
    private final CompletableFuture<ServerMessage.Welcome> connected = new CompletableFuture<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

    // Confined to the event loop.
    private Phase phase = Phase.NEW;
    private int attempts;
    private CloseStatus lastClose = new CloseStatus(ControlFrameHandler.ABNORMAL, "");
    private ScheduledFuture<?> reconnectTask;
    private Connection opening;

    // Written on the event loop, read anywhere.
    private volatile Connection connection;
    private volatile ServerMessage.Welcome welcome;

    /**
     * Creates a client that is not connected yet: add listeners, then {@link #connect()}.
     * Creates its own one-thread event loop group unless the config brings one.
     *
     * @param config the settings; never null
     */
    public PartylineClient(ClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ownsGroup = config.eventLoopGroup() == null;
        this.group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("partyline-client", true),
                        NioIoHandler.newFactory())
                : config.eventLoopGroup();
        this.loop = group.next();
        this.tickets = TicketClient.of(config);
        this.pending = new PendingRequests(loop, config.requestTimeout());
    }

    /**
     * Creates a client and connects it, blocking until {@code welcome}. For listeners that must
     * not miss the first frames after {@code welcome}, use the constructor and {@link #connect()}.
     *
     * @param config the settings; never null
     * @return the connected client; the caller closes it
     * @throws PartylineException when connecting failed, as {@link #connect()} describes
     */
    public static PartylineClient connect(ClientConfig config) {
        PartylineClient client = new PartylineClient(config);
        try {
            client.connect().get();
            return client;
        } catch (ExecutionException e) {
            client.close();
            throw e.getCause() instanceof PartylineException partyline ? partyline
                    : new PartylineException(PartylineException.CONNECT_FAILED, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new PartylineException(PartylineException.CONNECT_FAILED, "Interrupted while connecting", e);
        }
    }

    /**
     * Gets a ticket, opens the WebSocket and waits for {@code welcome}. Calling it again returns
     * the same outcome. A failed connect closes the client and is not retried.
     *
     * @return completes on the event loop with the welcome; or exceptionally with a {@link
     *     PartylineException}: {@link TicketRefusedException} (the ticket request got an HTTP
     *     error), {@link ConnectionClosedException} (the server closed before welcome, for
     *     example 4001 for a refused ticket), {@link RequestTimeoutException}, or code {@code
     *     connect_failed} with the cause (unreachable, or {@link
     *     dev.partyline.client.raw.UpgradeRefusedException} with the HTTP status and body)
     */
    public CompletableFuture<ServerMessage.Welcome> connect() {
        onLoop(() -> {
            if (phase != Phase.NEW) {
                return;
            }
            phase = Phase.CONNECTING;
            openSession().whenComplete((welcomed, failure) -> {
                if (phase != Phase.CONNECTING) {
                    return; // closed meanwhile; terminate() failed the future
                }
                if (failure != null) {
                    connected.completeExceptionally(failure);
                    terminate(statusOf(failure), false);
                } else {
                    phase = Phase.OPEN;
                    connected.complete(welcomed);
                }
            });
        }, connected);
        return connected.copy();
    }

    /** The settings of this client. */
    public ClientConfig config() {
        return config;
    }

    /** Whether a connection is open and welcomed now. Thread-safe. */
    public boolean isConnected() {
        return connection != null;
    }

    /** The {@code welcome} of the current (or last) connection, or null before the first. Thread-safe. */
    public ServerMessage.Welcome welcome() {
        return welcome;
    }

    /** The player's id from {@code welcome}, or null before it. */
    public String playerId() {
        ServerMessage.Welcome current = welcome;
        return current == null ? null : current.player().id();
    }

    /** The player's display name from {@code welcome}, or null before it. */
    public String playerName() {
        ServerMessage.Welcome current = welcome;
        return current == null ? null : current.player().name();
    }

    /** The session id from {@code welcome}, or null before it. */
    public String session() {
        ServerMessage.Welcome current = welcome;
        return current == null ? null : current.session();
    }

    /** The server's heartbeat interval in milliseconds from {@code welcome}, or 0 before it. */
    public long heartbeatMs() {
        ServerMessage.Welcome current = welcome;
        return current == null ? 0 : current.heartbeatMs();
    }

    /** The id of the node that welcomed this client, or null before it. */
    public String node() {
        ServerMessage.Welcome current = welcome;
        return current == null ? null : current.node();
    }

    /**
     * Creates a room; the server makes this player its host.
     *
     * @param type the room type, for example {@code "chat"}; never null
     * @param options the room's options object, or null
     * @return completes with the room's snapshot (its {@code room} is the join code)
     */
    public CompletableFuture<ServerMessage.State> create(String type, JsonNode options) {
        Objects.requireNonNull(type, "type");
        return request(id -> new ClientMessage.Create(id, type, options), "create " + type, this::snapshot);
    }

    /**
     * Joins a room by code (case and surrounding spaces do not matter).
     *
     * @param code the join code; never null
     * @return completes with the room's snapshot; fails with code {@code room_not_found},
     *     {@code room_full}, … when the server refuses
     */
    public CompletableFuture<ServerMessage.State> join(String code) {
        Objects.requireNonNull(code, "code");
        return request(id -> new ClientMessage.Join(id, code), "join " + code, this::snapshot);
    }

    /**
     * Leaves a room; the client forgets its position there.
     *
     * @param code the join code; never null
     * @return completes (with null) when the server confirmed
     */
    public CompletableFuture<Void> leave(String code) {
        Objects.requireNonNull(code, "code");
        return request(id -> new ClientMessage.Leave(id, code), "leave " + code, data -> {
            rooms.remove(code);
            return null;
        });
    }

    /**
     * Sends a message to a room's logic, for example {@code send("ABCD", "say", {"text": "hi"})}.
     *
     * @param room the join code; never null
     * @param name the message name the room type handles; never null
     * @param data the message's data, or null
     * @return completes with the reply's data, which may be null
     */
    public CompletableFuture<JsonNode> send(String room, String name, JsonNode data) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(name, "name");
        return request(id -> new ClientMessage.Send(id, room, name, data), name + " to " + room, Function.identity());
    }

    /**
     * An application-level round trip.
     *
     * @return completes with the time from sending the ping to reading its reply
     */
    public CompletableFuture<Duration> ping() {
        long[] sentAt = new long[1];
        return request(id -> {
            sentAt[0] = System.nanoTime();
            return new ClientMessage.Ping(id);
        }, "ping", data -> Duration.ofNanos(System.nanoTime() - sentAt[0]));
    }

    /** The rooms this client is a member of (as the server spells their codes). A copy; thread-safe. */
    public List<String> rooms() {
        return rooms.memberRooms();
    }

    /**
     * The {@code epoch} and highest {@code seq} seen in each room this client is a member of,
     * updated from snapshots and events before listeners are called. A copy; thread-safe.
     */
    public Map<String, ClientMessage.RoomPosition> positions() {
        return rooms.positions();
    }

    /** The position in one room, or null when this client is not a member of it. Thread-safe. */
    public ClientMessage.RoomPosition position(String room) {
        return rooms.position(room);
    }

    /**
     * Calls {@code listener} with each {@code event} of the rooms this client is in, in the
     * order they arrive, on the client's event loop. Must not block.
     */
    public Registration onEvent(Consumer<ServerMessage.Event> listener) {
        return listeners.onEvent(listener);
    }

    /**
     * Calls {@code listener} with each {@code state} frame (a full snapshot the server pushes),
     * on the client's event loop. The snapshots that answer {@link #create} and {@link #join}
     * complete those futures instead. Must not block.
     */
    public Registration onState(Consumer<ServerMessage.State> listener) {
        return listeners.onState(listener);
    }

    /**
     * Calls {@code listener} with each {@code error} frame (a problem not tied to a request),
     * on the client's event loop. Must not block.
     */
    public Registration onError(Consumer<ServerMessage.Error> listener) {
        return listeners.onError(listener);
    }

    /**
     * Calls {@code listener} each time a welcomed connection closes, on the client's event loop,
     * after the requests in flight have failed. When the client ends for good (closed, refused,
     * or out of reconnect attempts) the last call has {@code reconnecting == false}. A connect
     * that fails before {@code welcome} calls no listener: its future says why. Must not block.
     */
    public Registration onClose(CloseListener listener) {
        return listeners.onClose(listener);
    }

    /**
     * Calls {@code listener} after a reconnect, once the rooms were joined again, on the client's
     * event loop. Must not block.
     */
    public Registration onReconnect(Consumer<Reconnected> listener) {
        return listeners.onReconnect(listener);
    }

    /**
     * Completes, on the event loop, when the client has ended for good: with the close code that
     * ended it (1000 after {@link #close()}). Never completes exceptionally.
     */
    public CompletableFuture<CloseStatus> closed() {
        return closed.copy();
    }

    /**
     * Starts closing: a close frame with 1000, then the connection and, when the client owns
     * it, the event loop group are released. Fails requests still waiting. Idempotent.
     *
     * @return as {@link #closed()}
     */
    public CompletableFuture<CloseStatus> closeAsync() {
        onLoop(this::beginClose, null);
        return closed.copy();
    }

    /**
     * Closes with 1000 and waits (a few seconds at most) until the connection and an own event
     * loop group are released. Idempotent. Called on the client's own event loop (from a
     * listener) it starts closing and returns without waiting.
     */
    @Override
    public void close() {
        CompletableFuture<CloseStatus> done = closeAsync();
        if (loop.inEventLoop()) {
            return;
        }
        try {
            done.get(CLOSE_WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("The client did not close within {} ms", CLOSE_WAIT.toMillis() + 1000);
        } catch (ExecutionException e) {
            log.warn("Closing the client failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (ownsGroup && !group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            log.warn("The client's event loop did not stop within 5 s");
        }
    }

    @Override
    public String toString() {
        ServerMessage.Welcome current = welcome;
        return "PartylineClient[" + config.baseUrl() + ", player=" + (current == null ? "?" : current.player().id()) + "]";
    }

    // ---- connection lifecycle (event loop) ----

    /** Gets a ticket and opens a welcomed connection; completes on the event loop. */
    private CompletableFuture<ServerMessage.Welcome> openSession() {
        CompletableFuture<ServerMessage.Welcome> result = new CompletableFuture<>();
        tickets.fetch(config.name(), config.bearerToken()).whenComplete((ticket, ticketFailure) -> onLoop(() -> {
            if (!opening()) {
                result.completeExceptionally(closedByClient());
                return;
            }
            if (ticketFailure != null) {
                result.completeExceptionally(asPartyline(ticketFailure));
                return;
            }
            try {
                openConnection(ticket, result);
            } catch (RuntimeException e) {
                result.completeExceptionally(asPartyline(e)); // never leave connect() waiting forever
            }
        }, result));
        return result;
    }

    /** Opens the WebSocket with this ticket and adopts it once welcomed; on the event loop. */
    private void openConnection(Ticket ticket, CompletableFuture<ServerMessage.Welcome> result) {
        boolean inUrl = config.authMode() == AuthMode.URL_TICKET;
        WebSocketTarget target = new WebSocketTarget(
                Endpoints.webSocket(config.baseUrl(), inUrl ? ticket.ticket() : null),
                config.effectiveOrigin(), config.maxFramePayload(), config.requestTimeout());
        Connection candidate = new Connection(connectionListener);
        opening = candidate;
        candidate.open(loop, target, inUrl ? null : authFrame(ticket)).whenComplete((welcomed, failure) -> {
            if (opening == candidate) {
                opening = null;
            }
            if (failure != null) {
                result.completeExceptionally(asPartyline(failure));
            } else if (!opening()) {
                candidate.abort();
                result.completeExceptionally(closedByClient());
            } else {
                // Adopt it in the same task that saw welcome, before any later frame is read.
                connection = candidate;
                welcome = welcomed;
                result.complete(welcomed);
            }
        });
    }

    /**
     * The first frame in {@link AuthMode#FIRST_FRAME} mode. Session resume will send
     * {@code new Auth(null, resumeToken, rooms.positions())} here instead of a fresh ticket.
     */
    private static String authFrame(Ticket ticket) {
        return CLIENT_CODEC.encode(new ClientMessage.Auth(ticket.ticket(), null, Map.of()));
    }

    private boolean opening() {
        return phase == Phase.CONNECTING || phase == Phase.RECONNECTING;
    }

    private void onClosed(Connection closedConnection, int code, String reason) {
        if (closedConnection != connection) {
            return; // a connection that never got its welcome; its open() future said why
        }
        connection = null;
        pending.failAll(new ConnectionClosedException(code, reason));
        if (phase == Phase.CLOSING) {
            terminate(new CloseStatus(code == ControlFrameHandler.ABNORMAL ? 1000 : code, reason), true);
            return;
        }
        lastClose = new CloseStatus(code, reason);
        boolean retry = config.reconnect().enabled() && !FINAL_CLOSE_CODES.contains(code);
        if (!retry) {
            terminate(lastClose, true);
            return;
        }
        log.info("Connection to {} closed with {} {}; reconnecting", config.baseUrl(), code, reason);
        listeners.fireClose(code, reason, true);
        phase = Phase.RECONNECTING;
        attempts = 0;
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        attempts++;
        if (attempts > config.reconnect().maxAttempts()) {
            log.warn("Giving up on {} after {} reconnect attempts", config.baseUrl(), attempts - 1);
            terminate(lastClose, true);
            return;
        }
        Duration delay = config.reconnect().delay(attempts, ThreadLocalRandom.current());
        reconnectTask = loop.schedule(this::reconnect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void reconnect() {
        reconnectTask = null;
        if (phase != Phase.RECONNECTING) {
            return;
        }
        openSession().whenComplete((welcomed, failure) -> {
            if (phase != Phase.RECONNECTING) {
                return;
            }
            if (failure != null) {
                if (isRefusal(failure)) {
                    log.warn("Reconnecting to {} was refused: {}", config.baseUrl(), failure.getMessage());
                    terminate(statusOf(failure), true);
                } else {
                    log.info("Reconnect attempt {} to {} failed: {}", attempts, config.baseUrl(), failure.getMessage());
                    scheduleReconnect();
                }
                return;
            }
            phase = Phase.OPEN;
            int took = attempts;
            attempts = 0;
            rejoin(welcomed, took);
        });
    }

    /** Joins every room again, then tells the reconnect listeners. */
    private void rejoin(ServerMessage.Welcome welcomed, int took) {
        Connection current = connection;
        List<ServerMessage.State> rejoined = new ArrayList<>();
        Map<String, PartylineException> failed = new LinkedHashMap<>();
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String code : rooms.memberRooms()) {
            joins.add(join(code).handle((snapshot, failure) -> {
                if (failure == null) {
                    rejoined.add(snapshot);
                } else {
                    PartylineException why = asPartyline(failure);
                    failed.put(code, why);
                    if (refusedByServer(why)) {
                        rooms.remove(code);
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> onLoop(() -> {
            if (connection == current && phase == Phase.OPEN) {
                listeners.fireReconnect(new Reconnected(welcomed, took, rejoined, failed));
            }
        }, null));
    }

    private void beginClose() {
        switch (phase) {
            case NEW, CONNECTING -> terminate(new CloseStatus(1000, "closed by client"), false);
            case RECONNECTING -> terminate(new CloseStatus(1000, "closed by client"), true);
            case OPEN -> {
                phase = Phase.CLOSING;
                connection.close(1000, "client closed", CLOSE_WAIT);
            }
            default -> {
                // CLOSING or CLOSED: already on its way
            }
        }
    }

    /** Ends the client for good: releases everything, fails what waits, completes {@link #closed()}. */
    private void terminate(CloseStatus status, boolean notify) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
        if (opening != null) {
            opening.abort();
            opening = null;
        }
        Connection current = connection;
        connection = null;
        if (current != null) {
            current.abort();
        }
        ConnectionClosedException cause = new ConnectionClosedException(status.code(), status.reason());
        pending.failAll(cause);
        connected.completeExceptionally(cause);
        if (notify) {
            listeners.fireClose(status.code(), status.reason(), false);
        }
        closed.complete(status);
        if (ownsGroup) {
            group.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ---- requests ----

    private <T> CompletableFuture<T> request(LongFunction<ClientMessage.Request> message, String what,
                                             Function<JsonNode, T> onReply) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed.isDone()) {
            result.completeExceptionally(notConnected());
            return result;
        }
        onLoop(() -> {
            Connection current = connection;
            if (phase != Phase.OPEN || current == null) {
                result.completeExceptionally(notConnected());
                return;
            }
            long id = pending.nextId();
            String text;
            try {
                text = CLIENT_CODEC.encode(message.apply(id));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            // Chained before the frame leaves, so onReply runs on the event loop, in frame order.
            pending.register(id, what).thenApply(onReply).whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(unwrap(failure));
                } else {
                    result.complete(value);
                }
            });
            current.send(text).addListener(written -> {
                if (!written.isSuccess()) {
                    pending.fail(id, new PartylineException(PartylineException.NOT_CONNECTED,
                            "Could not send " + what + ": " + written.cause(), written.cause()));
                }
            });
        }, result);
        return result;
    }

    private ServerMessage.State snapshot(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new PartylineException("bad_reply", "The reply carried no room snapshot");
        }
        ServerMessage.State state = SERVER_CODEC.stateOf(data);
        rooms.onSnapshot(state);
        return state;
    }

    // ---- helpers ----

    /** Runs on the event loop: now when already there. When the loop is gone, fails {@code orElse}. */
    private void onLoop(Runnable task, CompletableFuture<?> orElse) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            if (orElse != null) {
                orElse.completeExceptionally(notConnected());
            }
        }
    }

    private static PartylineException notConnected() {
        return new PartylineException(PartylineException.NOT_CONNECTED, "The client is not connected");
    }

    private static PartylineException closedByClient() {
        return new ConnectionClosedException(1000, "closed by client");
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static PartylineException asPartyline(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof PartylineException partyline ? partyline
                : new PartylineException(PartylineException.CONNECT_FAILED, String.valueOf(cause.getMessage()), cause);
    }

    private static CloseStatus statusOf(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ConnectionClosedException closedFirst) {
            return new CloseStatus(closedFirst.closeCode(), closedFirst.reason());
        }
        return new CloseStatus(ControlFrameHandler.ABNORMAL, String.valueOf(cause.getMessage()));
    }

    /** Whether a reconnect failed for a reason another attempt would not fix. */
    private static boolean isRefusal(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TicketRefusedException refused) {
            return refused.status() == 401 || refused.status() == 403;
        }
        return cause instanceof ConnectionClosedException closedFirst && FINAL_CLOSE_CODES.contains(closedFirst.closeCode());
    }

    /** Whether the server answered a rejoin with an error (rather than the client failing to ask). */
    private static boolean refusedByServer(PartylineException failure) {
        return switch (failure.code()) {
            case PartylineException.TIMEOUT, PartylineException.CONNECTION_CLOSED,
                    PartylineException.NOT_CONNECTED, PartylineException.CONNECT_FAILED, "already_joined" -> false;
            default -> true;
        };
    }

    /** Routes what a connection reports to the client, on the event loop. */
    private final class ConnectionEvents implements Connection.Listener {
        @Override
        public void onMessage(Connection from, ServerMessage message) {
            if (from != connection) {
                return;
            }
            if (message instanceof ServerMessage.Reply reply) {
                if (!pending.complete(reply)) {
                    log.debug("Reply #{} matches no waiting request (timed out?)", reply.id());
                }
            } else if (message instanceof ServerMessage.Event event) {
                rooms.onEvent(event);
                listeners.fireEvent(event);
            } else if (message instanceof ServerMessage.State state) {
                rooms.onSnapshot(state);
                listeners.fireState(state);
            } else if (message instanceof ServerMessage.Error error) {
                listeners.fireError(error);
            } else if (message instanceof ServerMessage.Transfer transfer) {
                // Transfers between nodes are a later issue; the server's 4005 close ends this client.
                log.info("The server asked to transfer to {}; this client does not follow transfers yet", transfer.url());
            }
        }

        @Override
        public void onClosed(Connection from, int code, String reason) {
            PartylineClient.this.onClosed(from, code, reason);
        }
    }
}
