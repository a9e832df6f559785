package dev.partyline.client.raw;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handles the WebSocket control frames on the client side: answers pings with pongs (unless
 * turned off), swallows pongs, records the close frame the server sent and completes the closing
 * handshake (RFC 6455 §5.5.1: echo the close, then close the connection). Data frames pass on.
 *
 * <p>Frame handling runs on the channel's event loop; the getters and setters are thread-safe.
 */
public final class ControlFrameHandler extends ChannelDuplexHandler {
    /** The code reported when the server's close frame carried no status (RFC 6455 §7.1.5). */
    public static final int NO_STATUS = 1005;
    /** The code reported when the connection ended without any close frame (RFC 6455 §7.1.5). */
    public static final int ABNORMAL = 1006;

    private final AtomicInteger pings = new AtomicInteger();
    private volatile boolean autoPong = true;
    private volatile boolean closeSent;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private volatile ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PingWebSocketFrame ping) {
            pings.incrementAndGet();
            if (autoPong) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            } else {
                ping.release();
            }
        } else if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
        } else if (msg instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            closeReason = code == -1 ? "" : close.reasonText();
            closeCode = code == -1 ? NO_STATUS : code;
            if (closeSent) {
                close.release();
                ctx.close();
            } else {
                closeSent = true;
                ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof CloseWebSocketFrame) {
            closeSent = true;
        }
        ctx.write(msg, promise);
    }

    /**
     * Starts the closing handshake: sends a close frame and closes the channel when the server
     * echoes it, or after {@code forceAfter} when it does not. Thread-safe.
     *
     * @param code a close code valid on the wire (1000-1003, 1007-1014, 3000-4999)
     * @param reason a reason of at most 123 UTF-8 bytes, or null for none
     * @return the channel's close future
     * @throws IllegalArgumentException for a code that may not be sent
     */
    public ChannelFuture sendClose(int code, String reason, Duration forceAfter) {
        ChannelHandlerContext ctx = context;
        CloseWebSocketFrame frame = new CloseWebSocketFrame(code, reason);
        if (!ctx.channel().isActive() || closeSent) {
            frame.release();
            return ctx.channel().close();
        }
        ctx.channel().writeAndFlush(frame);
        ctx.executor().schedule(() -> ctx.channel().close(), forceAfter.toMillis(), TimeUnit.MILLISECONDS);
        return ctx.channel().closeFuture();
    }

    /** The code of the server's close frame, {@link #NO_STATUS} for an empty one, -1 until one arrived. */
    public int closeCode() {
        return closeCode;
    }

    /** The reason of the server's close frame; null until one arrived. */
    public String closeReason() {
        return closeReason;
    }

    /**
     * The code to report once the channel has closed: the server's close code, or
     * {@link #ABNORMAL} when none arrived.
     */
    public int closeCodeOrAbnormal() {
        int code = closeCode;
        return code == -1 ? ABNORMAL : code;
    }

    /** Whether a close frame was sent by this side (first or as an echo). */
    public boolean closeSent() {
        return closeSent;
    }

    /** Turns the automatic pong reply off, to let a test miss heartbeats while still reading. */
    public void autoPong(boolean enabled) {
        autoPong = enabled;
    }

    /** How many pings the server has sent so far. */
    public int pingsReceived() {
        return pings.get();
    }
}
