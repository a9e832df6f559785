package dev.partyline.bench;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What one receiver has seen: every (sender, sequence number) pair it was delivered, so that a
 * second delivery of the same pair counts as a duplicate and not as a delivery.
 *
 * <p>Not thread-safe: each receiver owns one and touches it only on its channel's event loop.
 */
public final class DeliveryLedger {
    private final Map<Integer, BitSet> seen = new HashMap<>();
    private long delivered;
    private long unique;
    private long duplicated;

    /**
     * Records one delivery.
     *
     * @param sender the sender's bench-wide id, at least 0
     * @param seq the sender's sequence number, at least 0
     * @return true for the first delivery of this pair, false for a duplicate
     * @throws IllegalArgumentException for a negative sender or seq
     */
    public boolean record(int sender, int seq) {
        if (sender < 0 || seq < 0) {
            throw new IllegalArgumentException("sender and seq must be >= 0, were " + sender + ", " + seq);
        }
        delivered++;
        BitSet seqs = seen.computeIfAbsent(sender, s -> new BitSet());
        if (seqs.get(seq)) {
            duplicated++;
            return false;
        }
        seqs.set(seq);
        unique++;
        return true;
    }

    /** Every delivery recorded, duplicates included. */
    public long delivered() {
        return delivered;
    }

    /** Distinct (sender, seq) pairs recorded. */
    public long unique() {
        return unique;
    }

    /** Deliveries of a pair already seen. */
    public long duplicated() {
        return duplicated;
    }
}
