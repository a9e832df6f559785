package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void builderHasSensibleDefaults() {
        ClientConfig config = ClientConfig.builder("http://127.0.0.1:8080/").build();

        assertThat(config.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(config.name()).isNull();
        assertThat(config.authMode()).isEqualTo(AuthMode.URL_TICKET);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.reconnect()).isEqualTo(ReconnectPolicy.defaults());
        assertThat(config.maxFramePayload()).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(config.effectiveOrigin()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.maxInFlight()).as("the replies the server remembers per session").isEqualTo(64);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ClientConfig config = ClientConfig.builder("http://127.0.0.1:8080").name("Alice").bearerToken("jwt")
                .authMode(AuthMode.FIRST_FRAME).origin("http://elsewhere").requestTimeout(Duration.ofSeconds(3))
                .noReconnect().maxFramePayload(128 * 1024).maxInFlight(8).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().name("Bob").build().name()).isEqualTo("Bob");
        assertThat(config.effectiveOrigin()).isEqualTo("http://elsewhere");
        assertThat(config.toBuilder().build().maxInFlight()).isEqualTo(8);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ClientConfig.builder("http://h").requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> ClientConfig.builder("http://h").maxFramePayload(1000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFramePayload");
        assertThatThrownBy(() -> ClientConfig.builder("http://h").maxInFlight(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> ClientConfig.builder("ftp://h").build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
