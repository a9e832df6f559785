package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FindMaxTest {
    private static final FindMax PLAN = new FindMax(1, 1.5, Duration.ofSeconds(10), Duration.ofSeconds(5),
            Double.MAX_VALUE, 15, 0.999, Duration.ofMillis(100));

    private static Histogram latencies(long... micros) {
        Histogram h = new Histogram(3);
        for (long m : micros) {
            h.recordValue(m);
        }
        return h;
    }

    @Test
    void ratesGrowGeometricallyFromTheStartRate() {
        assertThat(PLAN.rate(0)).isEqualTo(1.0);
        assertThat(PLAN.rate(1)).isEqualTo(1.5);
        assertThat(PLAN.rate(2)).isEqualTo(2.25);
    }

    @Test
    void aStepPassesOnlyWithEnoughDeliveriesAndALowEnoughP99() {
        DeliveryCounts all = new DeliveryCounts(10, 10_000, 10_000, 10_000, 0, 0);
        DeliveryCounts tenLost = new DeliveryCounts(10, 10_000, 9_990, 9_990, 10, 0);
        DeliveryCounts elevenLost = new DeliveryCounts(10, 10_000, 9_989, 9_989, 11, 0);

        assertThat(PLAN.judge(all, latencies(1_000, 99_000), Map.of())).isNull();
        assertThat(PLAN.judge(tenLost, latencies(1_000), Map.of())).isNull(); // exactly 99.9 %
        assertThat(PLAN.judge(elevenLost, latencies(1_000), Map.of())).startsWith("delivered 99.890 % < 99.900 %");
        assertThat(PLAN.judge(all, latencies(100_200, 100_200), Map.of())).startsWith("p99 100.");
        assertThat(PLAN.judge(elevenLost, latencies(1_000), Map.of("rate_limited", 11L)))
                .contains("11 sends refused as rate_limited");
    }

    @Test
    void aDeliveryCountsForTheStepThatSentItsSequenceNumber() {
        Steps steps = new Steps();
        Steps.Stats first = steps.begin(0, 1);
        Steps.Stats second = steps.begin(10, 1);

        assertThat(steps.of(0)).isSameAs(first);
        assertThat(steps.of(9)).isSameAs(first);
        assertThat(steps.of(10)).isSameAs(second);
        assertThat(steps.of(1_000)).isSameAs(second);
        assertThat(steps.count()).isEqualTo(2);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new FindMax(1, 1.0, Duration.ofSeconds(10), Duration.ZERO, 10, 5, 0.999,
                Duration.ofMillis(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FindMax(5, 1.5, Duration.ofSeconds(10), Duration.ZERO, 4, 5, 0.999,
                Duration.ofMillis(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FindMax(1, 1.5, Duration.ofSeconds(10), Duration.ZERO, 10, Steps.MAX + 1, 0.999,
                Duration.ofMillis(100))).isInstanceOf(IllegalArgumentException.class);
    }
}
