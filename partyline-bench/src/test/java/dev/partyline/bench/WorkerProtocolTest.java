package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WorkerProtocolTest {

    private static Histogram spread(long from, long to, long step) {
        Histogram h = new Histogram(3);
        for (long v = from; v <= to; v += step) {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void aWorkersResultLineRoundTripsItsCountsAndHistograms() {
        Histogram latency = spread(100, 250_000, 37);
        Histogram handshake = spread(2_000, 90_000, 1_000);
        BenchResult sent = new BenchResult("party", Map.of("rooms", 5), "epoll", 20, 19, Duration.ofMillis(1234),
                Duration.ofMillis(2050), new DeliveryCounts(80, 320, 321, 318, 2, 3), latency, handshake,
                Map.of("close_1006", 1L, "rate_limited", 4L), null, null, Duration.ofMillis(777), List.of(), null, null);

        String line = WorkerProtocol.result(sent);
        BenchResult got = ((WorkerMessage.Finished) WorkerProtocol.parse(line)).result();

        assertThat(line).doesNotContain("\n").startsWith("@bench result {");
        assertThat(got.scenario()).isEqualTo("party");
        assertThat(got.transport()).isEqualTo("epoll");
        assertThat(got.clients()).isEqualTo(20);
        assertThat(got.connected()).isEqualTo(19);
        assertThat(got.connectTime()).isEqualTo(Duration.ofMillis(1234));
        assertThat(got.measured()).isEqualTo(Duration.ofMillis(2050));
        assertThat(got.counts()).isEqualTo(sent.counts());
        assertThat(got.errors()).isEqualTo(sent.errors());
        assertThat(got.ownCpu()).isEqualTo(Duration.ofMillis(777));
        for (Histogram[] pair : new Histogram[][] {{latency, got.latencyMicros()}, {handshake, got.handshakeMicros()}}) {
            assertThat(pair[1].getTotalCount()).isEqualTo(pair[0].getTotalCount());
            assertThat(pair[1].getMaxValue()).isEqualTo(pair[0].getMaxValue());
            for (double p : new double[] {50, 90, 99, 99.9}) {
                assertThat(pair[1].getValueAtPercentile(p)).isEqualTo(pair[0].getValueAtPercentile(p));
            }
        }
    }

    @Test
    void aResultWithoutCpuTimeOrDeliveriesRoundTrips() {
        BenchResult sent = new BenchResult("connect", Map.of(), "nio", 8, 8, Duration.ofMillis(50), Duration.ZERO,
                new DeliveryCounts(0, 0, 0, 0, 0, 0), new Histogram(3), spread(1, 8, 1), Map.of(), null, null, null,
                List.of(), null, null);

        BenchResult got = ((WorkerMessage.Finished) WorkerProtocol.parse(WorkerProtocol.result(sent))).result();

        assertThat(got.ownCpu()).isNull();
        assertThat(got.latencyMicros().getTotalCount()).isZero();
        assertThat(got.handshakeMicros().getTotalCount()).isEqualTo(8);
        assertThat(got.errors()).isEmpty();
    }

    @Test
    void aProgressLineRoundTrips() {
        Progress sent = new Progress(7, 30, 40, 100, 390, 400, 2, spread(1_000, 9_000, 10));

        Progress got = ((WorkerMessage.Ticked) WorkerProtocol.parse(WorkerProtocol.progress(sent))).progress();

        assertThat(got.line()).isEqualTo(sent.line());
        assertThat(got.latencyMicros().getTotalCount()).isEqualTo(sent.latencyMicros().getTotalCount());
    }

    @Test
    void thePhaseLinesAreReadAndOtherLinesAreNotTheProtocols() {
        assertThat(WorkerProtocol.parse(WorkerProtocol.ready())).isInstanceOf(WorkerMessage.Ready.class);
        assertThat(WorkerProtocol.parse(WorkerProtocol.measured())).isInstanceOf(WorkerMessage.Measured.class);
        assertThat(WorkerProtocol.parse("12:00:00.000 WARN something the worker logged")).isNull();
        assertThatThrownBy(() -> WorkerProtocol.parse("@bench result {not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerProtocol.parse("@bench hello")).isInstanceOf(IllegalArgumentException.class);
    }
}
