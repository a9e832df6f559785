package dev.partyline.server;

import dev.partyline.core.session.Connection;
import dev.partyline.core.session.DeliveryGroup;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/** One WebSocket channel as core's {@link Connection}. Thread-safe: Netty queues writes onto the channel's loop. */
public final class NettyConnection implements Connection {
    private static final int MAX_REASON_BYTES = 123; // RFC 6455 §5.5: control frame payload ≤ 125 bytes

    private final Channel channel;
    private final ServerMessageCodec codec;
    private final DeliveryGroup group;
    private final String remoteAddress;
    private final ServerMetrics metrics;
    /** Set by the first {@link #close}: one close frame, counted once, and no data frames after it. */
    private final AtomicBoolean closing = new AtomicBoolean();

    NettyConnection(Channel channel, ServerMessageCodec codec, DeliveryGroup group, String remoteAddress,
                    ServerMetrics metrics) {
        this.channel = channel;
        this.codec = codec;
        this.group = group;
        this.remoteAddress = remoteAddress;
        this.metrics = metrics;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void send(ServerMessage message) {
        if (closing.get() || !channel.isActive()) {
            return;
        }
        if (message instanceof ServerMessage.Reply reply && !reply.ok()) {
            metrics.error(reply.error().code());
        } else if (message instanceof ServerMessage.Error error) {
            metrics.error(error.code());
        }
        metrics.messagesOut(1);
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(codec.encode(message))), channel.voidPromise());
    }

    @Override
    public void close(CloseCode code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return; // frames read in the same batch as the one that caused the close ask again
        }
        metrics.closed(code);
        closeChannel(channel, code, reason);
    }

    /** Sends a close frame and closes the channel once it is written. */
    static void closeChannel(Channel channel, CloseCode code, String reason) {
        channel.writeAndFlush(new CloseWebSocketFrame(code.code(), truncate(reason)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public DeliveryGroup deliveryGroup() {
        return group;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Cuts a close reason to what fits a close frame, on a character boundary. */
    static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        String cut = reason;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
