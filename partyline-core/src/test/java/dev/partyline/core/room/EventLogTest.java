package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private static byte[] frame(long seq) {
        return ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> seqs(List<EventLog.Entry> entries) {
        return entries.stream().map(EventLog.Entry::seq).toList();
    }

    @Test
    void sinceGivesTheEventsAfterASeqInOrder() {
        EventLog log = new EventLog(100, 60_000);
        for (long seq = 1; seq <= 5; seq++) {
            log.append(seq, null, frame(seq), 0);
        }
        assertThat(seqs(log.since(2, "p1", 5, 0))).containsExactly(3L, 4L, 5L);
        assertThat(log.since(5, "p1", 5, 0)).isEmpty();
    }

    @Test
    void privateEventsAreGivenOnlyToTheirAudience() {
        EventLog log = new EventLog(100, 60_000);
        log.append(1, null, frame(1), 0);
        log.append(2, "p2", frame(2), 0);
        log.append(3, "p1", frame(3), 0);
        assertThat(seqs(log.since(0, "p1", 3, 0))).containsExactly(1L, 3L);
        assertThat(seqs(log.since(0, "p2", 3, 0))).containsExactly(1L, 2L);
    }

    @Test
    void theLogKeepsOnlyTheNewestEventsAndSaysWhenItNoLongerReachesBack() {
        EventLog log = new EventLog(3, 60_000);
        for (long seq = 1; seq <= 10; seq++) {
            log.append(seq, null, frame(seq), 0);
        }
        assertThat(log.size()).isEqualTo(3);
        assertThat(seqs(log.since(7, "p1", 10, 0))).containsExactly(8L, 9L, 10L);
        assertThat(log.since(6, "p1", 10, 0)).as("event 7 is gone").isNull();
    }

    @Test
    void eventsOlderThanTheMaximumAgeAreDropped() {
        EventLog log = new EventLog(100, 1_000);
        log.append(1, null, frame(1), 0);
        log.append(2, null, frame(2), 900);
        assertThat(seqs(log.since(0, "p1", 2, 999))).containsExactly(1L, 2L);
        assertThat(log.since(0, "p1", 2, 1_500)).as("event 1 aged out").isNull();
        assertThat(seqs(log.since(1, "p1", 2, 1_500))).containsExactly(2L);
    }

    @Test
    void retainedBytesFollowTheFramesKept() {
        EventLog log = new EventLog(2, 60_000);
        log.append(1, null, new byte[100], 0);
        log.append(2, null, new byte[10], 0);
        log.append(3, null, new byte[1], 0);
        assertThat(log.retainedBytes()).isEqualTo(11);
    }

    @Test
    void seqMustIncrease() {
        EventLog log = new EventLog(10, 60_000);
        log.append(5, null, frame(5), 0);
        assertThatThrownBy(() -> log.append(5, null, frame(5), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
