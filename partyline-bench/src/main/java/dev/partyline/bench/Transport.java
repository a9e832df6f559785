package dev.partyline.bench;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The bench's one event-loop group (native epoll when available, NIO otherwise) and the
 * bootstrap of its connections: ticket, then WebSocket upgrade, over one TCP connection. Each connection may bind its own source address, so that many
 * connections to one server port spread over 127.0.0.x and never run out of ephemeral ports.
 * Thread-safe.
 */
public final class Transport implements AutoCloseable {
    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup group;
    private final boolean epoll;

    /**
     * @param threads event loops; 0 for one per core (not Netty's 2 × cores: the bench shares the
     *     cores with the server it loads, and more loops than cores only add context switches)
     */
    public Transport(int threads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int loops = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("bench-io", true), io);
    }

    /** Whether the native epoll transport is in use. */
    public boolean epoll() {
        return epoll;
    }

    /**
     * Connects {@code connection}: asks for a ticket over the new connection (see
     * {@link TicketHandler}), then upgrades the same connection to a WebSocket with it;
     * {@link BenchConnection#upgraded()} completes when that is done, exceptionally with a
     * {@link BenchException} when the ticket was refused or the upgrade failed.
     *
     * @param loop the event loop of the new channel (the caller's, to stay on one thread), or null for the next one
     * @param remote the server's address
     * @param hostHeader the server as {@code host:port}, for the {@code Host} header and the WebSocket URL
     * @param local the source address to bind, or null to let the kernel choose
     * @param name the display name to ask a ticket for; plain ASCII without quotes or backslashes
     * @param timeout for the TCP connect, the ticket and the upgrade each
     */
    public void connect(EventLoop loop, InetSocketAddress remote, String hostHeader, InetSocketAddress local, String name,
                        BenchConnection connection, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // No Bootstrap: one channel, configured directly, costs less than copying a bootstrap's
        // options and running an initializer for each of thousands of connections.
        SocketChannel channel = epoll ? new EpollSocketChannel() : new NioSocketChannel();
        channel.config().setConnectTimeoutMillis(millis);
        channel.config().setTcpNoDelay(true);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("http", new HttpClientCodec());
        pipeline.addLast("aggregate", new HttpObjectAggregator(64 * 1024));
        pipeline.addLast("ticket", new TicketHandler(hostHeader, name, millis, connection,
                (ctx, ticket) -> addWebSocket(ctx, hostHeader, ticket, millis)));
        pipeline.addLast("bench", connection);
        (loop == null ? group.next() : loop).register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                channel.unsafe().closeForcibly();
                connection.failUpgrade(registered.cause());
                return;
            }
            ChannelFuture connecting = local == null ? channel.connect(remote) : channel.connect(remote, local);
            connecting.addListener(done -> {
                if (!done.isSuccess()) {
                    connection.failUpgrade(done.cause());
                    channel.close();
                }
            });
        });
    }

    /** Adds the WebSocket client handlers after {@code ticketHandler}; their handshake starts on channelActive. */
    private static void addWebSocket(ChannelHandlerContext ticketHandler, String hostHeader, String ticket, int millis) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://" + hostHeader + "/ws?ticket=" + ticket))
                .handleCloseFrames(false)
                .generateOriginHeader(false)
                // The bench reads every frame with Jackson, which refuses bad UTF-8 itself.
                .withUTF8Validator(false)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(millis)
                .build();
        ticketHandler.pipeline()
                .addAfter(ticketHandler.name(), "ws", new WebSocketClientProtocolHandler(config))
                .addAfter("ws", "ws-aggregate", new WebSocketFrameAggregator(MAX_FRAME));
    }

    /** Runs {@code task} on some event loop after {@code delay}. */
    public void schedule(Runnable task, Duration delay) {
        group.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Shuts the event loops down and waits up to 5 s. Closes every channel still open. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
