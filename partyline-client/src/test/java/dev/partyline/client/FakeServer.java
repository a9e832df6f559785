package dev.partyline.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ClientMessageCodec;
import dev.partyline.protocol.DecodeException;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the Partyline server, just enough of protocol v1 to exercise the client:
 * tickets, the origin check, ticket or first-frame auth, welcome, replies to every request,
 * one shared event counter, and ways to close or drop every socket. Everything it sees goes to
 * {@link #log} as one line. Not the real server: it has no rooms and no limits.
 */
public final class FakeServer implements AutoCloseable {
    /** A join code the fake does not know. */
    public static final String UNKNOWN_ROOM = "NONE";

    /** What the server saw, one line each: {@code ticket …}, {@code upgrade …}, {@code frame …}, {@code close …}. */
    public final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    /** Ignore requests (to make the client time out). */
    public volatile boolean silent;
    /** Answer ticket requests with 401. */
    public volatile boolean refuseTickets;
    /** Hand out tickets that the WebSocket then refuses with 4001. */
    public volatile boolean invalidTickets;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ServerMessageCodec serverCodec = new ServerMessageCodec();
    private final ClientMessageCodec clientCodec = new ClientMessageCodec();
    private final Set<String> tickets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final List<Channel> sockets = new CopyOnWriteArrayList<>();
    private final Channel server;
    private final int port;

    public FakeServer() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The next log line that starts with {@code prefix}, skipping others; fails after 5 s. */
    public String awaitLog(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String line = log.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the server logged no line starting with \"" + prefix + "\"");
    }

    /** How many tickets the server has issued. */
    public int ticketsIssued() {
        return issued.get();
    }

    /** Sends an event with the next seq to every authenticated socket. */
    public long pushEvent(String room, String name, JsonNode data) {
        long next = seq.incrementAndGet();
        broadcast(new ServerMessage.Event(room, next, name, null, data));
        return next;
    }

    /** Sends a frame to every authenticated socket. */
    public void broadcast(ServerMessage message) {
        byte[] frame = serverCodec.encode(message);
        for (Channel socket : sockets) {
            socket.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)));
        }
    }

    /** Closes every socket with this close code. */
    public void closeAll(int code, String reason) {
        for (Channel socket : sockets) {
            socket.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Drops every socket without a close frame, as a crashed node or a lost network would. */
    public void dropAll() {
        for (Channel socket : sockets) {
            socket.close();
        }
    }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private WebSocketServerHandshaker handshaker;
        private String playerId;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (message instanceof FullHttpRequest request) {
                http(ctx, request);
            } else if (message instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.add("failed " + cause.getClass().getSimpleName());
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            sockets.remove(ctx.channel());
            ctx.fireChannelInactive();
        }

        private void http(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            if (request.method().equals(HttpMethod.POST) && uri.path().equals("/api/tickets")) {
                String body = request.content().toString(StandardCharsets.UTF_8);
                log.add("ticket origin=" + origin + " auth=" + request.headers().get(HttpHeaderNames.AUTHORIZATION)
                        + " body=" + body);
                if (refuseTickets) {
                    respond(ctx, HttpResponseStatus.UNAUTHORIZED,
                            "{\"error\":{\"code\":\"unauthorized\",\"message\":\"No guests here.\"}}");
                    return;
                }
                int number = issued.incrementAndGet();
                String ticket = "t-" + number;
                if (!invalidTickets) {
                    tickets.add(ticket);
                }
                String name = nameIn(body, "Guest " + number);
                var answer = Json.nodes().objectNode().put("ticket", ticket).put("expiresInMs", 30000);
                answer.putObject("player").put("id", "p" + number).put("name", name);
                respond(ctx, HttpResponseStatus.OK, answer.toString());
            } else if (uri.path().equals("/ws")) {
                List<String> ticket = uri.parameters().get("ticket");
                log.add("upgrade origin=" + origin + " ticket=" + (ticket == null ? null : ticket.get(0)));
                if (!baseUrl().equals(origin)) {
                    respond(ctx, HttpResponseStatus.FORBIDDEN, "Origin " + origin + " is not allowed; add it to --allowed-origins.");
                    return;
                }
                handshaker = new WebSocketServerHandshakerFactory("ws://127.0.0.1:" + port + "/ws", null, false, 1 << 20)
                        .newHandshaker(request);
                handshaker.handshake(ctx.channel(), request).addListener(done -> {
                    if (done.isSuccess() && ticket != null) {
                        authenticate(ctx, ticket.get(0));
                    }
                });
            } else {
                respond(ctx, HttpResponseStatus.NOT_FOUND, "not found");
            }
        }

        private static String nameIn(String body, String fallback) {
            try {
                return Json.mapper().readTree(body).path("name").asText(fallback);
            } catch (java.io.IOException e) {
                return fallback;
            }
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                log.add("close " + close.statusCode() + " " + close.reasonText());
                handshaker.close(ctx.channel(), close.retain());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof BinaryWebSocketFrame) {
                log.add("binary " + frame.content().readableBytes());
                send(ctx, new ServerMessage.Error("binary_not_supported", "Send JSON text frames."));
            } else if (frame instanceof TextWebSocketFrame text) {
                log.add("frame " + text.text());
                text(ctx, text.text());
            }
        }

        private void text(ChannelHandlerContext ctx, String text) {
            ClientMessage message;
            try {
                message = clientCodec.decode(text);
            } catch (DecodeException e) {
                send(ctx, new ServerMessage.Error(e.code().wire(), e.getMessage()));
                return;
            }
            if (playerId == null) {
                if (message instanceof ClientMessage.Auth auth && auth.ticket() != null) {
                    authenticate(ctx, auth.ticket());
                } else {
                    send(ctx, new ServerMessage.Error("not_authenticated", "Send auth first."));
                }
                return;
            }
            if (silent || !(message instanceof ClientMessage.Request request)) {
                return;
            }
            if (request instanceof ClientMessage.Join join) {
                String room = join.room().trim().toUpperCase();
                send(ctx, room.equals(UNKNOWN_ROOM)
                        ? ServerMessage.Reply.failure(join.id(), "room_not_found", "No room has the code " + room + ".")
                        : ServerMessage.Reply.ok(join.id(), snapshot(room)));
            } else if (request instanceof ClientMessage.Create create) {
                send(ctx, ServerMessage.Reply.ok(create.id(), snapshot("ABCD")));
            } else if (request instanceof ClientMessage.Leave leave) {
                send(ctx, ServerMessage.Reply.ok(leave.id(), null));
            } else if (request instanceof ClientMessage.Send sent) {
                send(ctx, ServerMessage.Reply.ok(sent.id(), sent.data()));
                pushEvent(sent.room(), sent.name(), sent.data());
            } else if (request instanceof ClientMessage.Ping ping) {
                send(ctx, ServerMessage.Reply.ok(ping.id(), null));
            }
        }

        private void authenticate(ChannelHandlerContext ctx, String ticket) {
            if (!tickets.remove(ticket)) {
                log.add("refused " + ticket);
                ctx.writeAndFlush(new CloseWebSocketFrame(4001, "unauthorized")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            playerId = "p" + ticket.substring(2);
            sockets.add(ctx.channel());
            send(ctx, new ServerMessage.Welcome(new ServerMessage.PlayerInfo(playerId, "Player " + playerId),
                    "s-" + playerId, "r-" + playerId, 20_000, "node-1", System.currentTimeMillis(), false));
        }

        private JsonNode snapshot(String room) {
            return serverCodec.snapshotData(new ServerMessage.State(room, "chat", "e1", seq.get(),
                    List.of(new ServerMessage.MemberInfo(playerId, "Player " + playerId, true, true)),
                    Json.nodes().objectNode(), playerId));
        }

        private void send(ChannelHandlerContext ctx, ServerMessage message) {
            ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(serverCodec.encode(message))));
        }

        private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, body.startsWith("{") ? "application/json" : "text/plain");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
