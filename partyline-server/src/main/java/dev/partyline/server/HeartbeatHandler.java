package dev.partyline.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a connection that has been quiet for a heartbeat interval, and closes it when it stays
 * quiet through {@code maxMissed} pings in a row: a phone that vanished without a FIN must not
 * hold a seat forever. Any inbound frame counts as alive; pongs stop here.
 *
 * <p>One repeating timer per connection, checked against a flag the reads set, rather than
 * Netty's IdleStateHandler: that is a second handler, context and timer on each of thousands of
 * idle connections. A quiet client is pinged one to two intervals after its last frame.
 * Event loop only.
 */
public final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

    private final long intervalMillis;
    private final int maxMissed;
    private boolean heard;
    private int missed;
    private ScheduledFuture<?> ticks;

    public HeartbeatHandler(Duration interval, int maxMissed) {
        this.intervalMillis = interval.toMillis();
        this.maxMissed = maxMissed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Added once the WebSocket is up, so the channel is active already.
        ticks = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        heard = true;
        missed = 0;
        if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
            return;
        }
        super.channelRead(ctx, msg);
    }

    private void tick(ChannelHandlerContext ctx) {
        if (heard) {
            heard = false;
            return;
        }
        if (missed >= maxMissed) {
            log.debug("closing {}: {} pings unanswered", ctx.channel().remoteAddress(), missed);
            stop();
            ctx.close();
            return;
        }
        missed++;
        ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
    }

    private void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }
}
