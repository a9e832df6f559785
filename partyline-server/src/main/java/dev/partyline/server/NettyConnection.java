package dev.partyline.server;

import dev.partyline.core.session.Connection;
import dev.partyline.core.session.DeliveryGroup;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** One WebSocket channel as core's {@link Connection}. Thread-safe: Netty queues writes onto the channel's loop. */
public final class NettyConnection implements Connection {
    private static final long CLOSE_LINGER_MS = 1_000;
    /** Set on a channel once its close frame is written: one close frame, and no data after it. */
    static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("partyline.closing");
    private static final int MAX_REASON_BYTES = 123; // RFC 6455 §5.5: control frame payload ≤ 125 bytes

    private final Channel channel;
    private final ServerMessageCodec codec;
    private final EventLoopDeliveryGroup group;
    private final String remoteAddress;
    private final ServerMetrics metrics;
    /** The WebSocket encoder's context: frames already in wire form are written from here. Null without one. */
    private final ChannelHandlerContext wire;
    // Loop-confined: written to since the group's last flush pass.
    private boolean unflushed;

    NettyConnection(Channel channel, ServerMessageCodec codec, EventLoopDeliveryGroup group, String remoteAddress,
                    ServerMetrics metrics) {
        this.channel = channel;
        this.codec = codec;
        this.group = group;
        this.remoteAddress = remoteAddress;
        this.metrics = metrics;
        this.wire = channel.pipeline().context(WebSocketFrameEncoder.class);
    }

    Channel channel() {
        return channel;
    }

    /** Whether frames may still be written: the socket is open and no close frame was sent. */
    boolean isOpenForWrites() {
        return channel.isActive() && !isClosing();
    }

    /** The WebSocket encoder's context, or null when the pipeline has none. */
    ChannelHandlerContext wireContext() {
        return wire;
    }

    /** On the loop: writes a complete WebSocket frame (see {@link WireFrameEncoder}) below the encoder. */
    void writeWire(ByteBuf frame) {
        wire.write(frame, wire.voidPromise());
    }

    /** On the loop: sends what was written. */
    void flush() {
        if (wire != null) {
            wire.flush();
        } else {
            channel.flush();
        }
    }

    @Override
    public void send(ServerMessage message) {
        if (isClosing() || !channel.isActive()) {
            return;
        }
        if (message instanceof ServerMessage.Reply reply) {
            sendReply(reply, codec.encode(reply));
            return;
        }
        if (message instanceof ServerMessage.Error error) {
            metrics.error(error.code());
        }
        sendFrame(codec.encode(message));
    }

    @Override
    public void sendReply(ServerMessage.Reply reply, byte[] frame) {
        if (!reply.ok()) {
            metrics.error(reply.error().code());
        }
        sendFrame(frame);
    }

    @Override
    public void sendFrame(byte[] frame) {
        if (isClosing() || !channel.isActive()) {
            return;
        }
        group.deliver(this, frame);
    }

    /** On the loop: marks this connection written to; false when it already was since the last flush. */
    boolean markUnflushed() {
        if (unflushed) {
            return false;
        }
        unflushed = true;
        return true;
    }

    /** On the loop: the flush pass is about to flush this connection. */
    void clearUnflushed() {
        unflushed = false;
    }

    @Override
    public void close(CloseCode code, String reason) {
        // Frames read in the same batch as the one that caused the close may ask again: once is enough.
        if (closeChannel(channel, code, reason)) {
            metrics.closed(code);
        }
    }

    /** Whether a close frame was sent: nothing more is written, and what the client still sends is dropped. */
    boolean isClosing() {
        return isClosing(channel);
    }

    static boolean isClosing(Channel channel) {
        return channel.hasAttr(CLOSING);
    }

    /**
     * Sends a close frame and closes the socket when the client answers it, or after a short
     * linger. Closing at once would make the kernel answer a client that is still sending with a
     * reset, and the client would lose the frames, the close frame included, that say why.
     *
     * @return false when a close frame had been sent already (then nothing is done)
     */
    static boolean closeChannel(Channel channel, CloseCode code, String reason) {
        if (channel.attr(CLOSING).setIfAbsent(Boolean.TRUE) != null) {
            return false;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code.code(), truncate(reason)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_LINGER_MS, TimeUnit.MILLISECONDS);
        return true;
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
