package dev.partyline.server;

import dev.partyline.core.session.Connection;
import dev.partyline.core.session.DeliveryGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;

/**
 * The connections of one event loop. A broadcast becomes one task on the loop that wraps the
 * encoded frame once and writes retained duplicates of that one buffer to each channel, then
 * flushes each once.
 */
final class EventLoopDeliveryGroup implements DeliveryGroup {
    private final EventLoop loop;
    private final ServerMetrics metrics;

    EventLoopDeliveryGroup(EventLoop loop, ServerMetrics metrics) {
        this.loop = loop;
        this.metrics = metrics;
    }

    @Override
    public void deliver(byte[] frame, int offset, int length, List<Connection> recipients) {
        // Inline on the loop itself: a reply the room sends afterwards must not overtake its events.
        if (loop.inEventLoop()) {
            write(frame, offset, length, recipients);
        } else {
            loop.execute(() -> write(frame, offset, length, recipients));
        }
    }

    private void write(byte[] frame, int offset, int length, List<Connection> recipients) {
        ByteBuf shared = Unpooled.wrappedBuffer(frame, offset, length);
        try {
            for (Connection recipient : recipients) {
                NettyConnection connection = (NettyConnection) recipient;
                Channel channel = connection.channel();
                if (channel.isActive() && !connection.isClosing()) {
                    channel.write(new TextWebSocketFrame(shared.retainedDuplicate()), channel.voidPromise());
                }
            }
            for (Connection recipient : recipients) {
                ((NettyConnection) recipient).channel().flush();
            }
            metrics.messagesOut(recipients.size());
        } finally {
            shared.release();
        }
    }
}
