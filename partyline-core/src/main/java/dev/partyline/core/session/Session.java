package dev.partyline.core.session;

import dev.partyline.core.game.Player;
import dev.partyline.core.room.RoomCode;
import dev.partyline.protocol.ServerMessage;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One player's logical connection. It outlives a dropped socket for the session grace period:
 * while {@link #connection()} is null the player is away, keeps its seats, and may come back.
 * Thread-safe: rooms read it from their mailboxes, the transport attaches and detaches sockets.
 */
public final class Session {
    private final SessionId id;
    private final Player player;
    private final Set<RoomCode> rooms = ConcurrentHashMap.newKeySet();
    private volatile Connection connection;

    public Session(SessionId id, Player player, Connection connection) {
        this.id = Objects.requireNonNull(id, "id");
        this.player = Objects.requireNonNull(player, "player");
        this.connection = connection;
    }

    public SessionId id() {
        return id;
    }

    public Player player() {
        return player;
    }

    /** The current socket, or null while the player is away. */
    public Connection connection() {
        return connection;
    }

    /** Replaces the socket (null: away). Returns the previous one. */
    public synchronized Connection attach(Connection next) {
        Connection previous = connection;
        connection = next;
        return previous;
    }

    /** Detaches {@code expected} if it is still the current socket; false when a newer one took over. */
    public synchronized boolean detach(Connection expected) {
        if (connection != expected) {
            return false;
        }
        connection = null;
        return true;
    }

    /** Sends to the current socket; lost while away. */
    public void send(ServerMessage message) {
        Connection current = connection;
        if (current != null) {
            current.send(message);
        }
    }

    /** The rooms this session is a member of; updated by the rooms on their mailboxes. */
    public Set<RoomCode> rooms() {
        return rooms;
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + player.name() + "]";
    }
}
