package dev.partyline.core.room;

import dev.partyline.core.broker.Broker;
import dev.partyline.core.game.RoomType;
import dev.partyline.protocol.ServerMessageCodec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live rooms of this node by join code. Allocates unique, non-rude codes and a mailbox per
 * room; forgets a room when it closes, which frees its code. Thread-safe.
 */
public final class RoomRegistry {
    private final Map<RoomCode, Room> rooms = new ConcurrentHashMap<>();
    private final JoinCodes codes;
    private final Supplier<Mailbox> mailboxes;
    private final RoomEnvironment env;

    /**
     * @param mailboxes hands out a serial executor per new room (in the server: the next event loop)
     */
    public RoomRegistry(JoinCodes codes, Supplier<Mailbox> mailboxes, Broker broker, LocalFanout fanout,
                        ServerMessageCodec codec, Clock clock, RoomSettings settings) {
        this.codes = codes;
        this.mailboxes = mailboxes;
        this.env = new RoomEnvironment(broker, fanout, codec, clock, settings, this::forget);
    }

    /**
     * Makes a new room of {@code type} under a fresh code. The room is empty until a
     * {@link RoomEvent.Create} is posted to it.
     */
    public Room open(RoomType type) {
        Room[] opened = new Room[1];
        codes.next(code -> {
            // putIfAbsent makes the uniqueness check and the claim one step.
            Room room = new Room(code, type, mailboxes.get(), env);
            if (rooms.putIfAbsent(code, room) == null) {
                opened[0] = room;
                return true;
            }
            return false;
        });
        return opened[0];
    }

    public Optional<Room> find(RoomCode code) {
        return Optional.ofNullable(rooms.get(code));
    }

    /** How many rooms are live, for metrics. */
    public int size() {
        return rooms.size();
    }

    /** A copy of the live rooms, for shutdown. */
    public List<Room> all() {
        return List.copyOf(rooms.values());
    }

    /** The settings every room of this registry follows. */
    public RoomSettings settings() {
        return env.settings();
    }

    private void forget(Room room) {
        rooms.remove(room.roomCode(), room);
    }
}
