package dev.partyline.core.session;

import dev.partyline.core.game.Player;
import dev.partyline.core.room.RoomCode;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import java.util.Objects;
import java.util.Set;
import java.util.HashSet;

/**
 * One player's logical connection. It outlives a dropped socket for the session grace period:
 * while {@link #connection()} is null the player is away, keeps its seats, and may come back.
 * Thread-safe: rooms read it from their mailboxes, the transport attaches and detaches sockets.
 *
 * <p>Replies pass through the session so that it remembers them by request id (a request sent
 * again after a drop is answered from memory). Room events reach the socket only for rooms that
 * are {@linkplain #isLive live}: after a resume each room first replays what was missed, then
 * goes live, so no live event can overtake the replay.
 */
public final class Session {
    /** Replies remembered per session: enough for every request a client can have in flight. */
    public static final int REMEMBERED_REPLIES = 64;
    /** Bytes of replies remembered per session; join snapshots can be large. */
    public static final int REMEMBERED_REPLY_BYTES = 256 * 1024;
    private static final ServerMessageCodec CODEC = new ServerMessageCodec();

    private final SessionId id;
    private final Player player;
    // Immutable sets, replaced on change: a player is in a room or two, read on every delivery and
    // changed on joins; Set.of of one code is a sixth of a concurrent set, and every player has two.
    private volatile Set<RoomCode> rooms = Set.of();
    private volatile Set<RoomCode> liveRooms = Set.of();
    private final ReplyCache replies = new ReplyCache(REMEMBERED_REPLIES, REMEMBERED_REPLY_BYTES);
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

    /**
     * Replaces the socket (null: away) and makes every room wait for its replay before it sends
     * live events to the new socket. Returns the previous socket.
     */
    public synchronized Connection attach(Connection next) {
        Connection previous = connection;
        liveRooms = Set.of();
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

    /**
     * Sends to the current socket; lost while away. A reply is remembered first, so that the
     * client gets it when it asks again after coming back.
     */
    public void send(ServerMessage message) {
        if (message instanceof ServerMessage.Reply reply) {
            byte[] frame = CODEC.encode(reply);
            replies.answered(reply.id(), frame);
            Connection current = connection;
            if (current != null) {
                current.sendReply(reply, frame);
            }
            return;
        }
        Connection current = connection;
        if (current != null) {
            current.send(message);
        }
    }

    /**
     * Sends the reply to a request that may simply run again when the client sends it again, and
     * forgets that request instead of remembering the reply: a join, whose second run rejoins
     * and answers a fresh snapshot. A join's snapshot lists every member, so remembering it would
     * hold a member list per member (measured: 1.4 GB of RSS for one room of 5,001).
     */
    public void sendRepeatable(ServerMessage.Reply reply) {
        replies.forgetRequest(reply.id());
        Connection current = connection;
        if (current != null) {
            current.send(reply);
        }
    }

    /** Sends a reply without remembering it: it must not replace the reply its id already has. */
    public void sendUnremembered(ServerMessage.Reply reply) {
        Connection current = connection;
        if (current != null) {
            current.send(reply);
        }
    }

    /** Sends an encoded frame to the current socket; lost while away. */
    public void sendFrame(byte[] frame) {
        Connection current = connection;
        if (current != null) {
            current.sendFrame(frame);
        }
    }

    /** The replies this session remembers by request id. */
    public ReplyCache replies() {
        return replies;
    }

    /** The rooms this session is a member of, as of now (an immutable copy). */
    public Set<RoomCode> rooms() {
        return rooms;
    }

    /** The session joined the room. Room mailbox only. */
    public synchronized void enter(RoomCode code) {
        rooms = with(rooms, code);
    }

    /** Whether the room's events go to the socket now (false until a resumed room has replayed). */
    public boolean isLive(RoomCode code) {
        return liveRooms.contains(code);
    }

    /** The room has sent this socket everything up to now; live events may follow. Room mailbox only. */
    public synchronized void goLive(RoomCode code) {
        liveRooms = with(liveRooms, code);
    }

    /** The session left the room. Room mailbox only. */
    public synchronized void forget(RoomCode code) {
        rooms = without(rooms, code);
        liveRooms = without(liveRooms, code);
    }

    private static Set<RoomCode> with(Set<RoomCode> set, RoomCode code) {
        if (set.contains(code)) {
            return set;
        }
        Set<RoomCode> copy = new HashSet<>(set);
        copy.add(code);
        return Set.copyOf(copy);
    }

    private static Set<RoomCode> without(Set<RoomCode> set, RoomCode code) {
        if (!set.contains(code)) {
            return set;
        }
        Set<RoomCode> copy = new HashSet<>(set);
        copy.remove(code);
        return Set.copyOf(copy);
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + player.name() + "]";
    }
}
