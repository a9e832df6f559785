package dev.partyline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.RequestRouter;
import dev.partyline.core.auth.GuestAuthenticator;
import dev.partyline.core.auth.Tickets;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.FailedJoinThrottle;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.JoinCodes;
import dev.partyline.core.room.LocalFanout;
import dev.partyline.core.room.RoomRegistry;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.core.session.SessionRegistry;
import dev.partyline.protocol.ClientMessageCodec;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessageCodec;
import dev.partyline.server.http.OriginPolicy;
import dev.partyline.server.http.StaticFiles;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SessionHandler} on an {@link EmbeddedChannel}: what it writes, when it closes, nothing left queued. */
class SessionHandlerTest {
    private final Clock clock = Clock.systemUTC();
    private Tickets tickets;
    private ServerContext context;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        tickets = new Tickets(clock, Duration.ofSeconds(30), 100);
        LocalBroker broker = new LocalBroker();
        channel = new EmbeddedChannel();
        RoomRegistry rooms = new RoomRegistry(new JoinCodes(), () -> new EventLoopMailbox(channel.eventLoop()), broker,
                new LocalFanout(broker), new ServerMessageCodec(), clock, RoomSettings.DEFAULTS);
        SessionRegistry sessions = new SessionRegistry(rooms, () -> new EventLoopMailbox(channel.eventLoop()),
                Duration.ofSeconds(120));
        RequestRouter router = new RequestRouter(new RoomTypeRegistry(List.of(EchoRoomLogic.type())), rooms,
                new FailedJoinThrottle(clock, 20), clock);
        ServerConfig config = ServerConfig.defaults(0).withLimits(Limits.DEFAULTS);
        context = new ServerContext(config, "node-1", clock, tickets, new GuestAuthenticator(), sessions, router,
                new ServerMetrics(rooms::size, sessions::size), new ClientMessageCodec(), new ServerMessageCodec(),
                new OriginPolicy(List.of()), new StaticFiles("web"), new AtomicBoolean(true),
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE),
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE), ServerContext.newDeliveryGroups());
        channel.pipeline().addLast("session", new SessionHandler(context));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aTicketInTheUrlIsWelcomed() throws Exception {
        handshake("/ws?ticket=" + tickets.issue(new Player(PlayerId.random(), "Ann")));
        JsonNode welcome = readText();
        assertThat(welcome.path("t").asText()).isEqualTo("welcome");
        assertThat(welcome.path("player").path("name").asText()).isEqualTo("Ann");
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void anUnknownTicketClosesWith4001() {
        handshake("/ws?ticket=forged");
        assertThat(readClose().statusCode()).isEqualTo(4001);
        assertThat(channel.isOpen()).as("lingers for the client's answer").isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void afterItsCloseFrameTheServerDropsDataAndClosesOnTheClientsAnswer() {
        handshake("/ws?ticket=forged");
        assertThat(readClose().statusCode()).isEqualTo(4001);
        TextWebSocketFrame late = new TextWebSocketFrame("{\"t\":\"ping\",\"id\":1}");
        channel.writeInbound(late);
        assertThat(late.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
        channel.writeInbound(new CloseWebSocketFrame(4001, ""));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anUnexpectedExceptionClosesWith1011WithoutLeakingTheCause() throws Exception {
        handshake("/ws?ticket=" + tickets.issue(new Player(PlayerId.random(), "Ann")));
        readText();
        channel.pipeline().fireExceptionCaught(new IllegalStateException("secret internals"));
        Close close = readClose();
        assertThat(close.statusCode()).isEqualTo(1011);
        assertThat(close.reasonText()).doesNotContain("secret");
        channel.writeInbound(new CloseWebSocketFrame(1011, ""));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aBinaryFrameIsAnsweredWithAnErrorAndReleased() throws Exception {
        handshake("/ws?ticket=" + tickets.issue(new Player(PlayerId.random(), "Ann")));
        readText();
        BinaryWebSocketFrame binary = new BinaryWebSocketFrame(Unpooled.copiedBuffer(new byte[] {1, 2, 3}));
        channel.writeInbound(binary);
        assertThat(binary.refCnt()).isZero();
        assertThat(readText().path("code").asText()).isEqualTo("binary_not_supported");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRequestBeforeAuthIsRefusedAndTheConnectionWaits() throws Exception {
        handshake("/ws");
        channel.writeInbound(new TextWebSocketFrame("{\"t\":\"ping\",\"id\":1}"));
        JsonNode reply = readText();
        assertThat(reply.path("error").path("code").asText()).isEqualTo("not_authenticated");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void theClientsCloseFrameIsEchoedAndTheChannelCloses() {
        handshake("/ws?ticket=" + tickets.issue(new Player(PlayerId.random(), "Ann")));
        ((TextWebSocketFrame) channel.readOutbound()).release();
        channel.writeInbound(new CloseWebSocketFrame(1000, "bye"));
        assertThat(readClose().statusCode()).isEqualTo(1000);
        assertThat(channel.isOpen()).isFalse();
    }

    private void handshake(String uri) {
        channel.pipeline().fireUserEventTriggered(
                new WebSocketServerProtocolHandler.HandshakeComplete(uri, EmptyHttpHeaders.INSTANCE, null));
        channel.runPendingTasks();
    }

    private JsonNode readText() throws Exception {
        channel.runPendingTasks();
        TextWebSocketFrame frame = channel.readOutbound();
        assertThat(frame).as("a text frame was written").isNotNull();
        try {
            return Json.mapper().readTree(frame.text());
        } finally {
            frame.release();
        }
    }

    /** The close frame written, copied out so the frame can be released at once. */
    private Close readClose() {
        channel.runPendingTasks();
        CloseWebSocketFrame frame = channel.readOutbound();
        assertThat(frame).as("a close frame was written").isNotNull();
        try {
            return new Close(frame.statusCode(), frame.reasonText());
        } finally {
            frame.release();
        }
    }

    private record Close(int statusCode, String reasonText) {}
}
