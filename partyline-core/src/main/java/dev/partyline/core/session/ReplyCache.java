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

    /** No fingerprint: a reply recorded without {@link #begin} (a request refused before it ran). */
    private static final long NO_FINGERPRINT = Long.MIN_VALUE;

    private final int maxReplies;
    private final int maxBytes;
    /**
     * Requests by id, oldest first: running ones have no reply yet. One map rather than one per
     * state, made on the first request: every connected player holds one of these.
     */
    private Map<Long, Slot> slots;
    private int running;
    private int answered;
    private long bytes;

    /** What is known of one request id. */
    private static final class Slot {
        long fingerprint;
        byte[] reply;

        Slot(long fingerprint, byte[] reply) {
            this.fingerprint = fingerprint;
            this.reply = reply;
        }
    }

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
        Slot slot = slots().get(id);
        if (slot != null && slot.fingerprint != NO_FINGERPRINT) {
            if (slot.fingerprint != fingerprint) {
                return Status.CONFLICT;
            }
            return slot.reply != null ? Status.ANSWERED : Status.IN_FLIGHT;
        }
        if (slot != null) {
            forget(id); // answered without running: this request is new
        }
        slots.put(id, new Slot(fingerprint, null));
        running++;
        // A request that never got a reply (its room closed under it) must not pin memory forever.
        if (running > maxReplies) {
            Iterator<Slot> oldest = slots.values().iterator();
            while (oldest.hasNext()) {
                if (oldest.next().reply == null) {
                    oldest.remove();
                    running--;
                    break;
                }
            }
        }
        return Status.NEW;
    }

    /** Records the encoded reply to {@code id}. */
    public synchronized void answered(long id, byte[] encodedReply) {
        // Re-inserted so that answered slots stay in the order of their answers: the oldest go first.
        Slot slot = slots().remove(id);
        if (slot == null) {
            slot = new Slot(NO_FINGERPRINT, encodedReply);
            answered++;
        } else {
            if (slot.reply == null) {
                running--;
                answered++;
            } else {
                bytes -= slot.reply.length;
            }
            slot.reply = encodedReply;
        }
        slots.put(id, slot);
        bytes += encodedReply.length;
        Iterator<Slot> oldest = slots.values().iterator();
        while (answered > maxReplies || (bytes > maxBytes && answered > 1)) {
            Slot candidate = oldest.next();
            if (candidate.reply != null) {
                bytes -= candidate.reply.length;
                answered--;
                oldest.remove();
            }
        }
    }

    /**
     * Forgets request {@code id}, running or answered: the client may send it again and it runs
     * again. For requests whose second run does no harm and whose reply is large (a join).
     */
    public synchronized void forgetRequest(long id) {
        if (slots != null && slots.containsKey(id)) {
            forget(id);
        }
    }

    /** The encoded reply to {@code id}, or null. */
    public synchronized byte[] reply(long id) {
        Slot slot = slots == null ? null : slots.get(id);
        return slot == null ? null : slot.reply;
    }

    /** The bytes of the replies kept, for memory accounting. */
    public synchronized long retainedBytes() {
        return bytes;
    }

    public synchronized int size() {
        return answered;
    }

    private Map<Long, Slot> slots() {
        if (slots == null) {
            slots = new LinkedHashMap<>(4);
        }
        return slots;
    }

    private void forget(long id) {
        Slot slot = slots.remove(id);
        if (slot.reply != null) {
            bytes -= slot.reply.length;
            answered--;
        } else {
            running--;
        }
    }
}
