package dev.partyline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.RequestRouter;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.FailedJoinThrottle;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.JoinCodes;
import dev.partyline.core.room.LocalFanout;
import dev.partyline.core.room.Publication;
import dev.partyline.core.room.RoomCode;
import dev.partyline.core.room.RoomRegistry;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.core.session.Connection;
import dev.partyline.core.session.DeliveryGroup;
import dev.partyline.core.session.Session;
import dev.partyline.core.session.SessionRegistry;
import dev.partyline.games.chat.ChatRoomType;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One chat message broadcast to a room of {@link #members} members, down to the bytes of a
 * WebSocket frame on every member's channel. This is the server's fan-out hot path: its cost
 * grows with the room, and it runs on the room's event loop, so it bounds how many messages a
 * loop can carry to a big room.
 *
 * <p>Everything on the path is production code: {@link RequestRouter}, the {@code Room} on an
 * {@link EventLoopMailbox}, {@code ChatRoom}, {@link ServerMessageCodec} (one encode per
 * message), the room's event log, {@link LocalBroker}, {@link LocalFanout},
 * {@link EventLoopDeliveryGroup} (one wrapped buffer, a retained duplicate in a
 * {@code TextWebSocketFrame} per member, and the loop's flush pass) and {@link NettyConnection}.
 * Each member's channel is an {@link EmbeddedChannel} with Netty's server-side
 * {@link WebSocket13FrameEncoder}, so every frame is really encoded into bytes; all channels
 * share one event loop, as the members of a room on one node do when they are on the room's
 * loop. Each operation runs the tasks it queued on that loop (the room's mailbox, the flush
 * pass), then reads and releases the encoded buffers: that stands in for the socket write that
 * would release them, and it keeps the run leak-free.
 *
 * <ul>
 *   <li>{@link #chatMessage}: the whole message, as {@code SessionHandler} hands it to core: the
 *       host's {@code send} is routed, the room runs it on its mailbox, {@code ChatRoom} broadcasts
 *       the {@code message} event and the host gets its reply.</li>
 *   <li>{@link #fanOut}: only the delivery of an event encoded already (what a node does for an
 *       event the broker brings it): {@link LocalFanout} groups the members,
 *       {@link EventLoopDeliveryGroup} writes the frames.</li>
 * </ul>
 *
 * <p>The primary score is the time of one broadcast (ns/op). The secondary score
 * {@code deliveries} divides the same time by the members reached, counted from the frames the
 * channels produced: the cost per recipient (ns per delivery). The leak detector runs at Netty's
 * default level unless {@code -Dio.netty.leakDetection.level} says otherwise. Single-threaded
 * only (JMH's default): the channels and the loop they share are not thread-safe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BroadcastBenchmark {
    private static final String ADDRESS = "192.0.2.1"; // TEST-NET-1, RFC 5737
    private static final byte FIN_TEXT = (byte) 0x81;   // RFC 6455 §5.2: FIN bit, opcode 1 (text)

    /** How many members the room has, the sender included. */
    @Param({"8", "1000"})
    public int members;

    private EmbeddedChannel[] channels;
    private EmbeddedChannel loopChannel;
    private LocalBroker broker;
    private RequestRouter router;
    private Session host;
    private String code;
    private JsonNode text;
    private long nextRequestId = 1_000;
    private String topic;
    private byte[] publication;

    /** Members reached; JMH divides the benchmark time by it, giving the time per delivery. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Deliveries {
        public long deliveries;

        @Setup(Level.Iteration)
        public void reset() {
            deliveries = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        channels = new EmbeddedChannel[members];
        for (int i = 0; i < members; i++) {
            channels[i] = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        }
        // EmbeddedChannel runs writes on the caller's thread and queues tasks until asked to run
        // them: the first channel's loop plays the one event loop of the room and its members.
        loopChannel = channels[0];
        EventLoop loop = loopChannel.eventLoop();
        ServerMetrics metrics = new ServerMetrics(() -> 1, () -> members);
        ServerMessageCodec codec = new ServerMessageCodec();
        EventLoopDeliveryGroup group = new EventLoopDeliveryGroup(loop, metrics);
        Clock clock = Clock.systemUTC();
        broker = new LocalBroker();
        // Wired as PartylineServer wires a node, with every room and timer on the one loop.
        RoomRegistry rooms = new RoomRegistry(new JoinCodes(), () -> new EventLoopMailbox(loop), broker,
                new LocalFanout(broker), codec, clock, RoomSettings.DEFAULTS);
        SessionRegistry sessions = new SessionRegistry(rooms, () -> new EventLoopMailbox(loop),
                Limits.DEFAULTS.sessionGrace());
        router = new RequestRouter(new RoomTypeRegistry(List.of(new ChatRoomType(members).roomType())), rooms,
                new FailedJoinThrottle(clock, Limits.DEFAULTS.failedJoinsPerMinute()), clock);

        // Everyone joins before its socket is attached, then resumes onto it from the room's
        // current position, as a reconnecting client does: joining with sockets would write
        // members²/2 "joined" frames first.
        Session[] seated = new Session[members];
        ReplyCatcher lastJoin = new ReplyCatcher();
        for (int i = 0; i < members; i++) {
            // The last to join gets a socket of sorts: its join reply carries the room's position.
            seated[i] = sessions.open(new Player(PlayerId.random(), "Player " + i), i == members - 1 ? lastJoin : null);
        }
        host = seated[0];
        router.route(host, ADDRESS, new ClientMessage.Create(1, ChatRoomType.NAME, null));
        loopChannel.runPendingTasks();
        code = host.rooms().iterator().next().value();
        for (int i = 1; i < members; i++) {
            router.route(seated[i], ADDRESS, new ClientMessage.Join(1, code));
            loopChannel.runPendingTasks();
        }
        ServerMessage.State last = lastJoin.snapshot(codec);
        if (last.members().size() != members) {
            throw new IllegalStateException("expected " + members + " members, the room has " + last.members().size());
        }
        ClientMessage.RoomPosition position = new ClientMessage.RoomPosition(last.epoch(), last.seq());
        for (int i = 0; i < members; i++) {
            String token = sessions.resumeToken(seated[i]);
            Session resumed = sessions.resume(token, new NettyConnection(channels[i], codec, group, ADDRESS, metrics))
                    .orElseThrow(() -> new IllegalStateException("resume refused"));
            sessions.announceBack(resumed, Map.of(code, position));
            sessions.confirm(resumed);
        }
        loopChannel.runPendingTasks();

        text = Json.nodes().objectNode().put("text", "hello there");
        topic = LocalFanout.topic(new RoomCode(code));
        JsonNode data = Json.nodes().objectNode().put("text", "hello there").put("name", "Player 0")
                .put("at", clock.millis());
        publication = Publication.pack(null, codec.encode(
                new ServerMessage.Event(code, last.seq() + 1, "message", host.player().id().value(), data)));

        // A benchmark of the wrong thing measures nothing: every member must get a text frame.
        drain();
        checkEveryMemberGetsATextFrame(this::publishEncodedEvent);
        checkEveryMemberGetsATextFrame(this::sendChatMessage);
        loopChannel.checkException(); // a task that failed on the loop is only recorded there
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        int leftOver = 0;
        for (EmbeddedChannel channel : channels) {
            drain(channel);
            if (channel.finish()) { // closes the channel; true when anything was still queued
                leftOver++;
                channel.releaseOutbound();
                channel.releaseInbound();
            }
        }
        broker.close();
        if (leftOver > 0) {
            throw new IllegalStateException(leftOver + " channels had messages left after the run");
        }
    }

    /** The host says "hello there"; everyone gets the event and the host its reply. */
    @Benchmark
    public long chatMessage(Deliveries counters) {
        sendChatMessage();
        return drain(counters);
    }

    /** An encoded event published on the room's topic reaches every member's channel. */
    @Benchmark
    public long fanOut(Deliveries counters) {
        publishEncodedEvent();
        return drain(counters);
    }

    private void publishEncodedEvent() {
        broker.publish(topic, publication);
        loopChannel.runPendingTasks(); // the loop's flush pass
    }

    private void sendChatMessage() {
        router.route(host, ADDRESS, new ClientMessage.Send(nextRequestId++, code, "message", text));
        // The room's mailbox (the message, its broadcast, the reply), then the loop's flush pass.
        loopChannel.runPendingTasks();
    }

    /** Reads and releases what every channel wrote; returns the bytes, counts the members reached. */
    private long drain(Deliveries counters) {
        long bytes = 0;
        int reached = 0;
        for (EmbeddedChannel channel : channels) {
            long written = drain(channel);
            if (written > 0) {
                reached++;
                bytes += written;
            }
        }
        counters.deliveries += reached;
        return bytes;
    }

    private void drain() {
        for (EmbeddedChannel channel : channels) {
            drain(channel);
        }
    }

    private static long drain(EmbeddedChannel channel) {
        long bytes = 0;
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buffer = (ByteBuf) out;
            bytes += buffer.readableBytes();
            buffer.release();
        }
        return bytes;
    }

    private void checkEveryMemberGetsATextFrame(Runnable broadcast) {
        broadcast.run();
        for (int i = 0; i < members; i++) {
            ByteBuf first = channels[i].readOutbound();
            if (first == null) {
                throw new IllegalStateException("member " + i + " of " + members + " got nothing");
            }
            try {
                if (first.getByte(first.readerIndex()) != FIN_TEXT
                        || !first.toString(StandardCharsets.UTF_8).contains("\"hello there\"")) {
                    throw new IllegalStateException("member " + i + " got something else than the chat message");
                }
            } finally {
                first.release();
            }
            drain(channels[i]);
        }
    }

    /**
     * A connection that keeps the reply to request 1 and drops everything else: how the benchmark
     * reads the last joiner's snapshot (join replies are not remembered by the session).
     */
    private static final class ReplyCatcher implements Connection {
        private ServerMessage.Reply reply;

        @Override
        public void send(ServerMessage message) {
            if (message instanceof ServerMessage.Reply caught && caught.id() == 1) {
                reply = caught;
            }
        }

        @Override
        public void sendFrame(byte[] frame) {}

        @Override
        public void sendReply(ServerMessage.Reply caught, byte[] frame) {
            send(caught);
        }

        @Override
        public void close(CloseCode code, String reason) {}

        @Override
        public DeliveryGroup deliveryGroup() {
            return (frame, offset, length, recipients) -> { }; // its own "joined" event: not needed
        }

        @Override
        public String remoteAddress() {
            return ADDRESS;
        }

        /** The snapshot of the caught join reply. */
        ServerMessage.State snapshot(ServerMessageCodec codec) {
            if (reply == null || !reply.ok()) {
                throw new IllegalStateException("join refused or unanswered: " + reply);
            }
            return codec.stateOf(reply.data());
        }
    }
}
