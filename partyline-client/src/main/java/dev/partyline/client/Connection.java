package dev.partyline.client;

import dev.partyline.client.raw.ControlFrameHandler;
import dev.partyline.client.raw.WebSocketConnector;
import dev.partyline.client.raw.WebSocketTarget;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of a client to the server: opens it, sends the first frame, waits for
 * {@code welcome}, decodes the frames that follow and reports how it closed. It knows nothing of
 * requests, rooms or reconnects. Everything but {@link #send}, {@link #close} and {@link #abort}
 * (thread-safe) runs on the client's event loop, where the listener is called too.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final ServerMessageCodec CODEC = new ServerMessageCodec();

    /** Receives what arrives after {@code welcome}, on the event loop. */
    interface Listener {
        void onMessage(Connection connection, ServerMessage message);

        void onClosed(Connection connection, int code, String reason);
    }

    private final Listener listener;
    private final CompletableFuture<ServerMessage.Welcome> welcomed = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile boolean aborted;

    Connection(Listener listener) {
        this.listener = listener;
    }

    /**
     * Connects, sends {@code firstFrame} (when not null) right after the upgrade, and waits for
     * {@code welcome}, all within the target's timeout.
     *
     * @return completes on {@code loop} with the welcome; or exceptionally with the upgrade's
     *     failure, {@link ConnectionClosedException} when the server closed first (4001 for a
     *     bad ticket), or {@link RequestTimeoutException}
     */
    CompletableFuture<ServerMessage.Welcome> open(EventLoop loop, WebSocketTarget target, String firstFrame) {
        WebSocketConnector.connect(loop, target, pipeline -> {
            channel = pipeline.channel();
            pipeline.addLast("frames", new FrameHandler());
            if (aborted) {
                channel.close();
            }
        }).whenComplete((upgraded, failure) -> {
            if (failure != null) {
                welcomed.completeExceptionally(failure);
            } else if (firstFrame != null) {
                upgraded.writeAndFlush(new TextWebSocketFrame(firstFrame));
            }
        });
        var expiry = loop.schedule(() -> {
            if (welcomed.completeExceptionally(new RequestTimeoutException("welcome from " + target.url().getHost()
                    + ":" + target.port(), target.timeout()))) {
                abort();
            }
        }, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
        welcomed.whenComplete((welcome, failure) -> expiry.cancel(false));
        return welcomed;
    }

    /** Sends one text frame; a failed future when the channel is gone. Thread-safe. */
    ChannelFuture send(String text) {
        return channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Starts the closing handshake; the listener hears of the close. Thread-safe. */
    void close(int code, String reason, Duration forceAfter) {
        Channel current = channel;
        ControlFrameHandler control = current == null ? null : current.pipeline().get(ControlFrameHandler.class);
        if (control == null) {
            abort();
        } else {
            control.sendClose(code, reason, forceAfter);
        }
    }

    /** Drops the connection without a closing handshake, at any stage. Thread-safe. */
    void abort() {
        aborted = true;
        Channel current = channel;
        if (current != null) {
            current.close();
        }
    }

    /** Decodes data frames; reports the close. Runs on the event loop. */
    private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof TextWebSocketFrame text)) {
                log.debug("Ignoring a {} from the server", frame.getClass().getSimpleName());
                return;
            }
            ServerMessage message;
            try {
                message = CODEC.decode(text.text());
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring a frame the client cannot read: {}", e.getMessage());
                return;
            }
            if (message instanceof ServerMessage.Welcome welcome && !welcomed.isDone()) {
                welcomed.complete(welcome);
            } else if (welcomed.isDone() && !welcomed.isCompletedExceptionally()) {
                listener.onMessage(Connection.this, message);
            } else {
                log.debug("Ignoring a {} that came before welcome", message.getClass().getSimpleName());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ControlFrameHandler control = ctx.pipeline().get(ControlFrameHandler.class);
            int code = control == null ? ControlFrameHandler.ABNORMAL : control.closeCodeOrAbnormal();
            String reason = control == null || control.closeReason() == null ? "" : control.closeReason();
            welcomed.completeExceptionally(new ConnectionClosedException(code, reason));
            listener.onClosed(Connection.this, code, reason);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
