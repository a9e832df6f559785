package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryCountsTest {

    @Test
    void aPerfectRunHasNothingLostOrDuplicated() {
        // One room of 2: each member sent 2 messages, and each member got all 4.
        DeliveryLedger a = new DeliveryLedger();
        DeliveryLedger b = new DeliveryLedger();
        for (DeliveryLedger ledger : List.of(a, b)) {
            for (int sender = 0; sender < 2; sender++) {
                for (int seq = 0; seq < 2; seq++) {
                    assertThat(ledger.record(sender, seq)).isTrue();
                }
            }
        }
        DeliveryCounts counts = DeliveryCounts.tally(new long[] {4}, new int[] {2}, List.of(a, b));
        assertThat(counts).isEqualTo(new DeliveryCounts(4, 8, 8, 8, 0, 0));
    }

    @Test
    void aSecondDeliveryOfTheSamePairIsADuplicateNotADelivery() {
        DeliveryLedger ledger = new DeliveryLedger();
        assertThat(ledger.record(7, 3)).isTrue();
        assertThat(ledger.record(7, 3)).isFalse();
        assertThat(ledger.record(7, 3)).isFalse();
        assertThat(ledger.record(8, 3)).isTrue();
        assertThat(ledger.delivered()).isEqualTo(4);
        assertThat(ledger.unique()).isEqualTo(2);
        assertThat(ledger.duplicated()).isEqualTo(2);
    }

    @Test
    void lostIsExpectedMinusUniqueAcrossRoomsOfDifferentSizes() {
        // Room 0: 3 members, 5 sent -> 15 expected. Room 1: 1 member, 2 sent -> 2 expected.
        DeliveryLedger r0a = new DeliveryLedger();
        DeliveryLedger r0b = new DeliveryLedger();
        DeliveryLedger r0c = new DeliveryLedger();
        DeliveryLedger r1 = new DeliveryLedger();
        for (int seq = 0; seq < 5; seq++) {
            r0a.record(0, seq);
            r0b.record(0, seq);
            if (seq != 2) {
                r0c.record(0, seq); // r0c misses one
            }
        }
        r0b.record(0, 4); // and r0b gets one twice
        r1.record(9, 0);  // r1 misses seq 1
        DeliveryCounts counts = DeliveryCounts.tally(new long[] {5, 2}, new int[] {3, 1}, List.of(r0a, r0b, r0c, r1));
        assertThat(counts.sent()).isEqualTo(7);
        assertThat(counts.expected()).isEqualTo(17);
        assertThat(counts.delivered()).isEqualTo(16);
        assertThat(counts.unique()).isEqualTo(15);
        assertThat(counts.lost()).isEqualTo(2);
        assertThat(counts.duplicated()).isEqualTo(1);
    }

    @Test
    void messageTextRoundTripsAndForeignTextIsIgnored() {
        String text = BenchConnection.messageText(42, 17, 1_234_567_890_123L);
        assertThat(BenchConnection.parseMessageText(text)).containsExactly(42, 17, 1_234_567_890_123L);
        assertThat(BenchConnection.parseMessageText("hello there")).isNull();
        assertThat(BenchConnection.parseMessageText("b1.x.3")).isNull();
        assertThat(BenchConnection.parseMessageText(null)).isNull();
    }
}
