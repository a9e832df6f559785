package dev.partyline.server;

import dev.partyline.core.room.Mailbox;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A room's mailbox on one Netty event loop: serial, FIFO, timers on the same thread. */
final class EventLoopMailbox implements Mailbox {
    private final EventLoop loop;

    EventLoopMailbox(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
