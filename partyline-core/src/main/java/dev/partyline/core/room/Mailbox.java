package dev.partyline.core.room;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A room's serial executor: runs one task at a time, in FIFO order, and runs timers on the same
 * thread. In the server it is one of the Netty event loops. Thread-safe.
 */
public interface Mailbox extends Executor {

    /** Runs {@code task} on this mailbox after {@code delay}. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Idempotent; a task already running is not interrupted. */
        void cancel();
    }
}
