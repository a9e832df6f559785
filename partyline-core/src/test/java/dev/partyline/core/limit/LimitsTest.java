package dev.partyline.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsAreTheDesignOnes() {
        Limits limits = Limits.DEFAULTS;

        assertThat(limits.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(limits.messagesPerSecond()).isEqualTo(30);
        assertThat(limits.messageBurst()).isEqualTo(60);
        assertThat(limits.authTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(limits.maxMissedPongs()).isEqualTo(2);
        assertThat(limits.failedJoinsPerMinute()).isEqualTo(20);
        assertThat(limits.connectionsPerAddress()).isEqualTo(500);
        assertThat(limits.writeBufferHighWaterBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.sessionGrace()).isEqualTo(Duration.ofSeconds(120));
        assertThat(limits.ticketTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new Limits(100, 30, 60, 30, Duration.ofSeconds(5), Duration.ofSeconds(20), 2,
                20, 500, 1024 * 1024, Duration.ofSeconds(120), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(64 * 1024, 0, 60, 30, Duration.ofSeconds(5), Duration.ofSeconds(20), 2,
                20, 500, 1024 * 1024, Duration.ofSeconds(120), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
