package dev.partyline.core.room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The recent events of one room, already encoded, so a player who comes back can be sent exactly
 * what it missed. Bounded by count and by age: the oldest entries go first. Private events keep
 * their audience, and {@link #since} gives a player only what it may see. Mailbox only.
 */
public final class EventLog {
    private final int maxEvents;
    private final long maxAgeMs;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long retainedBytes;

    /** One logged event: its frame as sent, and who may see it (null: everyone). */
    public record Entry(long seq, String audience, byte[] frame, long at) {
        boolean visibleTo(String playerId) {
            return audience == null || audience.equals(playerId);
        }
    }

    public EventLog(int maxEvents, long maxAgeMs) {
        if (maxEvents < 1 || maxAgeMs < 1) {
            throw new IllegalArgumentException("an event log keeps at least one event for at least 1 ms");
        }
        this.maxEvents = maxEvents;
        this.maxAgeMs = maxAgeMs;
    }

    /** Appends the event numbered {@code seq}, which must follow the last one. */
    public void append(long seq, String audience, byte[] frame, long now) {
        if (!entries.isEmpty() && entries.peekLast().seq() >= seq) {
            throw new IllegalArgumentException("seq " + seq + " does not follow " + entries.peekLast().seq());
        }
        entries.addLast(new Entry(seq, audience, frame, now));
        retainedBytes += frame.length;
        trim(now);
    }

    /**
     * The events after {@code seq} that {@code playerId} may see, in order; null when the log
     * no longer reaches back that far (the caller sends a snapshot instead).
     *
     * @param lastSeq the room's current seq
     */
    public List<Entry> since(long seq, String playerId, long lastSeq, long now) {
        trim(now);
        if (seq >= lastSeq) {
            return List.of();
        }
        if (entries.isEmpty() || entries.peekFirst().seq() > seq + 1) {
            return null;
        }
        List<Entry> missed = new ArrayList<>();
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.seq() <= seq) {
                break;
            }
            if (entry.visibleTo(playerId)) {
                missed.add(entry);
            }
        }
        java.util.Collections.reverse(missed);
        return missed;
    }

    /** How many events are kept. */
    public int size() {
        return entries.size();
    }

    /** The bytes of the frames kept, for memory accounting. */
    public long retainedBytes() {
        return retainedBytes;
    }

    private void trim(long now) {
        while (!entries.isEmpty()
                && (entries.size() > maxEvents || entries.peekFirst().at() < now - maxAgeMs)) {
            retainedBytes -= entries.removeFirst().frame().length;
        }
    }
}
