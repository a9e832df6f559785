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
    public enum Status {
        NEW, IN_FLIGHT, ANSWERED,
        /** The id was used for a different request: the client reuses ids, it is not a resend. */
        CONFLICT
    }

    private final int maxReplies;
    private final int maxBytes;
    private final Map<Long, byte[]> replies = new LinkedHashMap<>();
    private final Map<Long, Integer> inFlight = new LinkedHashMap<>();
    private final Map<Long, Integer> fingerprints = new LinkedHashMap<>();
    private long bytes;

    public ReplyCache(int maxReplies, int maxBytes) {
        this.maxReplies = maxReplies;
        this.maxBytes = maxBytes;
    }

    /**
     * Registers request {@code id} as running, unless it is running or answered already.
     *
     * @param fingerprint a hash of the request's content, to tell a resend from a reused id
     * @return NEW when the caller should run it now
     */
    public synchronized Status begin(long id, int fingerprint) {
        Integer known = replies.containsKey(id) ? fingerprints.get(id) : inFlight.get(id);
        if (known != null) {
            if (known != fingerprint) {
                return Status.CONFLICT;
            }
            return replies.containsKey(id) ? Status.ANSWERED : Status.IN_FLIGHT;
        }
        inFlight.put(id, fingerprint);
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
        Integer fingerprint = inFlight.remove(id);
        if (fingerprint != null) {
            fingerprints.put(id, fingerprint);
        }
        byte[] previous = replies.put(id, encodedReply);
        bytes += encodedReply.length - (previous == null ? 0 : previous.length);
        Iterator<Map.Entry<Long, byte[]>> oldest = replies.entrySet().iterator();
        while (replies.size() > maxReplies || (bytes > maxBytes && replies.size() > 1)) {
            Map.Entry<Long, byte[]> entry = oldest.next();
            bytes -= entry.getValue().length;
            fingerprints.remove(entry.getKey());
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
