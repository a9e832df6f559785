package dev.partyline.core.session;

import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Connection} for tests that records what the server sends it, as a client would read it.
 *
 * <p>Every message, whether sent directly ({@link #send}) or delivered as an encoded broadcast
 * frame through a {@link DeliveryGroup}, goes through {@link ServerMessageCodec}: encoded (when
 * sent directly) and decoded, so a test sees exactly what would cross the wire and an
 * unencodable payload fails the test. After {@link #close} or {@link #disconnect} nothing more
 * is recorded, like a socket that is gone. Thread-safe.
 */
public final class FakeConnection implements Connection {
    /** The address a fake connection reports unless told otherwise (TEST-NET-1, RFC 5737). */
    public static final String DEFAULT_ADDRESS = "192.0.2.1";
    private static final int MAX_REASON_BYTES = 123;

    private final ServerMessageCodec codec = new ServerMessageCodec();
    private final DeliveryGroup group;
    private final String remoteAddress;
    private final List<ServerMessage> received = new ArrayList<>();
    private boolean open = true;
    private CloseCode closeCode;
    private String closeReason;

    /** A connection from {@link #DEFAULT_ADDRESS} in a delivery group of its own. */
    public FakeConnection() {
        this(new InlineDeliveryGroup(), DEFAULT_ADDRESS);
    }

    public FakeConnection(String remoteAddress) {
        this(new InlineDeliveryGroup(), remoteAddress);
    }

    /** A connection in {@code group}; connections sharing a group share one "I/O thread". */
    public FakeConnection(DeliveryGroup group, String remoteAddress) {
        this.group = group;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void send(ServerMessage message) {
        byte[] frame = codec.encode(message);
        receive(frame, 0, frame.length);
    }

    @Override
    public void sendFrame(byte[] frame) {
        receive(frame, 0, frame.length);
    }

    @Override
    public void sendReply(ServerMessage.Reply reply, byte[] frame) {
        receive(frame, 0, frame.length);
    }

    /**
     * Records one text frame of the wire (UTF-8 JSON) as the client would decode it. Called by
     * {@link InlineDeliveryGroup}; dropped once the connection is closed.
     *
     * @throws IllegalArgumentException when the frame is not a server message of protocol v1
     */
    public void receive(byte[] frame, int offset, int length) {
        ServerMessage message = codec.decode(new String(frame, offset, length, StandardCharsets.UTF_8));
        synchronized (this) {
            if (open) {
                received.add(message);
            }
        }
    }

    /**
     * Records the close. Only the first close counts, as with a real socket.
     *
     * @throws IllegalArgumentException when the reason breaks the {@link Connection#close} contract
     *     (longer than 123 UTF-8 bytes): core must never send such a reason
     */
    @Override
    public synchronized void close(CloseCode code, String reason) {
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than 123 bytes: " + reason);
        }
        if (open) {
            open = false;
            closeCode = code;
            closeReason = reason;
        }
    }

    /** The client side went away without a close code from the server (network lost, tab closed). */
    public synchronized void disconnect() {
        open = false;
    }

    @Override
    public DeliveryGroup deliveryGroup() {
        return group;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    public synchronized boolean isOpen() {
        return open;
    }

    /** The code the server closed this connection with; null while open or after {@link #disconnect}. */
    public synchronized CloseCode closeCode() {
        return closeCode;
    }

    /** The reason the server gave with its close code, or null. */
    public synchronized String closeReason() {
        return closeReason;
    }

    /** Everything received so far, oldest first (a copy). */
    public synchronized List<ServerMessage> received() {
        return List.copyOf(received);
    }

    /** The messages received of one kind, oldest first. */
    public <T extends ServerMessage> List<T> received(Class<T> kind) {
        return received().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The room events received, oldest first. */
    public List<ServerMessage.Event> events() {
        return received(ServerMessage.Event.class);
    }

    /** The names of the room events received, oldest first: handy in assertions. */
    public List<String> eventNames() {
        return events().stream().map(ServerMessage.Event::name).toList();
    }

    /** The replies received, oldest first. */
    public List<ServerMessage.Reply> replies() {
        return received(ServerMessage.Reply.class);
    }

    /** The latest reply with request id {@code id}. */
    public Optional<ServerMessage.Reply> reply(long id) {
        List<ServerMessage.Reply> replies = replies();
        for (int i = replies.size() - 1; i >= 0; i--) {
            if (replies.get(i).id() == id) {
                return Optional.of(replies.get(i));
            }
        }
        return Optional.empty();
    }

    /** The {@code state} snapshots received, oldest first. */
    public List<ServerMessage.State> states() {
        return received(ServerMessage.State.class);
    }

    /** Forgets what was received so far (the close state stays). */
    public synchronized void clear() {
        received.clear();
    }

    @Override
    public synchronized String toString() {
        return "FakeConnection[" + remoteAddress + (open ? ", open" : ", closed " + closeCode) + "]";
    }
}
