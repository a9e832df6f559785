package dev.partyline.core;

import dev.partyline.core.room.Mailbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A {@link Clock} that only moves when a test says so, and the timer queue that goes with it.
 *
 * <p>{@link #schedule} queues a task for a point in manual time; {@link #advance} moves the time
 * forward and runs, on the caller's thread and in time order (ties in the order they were
 * scheduled), every task that falls due on the way, setting the time to each task's due
 * instant before running it. A task scheduled while the clock advances runs in the same
 * advance if it falls due before its end. Thread-safe, but meant for one test thread.
 */
public final class ManualClock extends Clock {
    /** Where every manual clock starts unless told otherwise: a fixed, easy-to-read instant. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private Instant now;
    private long scheduled;

    public ManualClock() {
        this(DEFAULT_START);
    }

    public ManualClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A view of this clock in another zone; it moves with this one. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(getZone())) {
            return this;
        }
        ManualClock base = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return base.withZone(other);
            }

            @Override
            public Instant instant() {
                return base.instant();
            }
        };
    }

    /**
     * Moves the time forward by {@code duration}, running every task that falls due on the way.
     *
     * @throws IllegalArgumentException when {@code duration} is negative: time never goes back
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a manual clock never goes back: " + duration);
        }
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Timer next;
            synchronized (this) {
                next = timers.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                timers.poll();
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
            }
            // Outside the lock: the task may schedule or cancel timers.
            if (!next.cancelled) {
                next.task.run();
            }
        }
    }

    /** Shorthand for {@code advance(Duration.ofMillis(millis))}. */
    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /**
     * Runs {@code task} on the advancing thread once the time reaches now + {@code delay}.
     * A zero or negative delay runs it on the next {@link #advance}, even {@code advance(ZERO)}.
     */
    public synchronized Mailbox.Cancellable schedule(Duration delay, Runnable task) {
        Instant due = delay.isNegative() ? now : now.plus(delay);
        Timer timer = new Timer(due, scheduled++, task);
        timers.add(timer);
        return timer::cancel;
    }

    /** How many timers are queued and not cancelled: a test can check nothing was left behind. */
    public synchronized int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }

    private static final class Timer implements Comparable<Timer> {
        final Instant due;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Timer(Instant due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = due.compareTo(other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
