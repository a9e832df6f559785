package dev.partyline.client.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.client.FakeServer;
import dev.partyline.client.Ticket;
import dev.partyline.client.TicketClient;
import dev.partyline.protocol.Json;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The raw socket against {@code FakeServer}, which logs what it receives. */
class RawWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeServer server;

    @BeforeEach
    void startServer() throws InterruptedException {
        server = new FakeServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private URI wsUrl(String query) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws" + query);
    }

    private RawWebSocket openWithTicket() throws Exception {
        Ticket ticket = new TicketClient(URI.create(server.baseUrl()), server.baseUrl(), null, WAIT)
                .fetch("Raw", null).get(5, TimeUnit.SECONDS);
        return RawWebSocket.open(wsUrl("?ticket=" + ticket.ticket()), server.baseUrl());
    }

    @Test
    void refusedUpgradeReportsTheStatusAndTheBody() {
        assertThatThrownBy(() -> RawWebSocket.open(wsUrl(""), "http://evil.example"))
                .isInstanceOfSatisfying(UpgradeRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.body()).isEqualTo(
                            "Origin http://evil.example is not allowed; add it to --allowed-origins.");
                    assertThat(refused.header("Content-Type")).isEqualTo("text/plain");
                    assertThat(refused.getMessage()).contains("403", "evil.example");
                });
    }

    @Test
    void withoutAnOriginNoneIsSent() throws Exception {
        assertThatThrownBy(() -> RawWebSocket.open(wsUrl(""), null)).isInstanceOf(UpgradeRefusedException.class);
        assertThat(server.awaitLog("upgrade")).isEqualTo("upgrade origin=null ticket=null");
    }

    @Test
    void textFramesArriveInOrder() throws Exception {
        try (RawWebSocket ws = openWithTicket()) {
            assertThat(ws.nextText(WAIT)).contains("\"t\":\"welcome\"");

            ws.sendText("{\"t\":\"ping\",\"id\":1}");
            ws.sendText("{\"t\":\"ping\",\"id\":2}");

            assertThat(ws.nextText(WAIT)).contains("\"id\":1");
            assertThat(ws.nextText(WAIT)).contains("\"id\":2");
        }
        assertThat(server.awaitLog("close")).startsWith("close 1000");
    }

    @Test
    void malformedTextIsSentAsIs() throws Exception {
        try (RawWebSocket ws = openWithTicket()) {
            ws.nextText(WAIT);

            ws.sendText("{not json");

            assertThat(server.awaitLog("frame")).isEqualTo("frame {not json");
            assertThat(ws.nextText(WAIT)).contains("\"code\":\"bad_request\"");
        }
    }

    @Test
    void binaryFramesAndFragmentsReachTheServer() throws Exception {
        try (RawWebSocket ws = openWithTicket()) {
            ws.nextText(WAIT);

            ws.sendBinary(new byte[] {1, 2, 3});
            ws.sendFrame(new TextWebSocketFrame(false, 0, "{\"t\":\"pi"));
            ws.sendFrame(new ContinuationWebSocketFrame(true, 0, "ng\",\"id\":5}"));

            assertThat(server.awaitLog("binary")).isEqualTo("binary 3");
            assertThat(ws.nextText(WAIT)).contains("binary_not_supported");
        }
    }

    @Test
    void serverCloseCodeAndReasonAreRecorded() throws Exception {
        RawWebSocket ws = openWithTicket();
        ws.nextText(WAIT);
        assertThat(ws.closeCode()).isEqualTo(-1);

        server.closeAll(4004, "replaced");

        assertThat(ws.closeFuture()).succeedsWithin(WAIT);
        assertThat(ws.closeCode()).isEqualTo(4004);
        assertThat(ws.closeReason()).isEqualTo("replaced");
        ws.close();
    }

    @Test
    void rawBytesBypassTheFrameEncoder() throws Exception {
        RawWebSocket ws = openWithTicket();
        ws.nextText(WAIT);

        // An unmasked text frame: RFC 6455 §5.1 requires the server to fail the connection.
        byte[] payload = "{\"t\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        ws.sendRaw(frame);

        assertThat(ws.closeFuture()).succeedsWithin(WAIT);
        ws.close();
    }

    @Test
    void stopReadingTurnsAutoReadOff() throws Exception {
        try (RawWebSocket ws = openWithTicket()) {
            ws.stopReading();
            assertThat(ws.channel().config().isAutoRead()).isFalse();

            ws.resumeReading();
            assertThat(ws.channel().config().isAutoRead()).isTrue();
            assertThat(ws.nextText(WAIT)).contains("welcome");
        }
    }

    @Test
    void frameFromTheServerLargerThanTheLimitClosesWith1009() throws Exception {
        Ticket ticket = new TicketClient(URI.create(server.baseUrl()), server.baseUrl(), null, WAIT)
                .fetch("Raw", null).get(5, TimeUnit.SECONDS);
        WebSocketTarget small = new WebSocketTarget(wsUrl("?ticket=" + ticket.ticket()), server.baseUrl(), 2048, WAIT);
        RawWebSocket ws = RawWebSocket.open(small, null);
        ws.nextText(WAIT);

        server.pushEvent("ABCD", "big", Json.nodes().textNode("x".repeat(4096)));

        assertThat(ws.closeFuture()).succeedsWithin(WAIT);
        assertThat(server.awaitLog("close")).startsWith("close 1009");
        assertThat(ws.texts()).isEmpty();
        ws.close();
    }

    @Test
    void targetRefusesUrlsThatAreNotWebSockets() {
        assertThatThrownBy(() -> WebSocketTarget.of(URI.create("http://127.0.0.1/ws"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
    }
}
