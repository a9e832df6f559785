package dev.partyline.core.room;

import dev.partyline.core.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A {@link Mailbox} for tests: runs tasks inline on the posting thread, yet serially, and runs
 * timers when a {@link ManualClock} is advanced past their time.
 *
 * <p>A task posted while another task of this mailbox runs (a room posting to itself, directly
 * or through a chain of calls) is queued and runs right after the current one, as on a real
 * serial executor, never nested inside it. So when {@link #execute} returns on a thread that was
 * not already draining this mailbox, everything posted meanwhile has run. A task that throws
 * propagates to the caller of {@code execute} (tests should see it); tasks still queued then run
 * on the next {@code execute}.
 */
public final class ManualMailbox implements Mailbox {
    private final ManualClock clock;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;

    public ManualMailbox(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (draining) {
                return; // the thread draining runs it next, in order
            }
            draining = true;
        }
        try {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
                next.run();
            }
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                draining = false;
            }
            throw e;
        }
    }

    /** Queues {@code task} on the manual clock; when it falls due it runs through this mailbox. */
    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        return clock.schedule(delay, () -> execute(task));
    }
}
