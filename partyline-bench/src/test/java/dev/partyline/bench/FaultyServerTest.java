package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bench against a deliberately faulty server: it drops every 10th delivery and writes every
 * 7th one twice (a delivery is one broadcast event written to one member). The bench's lost and
 * duplicated counts must equal exactly what the server did.
 */
class FaultyServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** All state lives on the server's single event loop. */
    @io.netty.channel.ChannelHandler.Sharable
    static final class FaultyServer extends SimpleChannelInboundHandler<Object> {
        final Map<String, List<Channel>> rooms = new HashMap<>();
        final Map<String, Long> seqs = new HashMap<>();
        long deliveries;
        long dropped;
        long duplicated;
        int nextRoom;
        int nextPlayer;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof FullHttpRequest http) {
                ObjectNode body = JSON.createObjectNode().put("ticket", "x").put("expiresInMs", 30000);
                body.putObject("player").put("id", "p" + nextPlayer++).put("name", "bench");
                boolean ok = http.method() == HttpMethod.POST && http.uri().startsWith("/api/tickets");
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        ok ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                        Unpooled.copiedBuffer(ok ? body.toString() : "{}", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                HttpUtil.setContentLength(response, response.content().readableBytes());
                ctx.writeAndFlush(response);
            } else if (msg instanceof TextWebSocketFrame frame) {
                onRequest(ctx.channel(), JSON.readTree(frame.text()));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof HandshakeComplete) {
                ctx.writeAndFlush(new TextWebSocketFrame("{\"t\":\"welcome\",\"session\":\"s\",\"player\":{\"id\":\"p\"}}"));
            }
        }

        private void onRequest(Channel channel, JsonNode request) {
            long id = request.path("id").asLong();
            ObjectNode reply = JSON.createObjectNode().put("t", "reply").put("id", id).put("ok", true);
            String room;
            switch (request.path("t").asText()) {
                case "create" -> {
                    room = "R" + nextRoom++;
                    rooms.computeIfAbsent(room, r -> new ArrayList<>()).add(channel);
                }
                case "join" -> {
                    room = request.path("room").asText();
                    rooms.computeIfAbsent(room, r -> new ArrayList<>()).add(channel);
                }
                case "send" -> {
                    room = request.path("room").asText();
                    channel.writeAndFlush(new TextWebSocketFrame(reply.toString()));
                    broadcast(room, request.path("data"));
                    return;
                }
                default -> {
                    return;
                }
            }
            ObjectNode data = reply.putObject("data").put("room", room);
            data.putObject("snapshot").put("members", rooms.get(room).size());
            channel.writeAndFlush(new TextWebSocketFrame(reply.toString()));
        }

        private void broadcast(String room, JsonNode data) {
            long seq = seqs.merge(room, 1L, Long::sum);
            ObjectNode event = JSON.createObjectNode().put("t", "event").put("room", room).put("seq", seq)
                    .put("name", "message");
            event.set("data", data);
            String text = event.toString();
            for (Channel member : rooms.getOrDefault(room, List.of())) {
                deliveries++;
                if (deliveries % 10 == 0) {
                    dropped++;
                    continue;
                }
                int copies = deliveries % 7 == 0 ? 2 : 1;
                if (copies == 2) {
                    duplicated++;
                }
                for (int c = 0; c < copies; c++) {
                    member.writeAndFlush(new TextWebSocketFrame(text));
                }
            }
        }
    }

    @Test
    void lostAndDuplicatedAreExactlyWhatTheServerDroppedAndDuplicated() throws Exception {
        FaultyServer faulty = new FaultyServer();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(initializer(faulty))
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            BenchSettings settings = new BenchSettings(URI.create("http://127.0.0.1:" + port), 0, 8,
                    Duration.ofSeconds(10), 2, null);

            BenchResult result = new Party(settings, null).party(3, 4, 5, Duration.ofSeconds(2), Duration.ofSeconds(1));
            long[] done = group.next().submit(() -> new long[] {faulty.deliveries, faulty.dropped, faulty.duplicated})
                    .get();

            Report.table(result, System.out);
            DeliveryCounts counts = result.counts();
            assertThat(result.connected()).isEqualTo(12);
            assertThat(counts.sent()).isEqualTo(12 * 10);
            assertThat(done[0]).isEqualTo(counts.expected());
            assertThat(done[1]).isPositive();
            assertThat(done[2]).isPositive();
            assertThat(counts.lost()).isEqualTo(done[1]);
            assertThat(counts.duplicated()).isEqualTo(done[2]);
            assertThat(counts.delivered()).isEqualTo(done[0] - done[1] + done[2]);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void findMaxStopsAtItsFirstStepWhenTheServerLosesMessages() throws Exception {
        FaultyServer faulty = new FaultyServer();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(initializer(faulty))
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            BenchSettings settings = new BenchSettings(URI.create("http://127.0.0.1:" + port), 0, 8,
                    Duration.ofSeconds(10), 2, null);
            FindMax plan = new FindMax(5, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), Double.MAX_VALUE, 4, 0.999,
                    Duration.ofSeconds(5));

            BenchResult result = new Party(settings, null).findMax(3, 4, plan);
            long[] done = group.next().submit(() -> new long[] {faulty.deliveries, faulty.dropped, faulty.duplicated})
                    .get();

            Report.table(result, System.out);
            assertThat(result.steps()).hasSize(1);
            StepResult step = result.steps().get(0);
            assertThat(step.passed()).isFalse();
            assertThat(step.failure()).startsWith("delivered");
            assertThat(step.counts().sent()).isEqualTo(12 * 5);
            assertThat(step.counts().expected()).isEqualTo(done[0]);
            assertThat(step.counts().lost()).isEqualTo(done[1]);
            assertThat(step.counts().duplicated()).isEqualTo(done[2]);
            assertThat(result.stopReason()).startsWith("step 1: delivered");
            assertThat(result.lastPassingStep()).isNull();
            assertThat(Report.json(result).path("findMax").path("maxPassingDeliveriesPerSecond").isNull()).isTrue();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    private static ChannelInitializer<SocketChannel> initializer(FaultyServer faulty) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketServerProtocolHandler("/ws", null, false, 1 << 20, false, true), faulty);
            }
        };
    }
}
