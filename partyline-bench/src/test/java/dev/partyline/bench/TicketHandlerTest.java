package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.games.Games;
import dev.partyline.server.PartylineServer;
import dev.partyline.server.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's ticket step ({@link TicketHandler}) against a scripted HTTP server that answers the
 * ticket request as each test says and then accepts a WebSocket upgrade, and against a real node
 * that refuses tickets over its per-address connection limit.
 */
class TicketHandlerTest {
    /** What the scripted server saw: {@code "<channel id> <method> <uri> <body>"} per request. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private EventLoopGroup serverGroup;
    private Channel server;
    private volatile FullHttpResponse answer;

    @BeforeEach
    void startScriptedServer() throws InterruptedException {
        serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        onRequest(ctx, request);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stopScriptedServer() throws InterruptedException {
        server.close().sync();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (answer != null && answer.refCnt() > 0) {
            answer.release();
        }
    }

    private void onRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        requests.add(ctx.channel().id().asShortText() + " " + request.method() + " " + request.uri() + " "
                + request.content().toString(StandardCharsets.UTF_8));
        if (request.uri().startsWith("/ws")) {
            String url = "ws://" + request.headers().get(HttpHeaderNames.HOST) + "/ws";
            new WebSocketServerHandshakerFactory(url, null, false).newHandshaker(request).handshake(ctx.channel(), request);
            return;
        }
        FullHttpResponse response = answer;
        if (response != null) {
            ctx.writeAndFlush(response.retainedDuplicate());
        }
    }

    private void answer(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        answer = response;
    }

    /**
     * Connects one bench client to the scripted server and waits for its upgrade to end.
     *
     * @return null when it upgraded, or why not
     */
    private Throwable upgrade(Duration timeout) {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        BenchConnection client = new BenchConnection(7, 0, System.nanoTime(), new Metrics(), new AtomicLongArray(1));
        try (Transport transport = new Transport(1)) {
            transport.connect(null, new InetSocketAddress("127.0.0.1", port), "127.0.0.1:" + port, null, "bench 7",
                    client, timeout);
            Throwable failure = catchThrowable(() -> client.upgraded().get(10, TimeUnit.SECONDS));
            client.close();
            return failure instanceof ExecutionException ? failure.getCause() : failure;
        }
    }

    private static String codeOf(Throwable failure) {
        assertThat(failure).isInstanceOf(BenchException.class);
        return ((BenchException) failure).code();
    }

    @Test
    void theTicketIsAskedForAndTheUpgradeFollowsOnTheSameConnection() {
        answer(HttpResponseStatus.OK, "{\"ticket\":\"t-123_x\",\"expiresInMs\":30000,\"player\":{\"id\":\"p1\",\"name\":\"bench 7\"}}");

        Throwable failure = upgrade(Duration.ofSeconds(5));

        assertThat(failure).isNull();
        assertThat(requests).hasSize(2);
        String[] ticket = requests.get(0).split(" ", 4);
        String[] upgrade = requests.get(1).split(" ", 4);
        assertThat(ticket[1]).isEqualTo("POST");
        assertThat(ticket[2]).isEqualTo("/api/tickets");
        assertThat(ticket[3]).isEqualTo("{\"name\":\"bench 7\"}");
        assertThat(upgrade[1]).isEqualTo("GET");
        assertThat(upgrade[2]).isEqualTo("/ws?ticket=t-123_x");
        assertThat(upgrade[0]).as("same TCP connection").isEqualTo(ticket[0]);
    }

    @Test
    void aRefusedTicketFailsWithTheServersCode() {
        answer(HttpResponseStatus.TOO_MANY_REQUESTS, "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}");

        Throwable failure = upgrade(Duration.ofSeconds(5));

        assertThat(codeOf(failure)).isEqualTo("ticket_rate_limited");
        assertThat(failure).hasMessageContaining("slow down");
        assertThat(requests).hasSize(1); // no upgrade without a ticket
    }

    @Test
    void aRefusalWithoutAnErrorBodyIsNamedByItsStatus() {
        answer(HttpResponseStatus.SERVICE_UNAVAILABLE, "");

        assertThat(codeOf(upgrade(Duration.ofSeconds(5)))).isEqualTo("ticket_http_503");
    }

    @Test
    void anAnswerWithoutATicketIsMalformed() {
        answer(HttpResponseStatus.OK, "{\"player\":{\"id\":\"p1\"}}");

        assertThat(codeOf(upgrade(Duration.ofSeconds(5)))).isEqualTo("ticket_malformed");
    }

    @Test
    void noAnswerInTimeIsATicketTimeout() {
        // No answer set: the scripted server holds the request.
        assertThat(codeOf(upgrade(Duration.ofMillis(300)))).isEqualTo("ticket_timeout");
    }

    @Test
    void aRealNodeOverItsPerAddressLimitRefusesTicketsAsRateLimited() throws Exception {
        Limits d = Limits.DEFAULTS;
        Limits twoPerAddress = new Limits(d.maxFrameBytes(), d.messagesPerSecond(), d.messageBurst(),
                d.maxRefusedMessages(), d.authTimeout(), d.heartbeatInterval(), d.maxMissedPongs(),
                d.failedJoinsPerMinute(), 2, d.writeBufferHighWaterBytes(), d.sessionGrace(), d.ticketTtl());
        ServerConfig config = new ServerConfig("127.0.0.1", 0, List.of(), null, twoPerAddress, RoomSettings.DEFAULTS,
                Duration.ofSeconds(2), 2);
        PartylineServer node = new PartylineServer(config, new RoomTypeRegistry(Games.all()), new LocalBroker()).start();
        try {
            // One source address and one connection at a time: the first two join, the next two are refused.
            BenchSettings settings = new BenchSettings(URI.create("http://127.0.0.1:" + node.port()), 0, 1,
                    Duration.ofSeconds(10), 1, null);

            BenchResult result = new Party(settings, null).connect(4);

            assertThat(result.connected()).isEqualTo(2);
            assertThat(result.errors()).isEqualTo(Map.of("ticket_rate_limited", 2L));
        } finally {
            node.close();
        }
    }
}
