package dev.partyline.server;

import dev.partyline.core.session.Connection;
import dev.partyline.core.session.DeliveryGroup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections of one event loop. A broadcast becomes one task on the loop that wraps the
 * encoded frame once into a complete WebSocket frame ({@link WireFrameEncoder}) and writes retained
 * duplicates of that one buffer to each channel, below its encoder.
 *
 * <p>Flushes are batched: a write marks its connection unflushed, and one flush pass, queued
 * behind the tasks already waiting on the loop, flushes each marked connection once. Under load
 * many frames for one socket then leave in one system call; when idle the pass runs right after
 * the write, so no latency is added. Writes keep their order: they all happen on the loop.
 */
final class EventLoopDeliveryGroup implements DeliveryGroup {
    private static final WireFrameEncoder ENCODER = new WireFrameEncoder();

    private final EventLoop loop;
    private final ServerMetrics metrics;
    private final Runnable flushPass = this::flushUnflushed;
    // Loop-confined.
    private List<NettyConnection> unflushed = new ArrayList<>();
    private List<NettyConnection> spare = new ArrayList<>();
    private boolean flushQueued;

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

    /** Writes one frame to one connection of this loop, flushed by the next flush pass. Thread-safe. */
    void deliver(NettyConnection connection, byte[] frame) {
        if (loop.inEventLoop()) {
            writeOne(connection, frame);
        } else {
            loop.execute(() -> writeOne(connection, frame));
        }
    }

    private void writeOne(NettyConnection connection, byte[] frame) {
        Channel channel = connection.channel();
        if (channel.isActive() && !connection.isClosing()) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), channel.voidPromise());
            markUnflushed(connection);
            metrics.messagesOut(1);
        }
    }

    private void write(byte[] frame, int offset, int length, List<Connection> recipients) {
        ByteBuf wire = null;
        int written = 0;
        try {
            for (Connection recipient : recipients) {
                NettyConnection connection = (NettyConnection) recipient;
                if (!connection.isOpenForWrites()) {
                    continue;
                }
                if (connection.wireContext() == null) {
                    Channel channel = connection.channel();
                    channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame, offset, length)),
                            channel.voidPromise());
                } else {
                    if (wire == null) {
                        wire = ENCODER.encodeText(connection.wireContext(), frame, offset, length);
                    }
                    connection.writeWire(wire.retainedDuplicate());
                }
                markUnflushed(connection);
                written++;
            }
        } finally {
            if (wire != null) {
                wire.release();
            }
            metrics.messagesOut(written);
        }
    }

    private void markUnflushed(NettyConnection connection) {
        if (connection.markUnflushed()) {
            unflushed.add(connection);
        }
        if (!flushQueued) {
            flushQueued = true;
            loop.execute(flushPass);
        }
    }

    private void flushUnflushed() {
        // Swap first: a flush can fire handlers that write again, and those writes join the next pass.
        List<NettyConnection> batch = unflushed;
        unflushed = spare;
        flushQueued = false;
        for (NettyConnection connection : batch) {
            connection.clearUnflushed();
            connection.flush();
        }
        batch.clear();
        spare = batch;
    }
}
