package dev.partyline.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a Partyline server that a test drives by hand, to put the client in situations
 * the real server produces only by chance (a replay that repeats an event, a refused resume at
 * a chosen moment). It hands out tickets {@code t-1}, {@code t-2}, … on {@code POST /api/tickets},
 * accepts WebSockets on {@code /ws}, and shows the test each connection ({@link Peer}): what the
 * client sent, and ways to answer, close or cut it. The end-to-end tests against the real server
 * are in the app module.
 */
final class ScriptedServer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("scripted-server", true), NioIoHandler.newFactory());
    private final BlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
    private final AtomicInteger tickets = new AtomicInteger();
    private final Channel listener;

    ScriptedServer() throws InterruptedException {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        Peer peer = new Peer(channel);
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new Tickets(),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").checkStartsWith(true).sendCloseFrame(null).build()),
                                new Frames(peer));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** How many tickets were handed out. */
    int ticketsIssued() {
        return tickets.get();
    }

    /** The next WebSocket a client opened; fails after {@link #WAIT}. */
    Peer nextPeer() throws InterruptedException {
        Peer peer = peers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (peer == null) {
            throw new AssertionError("no WebSocket connection within " + WAIT.toMillis() + " ms");
        }
        return peer;
    }

    /** The next WebSocket, if one comes within {@code wait}; null otherwise. */
    Peer pollPeer(Duration wait) throws InterruptedException {
        return peers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One WebSocket connection: what the client sent, and how to answer it. Thread-safe. */
    static final class Peer {
        private final Channel channel;
        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private volatile String uri;

        Peer(Channel channel) {
            this.channel = channel;
        }

        /** The request URI of the upgrade, for example {@code /ws?ticket=t-1}. */
        String uri() {
            return uri;
        }

        /** The next frame the client sent, parsed; fails after {@link #WAIT}. */
        JsonNode next() throws InterruptedException {
            JsonNode frame = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("the client sent nothing within " + WAIT.toMillis() + " ms on " + uri);
            }
            return frame;
        }

        /** The next frame, if one comes within {@code wait}; null otherwise. */
        JsonNode poll(Duration wait) throws InterruptedException {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Sends one text frame. */
        void send(String json) {
            channel.writeAndFlush(new TextWebSocketFrame(json)).syncUninterruptibly();
        }

        /** Sends a JSON value as one text frame. */
        void send(JsonNode json) {
            send(json.toString());
        }

        /** Sends a {@code welcome} for player {@code p1} with this resume token. */
        void welcome(String resumeToken, boolean resumed) {
            send("{\"t\":\"welcome\",\"player\":{\"id\":\"p1\",\"name\":\"Ann\"},\"session\":\"s1\",\"resume\":\""
                    + resumeToken + "\",\"heartbeatMs\":20000,\"node\":\"0000beef\",\"serverTime\":1,\"resumed\":"
                    + resumed + "}");
        }

        /** Answers request {@code id} with ok and {@code data} (JSON text, or null). */
        void reply(long id, String data) {
            send("{\"t\":\"reply\",\"id\":" + id + ",\"ok\":true,\"data\":" + data + "}");
        }

        /** Sends a chat {@code message} event. */
        void event(String room, long seq, String text) {
            send("{\"t\":\"event\",\"room\":\"" + room + "\",\"seq\":" + seq + ",\"name\":\"message\",\"from\":\"p2\","
                    + "\"data\":{\"text\":\"" + text + "\"}}");
        }

        /** Closes with a close frame. */
        void close(int code, String reason) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }

        /** Resets the TCP connection: no close frame, as when a network drops. */
        void cut() {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close().syncUninterruptibly();
        }

        /** Whether the connection is closed. */
        boolean isClosed() {
            return !channel.isActive();
        }
    }

    /** {@code POST /api/tickets}: a fresh ticket each time. */
    private final class Tickets extends SimpleChannelInboundHandler<FullHttpRequest> {
        Tickets() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.uri().startsWith("/api/tickets")) {
                ctx.fireChannelRead(request);
                return;
            }
            try {
                String body = "{\"ticket\":\"t-" + tickets.incrementAndGet()
                        + "\",\"expiresInMs\":30000,\"player\":{\"id\":\"p1\",\"name\":\"Ann\"}}";
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                HttpUtil.setContentLength(response, response.content().readableBytes());
                ctx.writeAndFlush(response);
            } finally {
                request.release();
            }
        }
    }

    /** Records the upgrade and the text frames of one connection. */
    private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final Peer peer;

        Frames(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                peer.uri = handshake.requestUri();
                peers.add(peer);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            try {
                peer.received.add(Json.mapper().readTree(frame.text()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
