package dev.partyline.bench;

import java.util.Collection;

/**
 * The delivery accounting of one run.
 *
 * @param sent messages sent
 * @param expected deliveries a correct server makes: each message to every member of its room,
 *     the sender included
 * @param delivered deliveries received, duplicates included
 * @param unique distinct (receiver, sender, seq) deliveries
 * @param lost {@code expected - unique}; negative only if a server delivered what was never sent
 *     to that room
 * @param duplicated deliveries of a (sender, seq) pair that receiver had seen already
 */
public record DeliveryCounts(long sent, long expected, long delivered, long unique, long lost, long duplicated) {

    /**
     * Adds up a run.
     *
     * @param sentPerRoom messages sent in each room
     * @param roomSizes members of each room (same length as {@code sentPerRoom})
     * @param ledgers every receiver's ledger
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static DeliveryCounts tally(long[] sentPerRoom, int[] roomSizes, Collection<DeliveryLedger> ledgers) {
        if (sentPerRoom.length != roomSizes.length) {
            throw new IllegalArgumentException("sentPerRoom and roomSizes differ in length");
        }
        long sent = 0;
        long expected = 0;
        for (int r = 0; r < sentPerRoom.length; r++) {
            sent += sentPerRoom[r];
            expected += sentPerRoom[r] * roomSizes[r];
        }
        long delivered = 0;
        long unique = 0;
        long duplicated = 0;
        for (DeliveryLedger ledger : ledgers) {
            delivered += ledger.delivered();
            unique += ledger.unique();
            duplicated += ledger.duplicated();
        }
        return new DeliveryCounts(sent, expected, delivered, unique, expected - unique, duplicated);
    }

    /** These counts and {@code other}'s together: the counts of two disjoint sets of rooms. */
    public DeliveryCounts plus(DeliveryCounts other) {
        return new DeliveryCounts(sent + other.sent, expected + other.expected, delivered + other.delivered,
                unique + other.unique, lost + other.lost, duplicated + other.duplicated);
    }
}
