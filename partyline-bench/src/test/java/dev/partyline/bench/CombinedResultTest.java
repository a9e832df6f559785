package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CombinedResultTest {

    private static BenchResult worker(int clients, long connectMillis, long measuredMillis, DeliveryCounts counts,
                                      long latencyMicros, Map<String, Long> errors, long cpuMillis) {
        Histogram latency = new Histogram(3);
        latency.recordValue(latencyMicros);
        Histogram handshake = new Histogram(3);
        handshake.recordValueWithCount(1_000, clients);
        return new BenchResult("party", Map.of(), "epoll", clients, clients, Duration.ofMillis(connectMillis),
                Duration.ofMillis(measuredMillis), counts, latency, handshake, errors, null, null,
                Duration.ofMillis(cpuMillis), List.of(), null, null);
    }

    @Test
    void countsAndHistogramsAddUpAndTimesAreTheSlowestWorkers() {
        BenchResult first = worker(12, 300, 2_010, new DeliveryCounts(48, 192, 192, 192, 0, 0), 800,
                Map.of("close_1006", 1L), 400);
        BenchResult second = worker(8, 500, 2_005, new DeliveryCounts(32, 128, 129, 127, 1, 2), 1_200,
                Map.of("close_1006", 2L, "rate_limited", 1L), 300);
        ProcStats.Sample before = new ProcStats.Sample(1_000, 10);
        ProcStats.Sample after = new ProcStats.Sample(5_000, 20);

        MachineCpu.Load machine = new MachineCpu.Load(2, 2.0, 1.5, 0.1);

        BenchResult sum = CombinedResult.of("party", Map.of("processes", 2), 20, List.of(first, second), 0, before, after,
                Duration.ofMillis(50), machine);

        assertThat(sum.clients()).isEqualTo(20);
        assertThat(sum.connected()).isEqualTo(20);
        assertThat(sum.connectTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(sum.measured()).isEqualTo(Duration.ofMillis(2_010));
        assertThat(sum.counts()).isEqualTo(new DeliveryCounts(80, 320, 321, 319, 1, 2));
        assertThat(sum.latencyMicros().getTotalCount()).isEqualTo(2);
        assertThat(sum.handshakeMicros().getTotalCount()).isEqualTo(20);
        assertThat(sum.errors()).containsExactly(Map.entry("close_1006", 3L), Map.entry("rate_limited", 1L));
        assertThat(sum.ownCpu()).isEqualTo(Duration.ofMillis(750));
        assertThat(sum.serverCpu()).isEqualTo(Duration.ofNanos(4_000));
        assertThat(sum.parameters()).containsEntry("processes", 2);
        assertThat(sum.machine()).isSameAs(machine);
    }

    @Test
    void aFailedWorkerLeavesItsClientsUnconnectedAndIsCountedAsAnError() {
        BenchResult first = worker(12, 300, 2_000, new DeliveryCounts(48, 192, 192, 192, 0, 0), 800, Map.of(), 400);

        BenchResult sum = CombinedResult.of("party", Map.of(), 20, List.of(first), 1, null, null, null, null);

        assertThat(sum.clients()).isEqualTo(20);
        assertThat(sum.connected()).isEqualTo(12);
        assertThat(sum.errors()).containsEntry(CombinedResult.WORKER_FAILED, 1L);
        assertThat(sum.ownCpu()).isNull();
    }
}
