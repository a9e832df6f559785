package dev.partyline.server;

import dev.partyline.core.room.Mailbox;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** A room's mailbox on one Netty event loop: serial, FIFO, timers on the same thread. */
final class EventLoopMailbox implements Mailbox {
    private final EventLoop loop;

    EventLoopMailbox(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            if (!loop.isShuttingDown()) {
                throw e;
            }
            // The node is stopping and this room's loop is gone: a socket that closes late (one that
            // could not take its 1001 within the grace) has no room left to tell it is away.
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
