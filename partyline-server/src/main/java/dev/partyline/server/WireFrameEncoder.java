package dev.partyline.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's own WebSocket encoder, used once per broadcast instead of once per recipient: it turns
 * a text payload into the frame's wire bytes in one direct buffer, whose retained duplicates are
 * then written below each channel's encoder. Server frames are not masked (RFC 6455 §5.1), so
 * the bytes are the same for every recipient. Stateless; one instance serves every loop.
 */
final class WireFrameEncoder extends WebSocket13FrameEncoder {
    WireFrameEncoder() {
        super(false);
    }

    /**
     * The complete text frame for {@code payload[offset, offset+length)}, allocated from
     * {@code ctx}'s allocator. The caller owns (and releases) the buffer.
     */
    ByteBuf encodeText(ChannelHandlerContext ctx, byte[] payload, int offset, int length) {
        // Direct, so that the socket writes it as is instead of copying it once per recipient.
        ByteBuf content = ctx.alloc().directBuffer(length).writeBytes(payload, offset, length);
        TextWebSocketFrame frame = new TextWebSocketFrame(content);
        List<Object> out = new ArrayList<>(2);
        try {
            encode(ctx, frame, out);
        } catch (Exception e) {
            out.forEach(part -> ((ByteBuf) part).release());
            throw new EncoderException(e);
        } finally {
            frame.release();
        }
        if (out.size() == 1) {
            return (ByteBuf) out.get(0);
        }
        // Large payloads come as header + payload.
        CompositeByteBuf whole = ctx.alloc().compositeDirectBuffer(out.size());
        for (Object part : out) {
            whole.addComponent(true, (ByteBuf) part);
        }
        return whole;
    }
}
