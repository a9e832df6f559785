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
import java.util.regex.Pattern;
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
 * within the request timeout fails it with {@link RequestTimeoutException}. At most {@link
 * ClientConfig#maxInFlight()} requests wait for their reply on the wire; more wait in the client,
 * in order. A request before {@link #connect()} completed or after the client ended fails at once
 * with code {@code not_connected}.
 *
 * <p><b>Resuming.</b> When the connection drops with any close code but 1000, 4001, 4004 and
 * 4005, the client (unless its {@link ReconnectPolicy} says not to) waits a jittered, growing
 * delay and resumes its session: it opens {@code /ws} again and sends {@code auth} with the
 * latest resume token and its position in each room. The server replays what the client missed
 * (delivered to {@link #onEvent} listeners as if it had never left; an event seen already is
 * dropped) or, when it cannot, sends a {@code state} snapshot marked {@code resync} (delivered to
 * {@link #onState}). The requests that had no reply yet are sent again under their own ids and
 * complete as usual: the server answers a request it has run already from memory, so each runs
 * once. Requests made while reconnecting wait and go out after the resume. A room that closed
 * meanwhile comes as an {@code error} {@code room_closed} to {@link #onError}, and the client
 * forgets it. The player and the session stay the same.
 *
 * <p>When the server refuses the resume (4001: the session grace ended, or the node restarted),
 * the client starts a fresh session instead: a new ticket, a new session (for a guest, a new
 * player), its rooms joined again. The requests that were on the wire then fail with {@link
 * ConnectionClosedException} (nobody can tell whether they ran); those that waited in the client
 * go out after the rooms are joined again. Either way the {@link #onReconnect} listeners hear of
 * it, with {@link Reconnected#resumed()} telling which way.
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
    /** The close of a refused ticket or resume token. */
    private static final int UNAUTHORIZED = 4001;
    /**
     * The {@code error} frames after a resume that name a room the session is no longer in: it
     * closed while the client was away, or the session is not (or no longer) a member of it.
     */
    private static final Set<String> ROOM_GONE = Set.of("room_closed", "not_a_member");
    private static final Pattern WORDS = Pattern.compile("[^A-Za-z0-9]+");

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
    private boolean resumable; // a welcomed session the server may still let us resume
    private int rejoinRound; // counts fresh sessions; the latest one's rooms are being joined again while rejoining
    private boolean rejoining;
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
        this.pending = new PendingRequests(loop, config.requestTimeout(), config.maxInFlight());
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
                    resumable = true;
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

    /**
     * The {@code welcome} of the current (or last) connection, or null before the first. Its
     * {@code resume} token is the latest: it changes on every resume. Thread-safe.
     */
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
     * @return completes with the time from this call to reading the reply: the round trip, plus
     *     any wait for a place on the wire or for a reconnect
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
     * order they arrive, on the client's event loop: live events and, after a resume, the events
     * replayed. An event whose {@code seq} is not above the highest seen in its room is dropped,
     * so each event comes once. Must not block.
     */
    public Registration onEvent(Consumer<ServerMessage.Event> listener) {
        return listeners.onEvent(listener);
    }

    /**
     * Calls {@code listener} with each {@code state} frame (a full snapshot the server pushes),
     * on the client's event loop. After a resume that could not replay what was missed, the
     * snapshot has {@code resync} set: it replaces the app's view of the room, and the client's
     * position there. The snapshots that answer {@link #create} and {@link #join} complete those
     * futures instead. Must not block.
     */
    public Registration onState(Consumer<ServerMessage.State> listener) {
        return listeners.onState(listener);
    }

    /**
     * Calls {@code listener} with each {@code error} frame (a problem not tied to a request),
     * on the client's event loop. After a resume, {@code room_closed} names a room that closed
     * while the client was away, and {@code not_a_member} one the session is no longer in; the
     * client has forgotten that room when the listener runs.
     * Must not block.
     */
    public Registration onError(Consumer<ServerMessage.Error> listener) {
        return listeners.onError(listener);
    }

    /**
     * Calls {@code listener} each time a welcomed connection closes, on the client's event loop.
     * While the client reconnects ({@code reconnecting == true}) its requests keep waiting; when
     * the client ends for good (closed, refused, or out of reconnect attempts) they have failed
     * before the last call, which has {@code reconnecting == false}. A connect that fails before
     * {@code welcome} calls no listener: its future says why. Must not block.
     */
    public Registration onClose(CloseListener listener) {
        return listeners.onClose(listener);
    }

    /**
     * Calls {@code listener} after a reconnect, on the client's event loop: right after the
     * {@code welcome} of a resume (the requests waiting have been sent again), or, for a fresh
     * session, once the rooms were joined again. Must not block.
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

    /** Gets a ticket and opens a welcomed connection for a new session; completes on the event loop. */
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
            boolean inUrl = config.authMode() == AuthMode.URL_TICKET;
            openConnection(inUrl ? ticket.ticket() : null,
                    inUrl ? null : CLIENT_CODEC.encode(new ClientMessage.Auth(ticket.ticket(), null, Map.of())), result);
        }, result));
        return result;
    }

    /**
     * Opens {@code /ws} without a ticket and resumes the session with its latest token and the
     * client's position in each room; completes on the event loop with the resumed welcome, or
     * fails ({@link ConnectionClosedException} 4001 when the server no longer knows the session).
     */
    private CompletableFuture<ServerMessage.Welcome> openResume() {
        CompletableFuture<ServerMessage.Welcome> result = new CompletableFuture<>();
        openConnection(null, CLIENT_CODEC.encode(new ClientMessage.Auth(null, welcome.resume(), rooms.positions())),
                result);
        return result;
    }

    /** Opens the WebSocket, sends {@code firstFrame} (when not null) and adopts it once welcomed; on the event loop. */
    private void openConnection(String urlTicket, String firstFrame, CompletableFuture<ServerMessage.Welcome> result) {
        try {
            WebSocketTarget target = new WebSocketTarget(Endpoints.webSocket(config.baseUrl(), urlTicket),
                    config.effectiveOrigin(), config.maxFramePayload(), config.requestTimeout());
            Connection candidate = new Connection(connectionListener);
            opening = candidate;
            candidate.open(loop, target, firstFrame).whenComplete((welcomed, failure) -> {
                if (opening == candidate) {
                    opening = null;
                }
                if (failure != null) {
                    result.completeExceptionally(asPartyline(failure));
                } else if (!opening()) {
                    candidate.abort();
                    result.completeExceptionally(closedByClient());
                } else {
                    // Adopt it in the same task that saw welcome, before any later frame is read:
                    // what follows a resumed welcome (the replay) must meet the new connection.
                    connection = candidate;
                    welcome = welcomed;
                    result.complete(welcomed);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(asPartyline(e)); // never leave connect() waiting forever
        }
    }

    private boolean opening() {
        return phase == Phase.CONNECTING || phase == Phase.RECONNECTING;
    }

    private void onClosed(Connection closedConnection, int code, String reason) {
        if (closedConnection != connection) {
            return; // a connection that never got its welcome; its open() future said why
        }
        connection = null;
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
        // The requests waiting stay: a resume sends them again, and the server runs each once.
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
        if (resumable) {
            openResume().whenComplete((welcomed, failure) -> {
                if (phase != Phase.RECONNECTING) {
                    return;
                }
                if (failure == null) {
                    if (welcomed.resumed()) {
                        resumed(welcomed);
                    } else {
                        startedOver(welcomed); // the server never does this; a new session is a new session though
                    }
                } else if (closedWith(failure, UNAUTHORIZED)) {
                    // The session is gone (grace over, node restarted): nobody can tell whether the
                    // requests on the wire ran. Those still in the client go to the new session.
                    log.info("Resuming the session at {} was refused ({}); starting a new one",
                            config.baseUrl(), failure.getMessage());
                    resumable = false;
                    pending.failWritten(new ConnectionClosedException(lastClose.code(), lastClose.reason()));
                    reconnect();
                } else {
                    retryOrGiveUp(failure);
                }
            });
            return;
        }
        openSession().whenComplete((welcomed, failure) -> {
            if (phase != Phase.RECONNECTING) {
                return;
            }
            if (failure != null) {
                retryOrGiveUp(failure);
            } else {
                startedOver(welcomed);
            }
        });
    }

    private void retryOrGiveUp(Throwable failure) {
        if (isRefusal(failure)) {
            log.warn("Reconnecting to {} was refused: {}", config.baseUrl(), failure.getMessage());
            terminate(statusOf(failure), true);
        } else {
            log.info("Reconnect attempt {} to {} failed: {}", attempts, config.baseUrl(), failure.getMessage());
            scheduleReconnect();
        }
    }

    /** The session is back on a new connection: send again what waits for a reply, then go on. */
    private void resumed(ServerMessage.Welcome welcomed) {
        phase = Phase.OPEN;
        int took = attempts;
        attempts = 0;
        Connection current = connection;
        // Same ids, in the order first written: the server answers those it ran from memory.
        List<PendingRequests.Request> unanswered = pending.written();
        for (PendingRequests.Request request : unanswered) {
            write(current, request);
        }
        pump();
        listeners.fireReconnect(new Reconnected(welcomed, took, List.of(), Map.of(), unanswered.size()));
    }

    /** A new session: joins every room again (ahead of the requests waiting), then tells the reconnect listeners. */
    private void startedOver(ServerMessage.Welcome welcomed) {
        // What went out on the old session may or may not have run; the new one must not run it again.
        pending.failWritten(new ConnectionClosedException(lastClose.code(), lastClose.reason()));
        phase = Phase.OPEN;
        resumable = true;
        int took = attempts;
        attempts = 0;
        Connection current = connection;
        int round = ++rejoinRound;
        // The server checks membership when a request arrives, not in the room's order: a send
        // right behind its room's join can be refused. So the app's requests wait for the joins.
        rejoining = true;
        List<ServerMessage.State> rejoined = new ArrayList<>();
        Map<String, PartylineException> failed = new LinkedHashMap<>();
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String code : rooms.memberRooms()) {
            CompletableFuture<ServerMessage.State> join = new CompletableFuture<>();
            enqueue(id -> new ClientMessage.Join(id, code), "join " + code, this::snapshot, true, join);
            joins.add(join.handle((snapshot, failure) -> {
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
        pump();
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> onLoop(() -> {
            if (round != rejoinRound) {
                return; // a newer session is joining its rooms
            }
            rejoining = false;
            if (connection == current && phase == Phase.OPEN) {
                listeners.fireReconnect(new Reconnected(welcomed, took, rejoined, failed));
            }
            pump();
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
        resumable = false;
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
            // While reconnecting a request waits (within its timeout) and goes out after the resume.
            if (phase != Phase.OPEN && phase != Phase.RECONNECTING) {
                result.completeExceptionally(notConnected());
                return;
            }
            enqueue(message, what, onReply, false, result);
            pump();
        }, result);
        return result;
    }

    /** Queues a request whose reply completes {@code result}; {@link #pump()} sends it. On the event loop. */
    private <T> void enqueue(LongFunction<ClientMessage.Request> message, String what, Function<JsonNode, T> onReply,
                             boolean first, CompletableFuture<T> result) {
        long id = pending.nextId();
        String text;
        try {
            text = CLIENT_CODEC.encode(message.apply(id));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        // Chained before the frame leaves, so onReply runs on the event loop, in frame order.
        pending.add(id, what, text, first).thenApply(onReply).whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else {
                result.complete(value);
            }
            pump(); // a place on the wire came free
        });
    }

    /** Writes the queued requests the window allows, when connected. On the event loop. */
    private void pump() {
        if (!loop.inEventLoop()) {
            onLoop(this::pump, null);
            return;
        }
        Connection current = connection;
        if (phase != Phase.OPEN || current == null) {
            return;
        }
        for (PendingRequests.Request request : pending.takeWritable(rejoining)) {
            write(current, request);
        }
    }

    private static void write(Connection current, PendingRequests.Request request) {
        current.send(request.frame()).addListener(written -> {
            if (!written.isSuccess()) {
                // The connection is going: the request stays waiting, a resume sends it again.
                log.debug("Could not send {} (#{}): {}", request.what(), request.id(), written.cause().toString());
            }
        });
    }

    private ServerMessage.State snapshot(JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new PartylineException("bad_reply", "The reply carried no room snapshot");
        }
        ServerMessage.State state = SERVER_CODEC.stateOf(data);
        rooms.onSnapshot(state);
        return state;
    }

    /**
     * A room the resumed session is not in (it closed while the client was away, or the client
     * left it): forget it. The frame names the room only in its sentence, so look for a word
     * that is one of the client's rooms. A join still waiting for its reply brings it back.
     */
    private void roomGone(ServerMessage.Error error) {
        Set<String> words = Set.of(WORDS.split(error.message() == null ? "" : error.message()));
        for (String code : rooms.memberRooms()) {
            if (words.contains(code)) {
                rooms.remove(code);
                log.info("{} is no longer in room {}: {}", playerId(), code, error.message());
            }
        }
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

    /** Whether the server closed the connection with {@code code} before welcome. */
    private static boolean closedWith(Throwable failure, int code) {
        return unwrap(failure) instanceof ConnectionClosedException closedFirst && closedFirst.closeCode() == code;
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
                if (rooms.onEvent(event)) {
                    listeners.fireEvent(event);
                } else {
                    log.debug("Dropping event {} #{}: seen already", event.room(), event.seq());
                }
            } else if (message instanceof ServerMessage.State state) {
                if (state.resync()) {
                    rooms.onResync(state);
                } else {
                    rooms.onSnapshot(state);
                }
                listeners.fireState(state);
            } else if (message instanceof ServerMessage.Error error) {
                if (ROOM_GONE.contains(error.code())) {
                    roomGone(error);
                }
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
