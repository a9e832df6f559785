package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void webSocketUrlCarriesTheTicketEncoded() {
        assertThat(Endpoints.webSocket(URI.create("http://127.0.0.1:8080"), "a+b/c="))
                .isEqualTo(URI.create("ws://127.0.0.1:8080/ws?ticket=a%2Bb%2Fc%3D"));
    }

    @Test
    void webSocketUrlWithoutTicketIsForFirstFrameAuth() {
        assertThat(Endpoints.webSocket(URI.create("http://127.0.0.1:8080/"), null))
                .isEqualTo(URI.create("ws://127.0.0.1:8080/ws"));
    }

    @Test
    void httpsBecomesWssAndAPathPrefixIsKept() {
        assertThat(Endpoints.webSocket(URI.create("https://games.example/party/"), "t"))
                .isEqualTo(URI.create("wss://games.example/party/ws?ticket=t"));
        assertThat(Endpoints.tickets(URI.create("https://games.example/party/")))
                .isEqualTo(URI.create("https://games.example/party/api/tickets"));
    }

    @Test
    void originIsSchemeHostAndPortOfTheBaseUrl() {
        assertThat(Endpoints.origin(URI.create("http://127.0.0.1:8080/party/"))).isEqualTo("http://127.0.0.1:8080");
        assertThat(Endpoints.origin(URI.create("https://games.example"))).isEqualTo("https://games.example");
    }

    @Test
    void baseUrlMustBeHttpWithAHost() {
        assertThatThrownBy(() -> Endpoints.normalize(URI.create("ws://127.0.0.1:8080")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> Endpoints.normalize(URI.create("http:/nohost")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }
}
