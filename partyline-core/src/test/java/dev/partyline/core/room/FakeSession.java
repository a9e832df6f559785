package dev.partyline.core.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.game.Player;
import dev.partyline.core.session.FakeConnection;
import dev.partyline.core.session.Session;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ServerMessage;
import java.util.List;

/**
 * One player of a {@link RoomHarness}: a real {@link Session} on a {@link FakeConnection}, with
 * shorthands to send requests through the harness's {@link dev.partyline.core.RequestRouter} and
 * to read what this connection received.
 *
 * <p>Request methods return the reply, which has always arrived by then (the harness runs
 * inline). Request ids count up from 1 per handle. After {@link #resume()} the session lives on a
 * new handle; this one keeps its old, closed connection. Not thread-safe.
 */
public final class FakeSession {
    private final RoomHarness harness;
    private final Session session;
    private final FakeConnection connection;
    private long nextId = 1;

    FakeSession(RoomHarness harness, Session session, FakeConnection connection) {
        this.harness = harness;
        this.session = session;
        this.connection = connection;
    }

    public Session session() {
        return session;
    }

    public FakeConnection connection() {
        return connection;
    }

    public Player player() {
        return session.player();
    }

    /** The player id as it appears on the wire. */
    public String id() {
        return session.player().id().value();
    }

    public String name() {
        return session.player().name();
    }

    // --- requests ------------------------------------------------------------------------

    /** The next request id this handle would use. */
    public long nextId() {
        return nextId++;
    }

    /** Routes {@code request} without looking for its reply. */
    public void route(ClientMessage.Request request) {
        harness.sessions().confirm(session); // as the transport does on a socket's first request
        harness.router().route(session, connection.remoteAddress(), request);
    }

    /**
     * Routes {@code request} and returns its reply.
     *
     * @throws AssertionError when no reply with the request's id reached this connection
     */
    public ServerMessage.Reply request(ClientMessage.Request request) {
        int before = connection.replies().size();
        route(request);
        List<ServerMessage.Reply> replies = connection.replies();
        for (ServerMessage.Reply reply : replies.subList(Math.min(before, replies.size()), replies.size())) {
            if (reply.id() == request.id()) {
                return reply;
            }
        }
        throw new AssertionError("no reply to " + request + " on " + connection);
    }

    public ServerMessage.Reply create(String type) {
        return create(type, null);
    }

    /** {@code create} with {@code options} (an object, or null). */
    public ServerMessage.Reply create(String type, JsonNode options) {
        return request(new ClientMessage.Create(nextId(), type, options));
    }

    public ServerMessage.Reply join(String room) {
        return request(new ClientMessage.Join(nextId(), room));
    }

    public ServerMessage.Reply leave(String room) {
        return request(new ClientMessage.Leave(nextId(), room));
    }

    /** {@code send} with no data. */
    public ServerMessage.Reply send(String room, String name) {
        return send(room, name, null);
    }

    public ServerMessage.Reply send(String room, String name, JsonNode data) {
        return request(new ClientMessage.Send(nextId(), room, name, data));
    }

    public ServerMessage.Reply ping() {
        return request(new ClientMessage.Ping(nextId()));
    }

    /**
     * Creates a room and returns its code.
     *
     * @throws AssertionError when the create was refused
     */
    public String createRoom(String type) {
        return createRoom(type, null);
    }

    public String createRoom(String type, JsonNode options) {
        return ok(create(type, options)).room();
    }

    /**
     * Joins a room and returns the snapshot of the reply.
     *
     * @throws AssertionError when the join was refused
     */
    public ServerMessage.State joinRoom(String room) {
        return ok(join(room));
    }

    private static ServerMessage.State ok(ServerMessage.Reply reply) {
        if (!reply.ok()) {
            throw new AssertionError("refused: " + reply.error().code() + ": " + reply.error().message());
        }
        return RoomHarness.snapshot(reply);
    }

    // --- the socket ----------------------------------------------------------------------

    /** The socket drops (no close from the server): the session is away until resumed or timed out. */
    public void drop() {
        connection.disconnect();
        harness.sessions().dropped(session, connection);
    }

    /** The client says goodbye (close 1000): the session ends now and its rooms see it leave. */
    public void goodbye() {
        connection.disconnect();
        harness.sessions().end(session, connection);
    }

    /** The current resume token of the session, or null once it ended. */
    public String resumeToken() {
        return harness.sessions().resumeToken(session);
    }

    /**
     * Resumes this session on a new connection from the same address and returns its handle.
     *
     * @throws AssertionError when the registry refuses the resume
     */
    public FakeSession resume() {
        String token = resumeToken();
        if (token == null) {
            throw new AssertionError("session " + session + " has ended; nothing to resume");
        }
        FakeSession resumed = harness.resume(token, connection.remoteAddress())
                .orElseThrow(() -> new AssertionError("resume of " + session + " refused"));
        resumed.nextId = nextId; // a real client keeps counting: the session remembers old ids
        return resumed;
    }

    // --- what arrived --------------------------------------------------------------------

    /** Everything this connection received, oldest first. */
    public List<ServerMessage> received() {
        return connection.received();
    }

    public List<ServerMessage.Event> events() {
        return connection.events();
    }

    /** The events received for one room. */
    public List<ServerMessage.Event> events(String room) {
        return connection.events().stream().filter(e -> e.room().equals(room)).toList();
    }

    public List<String> eventNames() {
        return connection.eventNames();
    }

    /** The latest event, or null when none arrived. */
    public ServerMessage.Event lastEvent() {
        List<ServerMessage.Event> events = connection.events();
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    public List<ServerMessage.State> states() {
        return connection.states();
    }

    /** Forgets what this connection received so far. */
    public void clear() {
        connection.clear();
    }

    @Override
    public String toString() {
        return "FakeSession[" + name() + ", " + connection + "]";
    }
}
