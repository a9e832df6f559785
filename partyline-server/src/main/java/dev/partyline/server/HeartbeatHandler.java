package dev.partyline.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a connection that has been quiet for a heartbeat interval, and closes it when it stays
 * quiet through {@code maxMissed} pings in a row: a phone that vanished without a FIN must not
 * hold a seat forever. Any inbound frame counts as alive; pongs stop here.
 */
public final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

    private final int maxMissed;
    private int missed;

    public HeartbeatHandler(int maxMissed) {
        this.maxMissed = maxMissed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        missed = 0;
        if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (missed >= maxMissed) {
                log.debug("closing {}: {} pings unanswered", ctx.channel().remoteAddress(), missed);
                ctx.close();
                return;
            }
            missed++;
            ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
            return;
        }
        super.userEventTriggered(ctx, event);
    }
}
