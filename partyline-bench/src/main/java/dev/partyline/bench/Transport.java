package dev.partyline.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
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
 * bootstrap of its WebSockets. Each connection may bind its own source address, so that many
 * connections to one server port spread over 127.0.0.x and never run out of ephemeral ports.
 * Thread-safe.
 */
public final class Transport implements AutoCloseable {
    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final boolean epoll;

    /** @param threads event loops; 0 for Netty's default (2 × cores) */
    public Transport(int threads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-io", true), io);
        this.channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Whether the native epoll transport is in use. */
    public boolean epoll() {
        return epoll;
    }

    /**
     * Connects {@code connection} and starts the upgrade; {@link BenchConnection#upgraded()}
     * completes when it is done.
     *
     * @param url the WebSocket URL, query included
     * @param local the source address to bind, or null to let the kernel choose
     * @param timeout for the TCP connect and the upgrade each
     */
    public void connect(URI url, InetSocketAddress local, BenchConnection connection, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .handleCloseFrames(false)
                .generateOriginHeader(false)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(millis)
                .build();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        pipeline.addLast("http", new HttpClientCodec());
                        pipeline.addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        pipeline.addLast("ws", new WebSocketClientProtocolHandler(config));
                        pipeline.addLast("ws-aggregate", new WebSocketFrameAggregator(MAX_FRAME));
                        pipeline.addLast("bench", connection);
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
        var connecting = local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                connection.failUpgrade(done.cause());
            }
        });
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
