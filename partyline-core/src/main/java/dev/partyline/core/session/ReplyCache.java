package dev.partyline.core.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent replies of one session by request id, so a request the client sends again after a
 * dropped socket is answered from memory instead of running twice. Bounded by count and by
 * bytes; the oldest replies go first. Thread-safe.
 */
public final class ReplyCache {
    /** What a session knows of a request id. */
    public enum Status { NEW, IN_FLIGHT, ANSWERED }

    private final int maxReplies;
    private final int maxBytes;
    private final Map<Long, byte[]> replies = new LinkedHashMap<>();
    private final Map<Long, Boolean> inFlight = new LinkedHashMap<>();
    private long bytes;

    public ReplyCache(int maxReplies, int maxBytes) {
        this.maxReplies = maxReplies;
        this.maxBytes = maxBytes;
    }

    /**
     * Registers request {@code id} as running, unless it is running or answered already.
     *
     * @return NEW when the caller should run it now
     */
    public synchronized Status begin(long id) {
        if (replies.containsKey(id)) {
            return Status.ANSWERED;
        }
        if (inFlight.putIfAbsent(id, Boolean.TRUE) != null) {
            return Status.IN_FLIGHT;
        }
        // A request that never got a reply (its room closed under it) must not pin memory forever.
        if (inFlight.size() > maxReplies) {
            Iterator<Long> oldest = inFlight.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return Status.NEW;
    }

    /** Records the encoded reply to {@code id}. */
    public synchronized void answered(long id, byte[] encodedReply) {
        inFlight.remove(id);
        byte[] previous = replies.put(id, encodedReply);
        bytes += encodedReply.length - (previous == null ? 0 : previous.length);
        Iterator<byte[]> oldest = replies.values().iterator();
        while (replies.size() > maxReplies || (bytes > maxBytes && replies.size() > 1)) {
            bytes -= oldest.next().length;
            oldest.remove();
        }
    }

    /** The encoded reply to {@code id}, or null. */
    public synchronized byte[] reply(long id) {
        return replies.get(id);
    }

    /** The bytes of the replies kept, for memory accounting. */
    public synchronized long retainedBytes() {
        return bytes;
    }

    public synchronized int size() {
        return replies.size();
    }
}
