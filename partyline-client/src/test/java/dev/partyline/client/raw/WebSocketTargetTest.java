package dev.partyline.client.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where a raw socket connects. The socket itself is tested against the real server in the app
 * module's {@code RawWebSocketEndToEndTest}.
 */
class WebSocketTargetTest {

    @Test
    void targetRefusesUrlsThatAreNotWebSockets() {
        assertThatThrownBy(() -> WebSocketTarget.of(URI.create("http://127.0.0.1/ws"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
        assertThatThrownBy(() -> WebSocketTarget.of(URI.create("ws:///ws"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        URI url = URI.create("ws://127.0.0.1:8080/ws");
        assertThatThrownBy(() -> new WebSocketTarget(url, null, 1000, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFramePayload");
        assertThatThrownBy(() -> new WebSocketTarget(url, null, 4096, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void thePortIsTheUrlsOrTheSchemesDefault() {
        assertThat(WebSocketTarget.of(URI.create("ws://127.0.0.1:8080/ws"), null).port()).isEqualTo(8080);
        assertThat(WebSocketTarget.of(URI.create("ws://example.com/ws"), null).port()).isEqualTo(80);
        assertThat(WebSocketTarget.of(URI.create("wss://example.com/ws"), null).port()).isEqualTo(443);
        assertThat(WebSocketTarget.of(URI.create("WSS://example.com/ws"), null).secure()).isTrue();
    }
}
