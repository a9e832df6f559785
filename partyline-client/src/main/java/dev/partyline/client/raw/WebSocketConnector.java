package dev.partyline.client.raw;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Opens a client WebSocket channel on Netty (NIO transport). The pipeline is
 * {@code http → aggregate → upgrade → ws-aggregate → control → (caller's handlers)}; the HTTP
 * handlers give way to the frame codec once the upgrade succeeds. Thread-safe and stateless.
 */
public final class WebSocketConnector {
    /** The largest body of a refused upgrade that is kept for {@link UpgradeRefusedException#body()}. */
    static final int MAX_REFUSAL_BYTES = 64 * 1024;

    private WebSocketConnector() {}

    /**
     * Connects and upgrades. {@code frames} adds the caller's handlers at the tail of the
     * pipeline before the connection starts, so no frame that follows the {@code 101} response
     * is missed; those handlers see data frames only, after a {@link ControlFrameHandler} named
     * {@code "control"}.
     *
     * @param group where the channel is registered; pass an {@code EventLoop} to pin it to one
     *     thread. Never null.
     * @param target where to connect; never null
     * @param frames adds handlers to the pipeline; runs on the channel's event loop; never null
     * @return completes, on the channel's event loop, with the upgraded channel; or exceptionally
     *     with {@link UpgradeRefusedException} when the server refused the upgrade, or an
     *     {@link IOException} when the connection failed, closed or timed out first (the channel
     *     is then closed)
     */
    public static CompletableFuture<Channel> connect(EventLoopGroup group, WebSocketTarget target,
                                                     Consumer<ChannelPipeline> frames) {
        CompletableFuture<Channel> upgraded = new CompletableFuture<>();
        SslContext ssl;
        try {
            ssl = target.secure() ? SslContextBuilder.forClient().build() : null;
        } catch (SSLException e) {
            upgraded.completeExceptionally(e);
            return upgraded;
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        if (target.origin() != null) {
            headers.set(HttpHeaderNames.ORIGIN, target.origin());
        }
        // generateOriginHeader=false: without an explicit origin, send none at all (a native
        // app or a hostile client), rather than one Netty derives from the URL.
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                target.url(), WebSocketVersion.V13, null, false, headers, target.maxFramePayload(),
                true, false, -1, false, false);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, target.timeout().toMillis());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (ssl != null) {
                            pipeline.addLast("tls", ssl.newHandler(channel.alloc(),
                                    target.url().getHost(), target.port()));
                        }
                        pipeline.addLast("http", new HttpClientCodec());
                        pipeline.addLast("aggregate", new HttpObjectAggregator(MAX_REFUSAL_BYTES));
                        pipeline.addLast("upgrade", new WebSocketUpgradeHandler(handshaker, upgraded));
                        pipeline.addLast("ws-aggregate", new WebSocketFrameAggregator(target.maxFramePayload()));
                        pipeline.addLast("control", new ControlFrameHandler());
                        frames.accept(pipeline);
                    }
                });
        ScheduledFuture<?> deadline = group.schedule(() -> {
            upgraded.completeExceptionally(new IOException("No WebSocket upgrade from " + target.url().getHost()
                    + ":" + target.port() + " within " + target.timeout().toMillis() + " ms"));
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        ChannelFuture connecting = bootstrap.connect(target.url().getHost(), target.port());
        Channel channel = connecting.channel();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                upgraded.completeExceptionally(connected.cause());
            }
        });
        upgraded.whenComplete((ok, failure) -> {
            deadline.cancel(false);
            if (failure != null) {
                channel.close();
            }
        });
        return upgraded;
    }
}
