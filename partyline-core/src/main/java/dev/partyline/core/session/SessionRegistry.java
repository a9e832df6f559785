package dev.partyline.core.session;

import dev.partyline.core.game.Player;
import dev.partyline.core.room.Mailbox;
import dev.partyline.core.room.Room;
import dev.partyline.core.room.RoomCode;
import dev.partyline.core.room.RoomEvent;
import dev.partyline.core.room.RoomRegistry;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.PrintableText;
import dev.partyline.protocol.ServerMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The sessions of this node and their resume tokens. A dropped socket leaves its session away
 * for the grace period, then the session ends and its rooms see the player leave. A resume token
 * is secret, good for one resume, and rotated by it. Thread-safe.
 */
public final class SessionRegistry {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> byResumeToken = new ConcurrentHashMap<>();
    private final Map<SessionId, Entry> sessions = new ConcurrentHashMap<>();
    private final RoomRegistry rooms;
    private final Supplier<Mailbox> timers;
    private final Duration grace;

    /**
     * @param timers where grace timers run (any serial executor; they only post to rooms)
     * @param grace how long a session without a socket is kept
     */
    public SessionRegistry(RoomRegistry rooms, Supplier<Mailbox> timers, Duration grace) {
        this.rooms = rooms;
        this.timers = timers;
        this.grace = grace;
    }

    /** Starts a session for a freshly authenticated player on {@code connection}. */
    public Session open(Player player, Connection connection) {
        Session session = new Session(SessionId.random(), player, connection);
        Entry entry = new Entry(session);
        sessions.put(session.id(), entry);
        entry.resumeToken = newToken();
        byResumeToken.put(entry.resumeToken, session);
        return session;
    }

    /** The secret the client presents to resume this session; changes on every resume. */
    public String resumeToken(Session session) {
        Entry entry = sessions.get(session.id());
        return entry == null ? null : entry.resumeToken;
    }

    /**
     * Moves the session of {@code token} onto {@code connection}, rotating the token. An older
     * socket still attached is closed with 4004; {@link #announceBack} then tells its rooms.
     * Empty when the token is unknown, used, or its session has ended.
     *
     * <p>The presented token stays good until the client is heard on the new socket
     * ({@link #confirm}): a socket that drops before its {@code welcome} (with the next token)
     * arrives must not cost the client its session.
     */
    public Optional<Session> resume(String token, Connection connection) {
        Session session = byResumeToken.get(token);
        if (session == null) {
            return Optional.empty();
        }
        Entry entry = sessions.get(session.id());
        if (entry == null) {
            return Optional.empty();
        }
        Connection previous;
        synchronized (entry) {
            if (sessions.get(session.id()) != entry) {
                return Optional.empty(); // it ended while we looked it up
            }
            if (entry.expiry != null) {
                entry.expiry.cancel();
                entry.expiry = null;
            }
            if (!token.equals(entry.resumeToken) && !token.equals(entry.unconfirmedToken)) {
                return Optional.empty(); // rotated away meanwhile
            }
            forgetTokens(entry);
            entry.unconfirmedToken = token;
            entry.resumeToken = newToken();
            byResumeToken.put(entry.unconfirmedToken, session);
            byResumeToken.put(entry.resumeToken, session);
            // Attach under the entry's monitor: an expiry that already started then either sees
            // the socket and keeps the session, or ended it before we got here.
            previous = session.attach(connection);
        }
        if (previous != null && previous != connection) {
            previous.close(CloseCode.SESSION_REPLACED, "This session connected again elsewhere.");
        }
        return Optional.of(session);
    }

    /**
     * The client spoke on its resumed socket, so it holds the token of its {@code welcome}: the
     * token it resumed with is used up now. Idempotent; any thread.
     */
    public void confirm(Session session) {
        Entry entry = sessions.get(session.id());
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (entry.unconfirmedToken != null) {
                byResumeToken.remove(entry.unconfirmedToken);
                entry.unconfirmedToken = null;
            }
        }
    }

    private void forgetTokens(Entry entry) {
        byResumeToken.remove(entry.resumeToken);
        if (entry.unconfirmedToken != null) {
            byResumeToken.remove(entry.unconfirmedToken);
        }
    }

    /**
     * Tells the rooms of a resumed session that the player is back; each replays what the client
     * missed after its {@code positions} (room code → epoch and seq), or sends a resync snapshot.
     * A room the client names that closed meanwhile is reported with an {@code error}
     * {@code room_closed}. Call after the client was welcomed, so that all of it follows the welcome.
     */
    public void announceBack(Session session, Map<String, ClientMessage.RoomPosition> positions) {
        Map<RoomCode, ClientMessage.RoomPosition> byCode = new HashMap<>();
        positions.forEach((named, position) -> RoomCode.parse(named).ifPresentOrElse(
                code -> byCode.put(code, position),
                () -> session.send(new ServerMessage.Error(ErrorCode.INVALID_CODE.wire(),
                        "\"" + PrintableText.of(named, 8) + "\" is not a room code."))));
        for (RoomCode code : session.rooms()) {
            rooms.find(code).ifPresent(room -> room.post(new RoomEvent.Back(session, byCode.get(code))));
        }
        for (RoomCode named : byCode.keySet()) {
            if (session.rooms().contains(named)) {
                continue;
            }
            boolean stillOpen = rooms.find(named).filter(room -> !room.isClosed()).isPresent();
            session.send(stillOpen
                    ? new ServerMessage.Error(ErrorCode.NOT_A_MEMBER.wire(), "You are no longer in room " + named + ".",
                            named.value())
                    : new ServerMessage.Error(ErrorCode.ROOM_CLOSED.wire(), "Room " + named + " closed while you were away.",
                            named.value()));
        }
    }

    /**
     * The socket of a session closed. When it was still the session's socket, the player is
     * away in its rooms; after the grace period the session ends. Call from any thread.
     */
    public void dropped(Session session, Connection connection) {
        if (!session.detach(connection)) {
            return; // a newer socket took over: nothing changes for the rooms
        }
        Entry entry = sessions.get(session.id());
        if (entry == null) {
            return;
        }
        forEachRoom(session, room -> room.post(new RoomEvent.Away(session)));
        synchronized (entry) {
            if (entry.expiry == null) {
                entry.expiry = timers.get().schedule(() -> expire(entry), grace);
            }
        }
    }

    /** Ends the session now: the client said goodbye (close 1000) and will not resume. */
    public void end(Session session, Connection connection) {
        if (session.detach(connection)) {
            Entry entry = sessions.get(session.id());
            if (entry != null) {
                finish(entry);
            }
        }
    }

    /** How many sessions exist, connected or away, for metrics. */
    public int size() {
        return sessions.size();
    }

    private void expire(Entry entry) {
        synchronized (entry) {
            entry.expiry = null;
            // Check and end in one step, so a resume cannot slip in between.
            if (entry.session.connection() != null || !forget(entry)) {
                return; // resumed meanwhile, or ended already
            }
        }
        forEachRoom(entry.session, room -> room.post(new RoomEvent.TimedOut(entry.session)));
    }

    private void finish(Entry entry) {
        synchronized (entry) {
            if (!forget(entry)) {
                return;
            }
        }
        forEachRoom(entry.session, room -> room.post(new RoomEvent.TimedOut(entry.session)));
    }

    /** Ends the entry's session here; false when it had ended already. Hold the entry's monitor. */
    private boolean forget(Entry entry) {
        if (!sessions.remove(entry.session.id(), entry)) {
            return false;
        }
        forgetTokens(entry);
        if (entry.expiry != null) {
            entry.expiry.cancel();
            entry.expiry = null;
        }
        return true;
    }

    private void forEachRoom(Session session, java.util.function.Consumer<Room> action) {
        for (RoomCode code : session.rooms()) {
            rooms.find(code).ifPresent(action);
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A session and its mutable bookkeeping; fields guarded by the entry's monitor. */
    private static final class Entry {
        final Session session;
        String resumeToken;
        /** The token the last resume used, good until the client is heard on the new socket. */
        String unconfirmedToken;
        Mailbox.Cancellable expiry;

        Entry(Session session) {
            this.session = session;
        }
    }
}
