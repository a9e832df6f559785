package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineCpuTest {
    private static final String LINE = "cpu  349849 219 143841 388835 392 0 76337 1380 0 0";

    @Test
    void busyIsUserNiceSystemIrqAndSoftirqAndStealIsApart() {
        MachineCpu cpu = MachineCpu.parse(LINE, 7);

        assertThat(cpu.busyTicks()).isEqualTo(349_849 + 219 + 143_841 + 0 + 76_337);
        assertThat(cpu.stealTicks()).isEqualTo(1_380);
        assertThat(cpu.atNanos()).isEqualTo(7);
    }

    @Test
    void theLoadIsInCoresOverTheWindow() {
        long ticks = ProcStats.clockTicksPerSecond();
        MachineCpu before = new MachineCpu(1_000, 10, 0);
        // Two seconds later: 3 seconds of CPU busy (1.5 cores), 0.2 seconds stolen (0.1 core).
        MachineCpu after = new MachineCpu(1_000 + 3 * ticks, 10 + ticks / 5, 2_000_000_000L);

        MachineCpu.Load load = MachineCpu.between(before, after);

        assertThat(load.seconds()).isEqualTo(2.0);
        assertThat(load.busyCores()).isCloseTo(1.5, within(1e-9));
        assertThat(load.stealCores()).isCloseTo(0.1, within(1e-9));
        assertThat(load.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void noLoadWithoutAnEarlierReadingOrOverLessThanOneSecond() {
        assertThat(MachineCpu.between(null, new MachineCpu(1, 1, 5))).isNull();
        assertThat(MachineCpu.between(new MachineCpu(0, 0, 5), new MachineCpu(1, 1, 5))).isNull();
        assertThat(MachineCpu.between(new MachineCpu(0, 0, 0), new MachineCpu(90, 1, 999_999_999L))).isNull();
        assertThat(MachineCpu.between(new MachineCpu(0, 0, 0), new MachineCpu(90, 1, 1_000_000_000L))).isNotNull();
    }

    @Test
    void onlyTheAggregateLineParses() {
        assertThatThrownBy(() -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8 9 10", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MachineCpu.parse("cpu 1 2 3", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisMachineCanBeRead() {
        MachineCpu first = MachineCpu.readOrNull();

        assertThat(first).isNotNull();
        assertThat(first.busyTicks()).isPositive();
    }
}
