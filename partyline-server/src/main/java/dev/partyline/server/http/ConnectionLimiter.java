package dev.partyline.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections per IP address. A connection over the cap is not refused at accept but
 * answered {@code 429} on its first request, so the client learns why. One shared instance.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final int maxPerAddress;

    public ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        String address = RemoteAddress.of(channel);
        int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        // Counted down on close, not in channelInactive: a WebSocket drops this handler once upgraded.
        channel.closeFuture().addListener(closed -> release(address));
        if (count > maxPerAddress) {
            channel.attr(RemoteAddress.OVER_LIMIT).set(Boolean.TRUE); // only then: an attribute costs memory
        }
        super.channelActive(ctx);
    }

    private void release(String address) {
        open.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest && ctx.channel().hasAttr(RemoteAddress.OVER_LIMIT)) {
            ReferenceCountUtil.release(msg);
            String message = "Too many connections from your address (limit " + maxPerAddress
                    + "; --max-connections-per-ip).";
            log.warn("refused a connection from {}: {}", RemoteAddress.of(ctx.channel()), message);
            Responses.send(ctx, null, Responses.error(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited", message));
            return;
        }
        super.channelRead(ctx, msg);
    }
}
