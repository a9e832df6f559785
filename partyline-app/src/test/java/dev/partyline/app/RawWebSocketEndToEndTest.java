package dev.partyline.app;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.PartylineClient;
import dev.partyline.client.TicketClient;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.client.raw.UpgradeRefusedException;
import dev.partyline.client.raw.WebSocketTarget;
import dev.partyline.protocol.Json;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's bare {@link RawWebSocket} against the real server: what it sends reaches the
 * wire as given (seen through a {@link LoopbackProxy}), and it reports what the server answers,
 * refuses and closes with.
 */
@ExtendWith(NettyLeakCheck.class)
class RawWebSocketEndToEndTest {
    private static final Duration WAIT = ClientTestServer.WAIT;

    private static ClientTestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = ClientTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRefusedUpgradeReportsTheStatusTheBodyAndTheHeaders() {
        assertThatThrownBy(() -> RawWebSocket.open(server.webSocketUrl(null), "http://evil.example"))
                .isInstanceOfSatisfying(UpgradeRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.body()).startsWith("Origin http://evil.example is not allowed");
                    assertThat(refused.header("Content-Type")).startsWith("text/plain");
                    assertThat(refused.getMessage()).contains("403", "evil.example");
                });
    }

    @Test
    void theOriginHeaderIsSentAsGivenAndNoneWhenNoneIsGiven() throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.to(server.port());
             RawWebSocket withOrigin = RawWebSocket.open(proxyUrl(proxy, ticket()), server.baseUrl())) {
            assertThat(next(withOrigin).path("t").asText()).isEqualTo("welcome");
            assertThat(proxy.upgrade().header("Origin")).isEqualTo(server.baseUrl());
        }
        try (LoopbackProxy proxy = LoopbackProxy.to(server.port());
             RawWebSocket withoutOrigin = RawWebSocket.open(proxyUrl(proxy, ticket()), null)) {
            assertThat(next(withoutOrigin).path("t").asText()).isEqualTo("welcome");
            assertThat(proxy.upgrade().header("Origin")).isNull();
        }
    }

    @Test
    void textFramesGoOutAsGivenAndTheAnswersArriveInOrder() throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.to(server.port());
             RawWebSocket ws = RawWebSocket.open(proxyUrl(proxy, ticket()), server.baseUrl())) {
            next(ws);

            ws.sendText("{\"t\":\"ping\",\"id\":1}");
            ws.sendText("{not json");
            ws.sendText("{\"t\":\"ping\",\"id\":2}");

            JsonNode first = next(ws);
            assertThat(first.path("t").asText()).isEqualTo("reply");
            assertThat(first.path("id").asLong()).isEqualTo(1);
            JsonNode error = next(ws);
            assertThat(error.path("t").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(next(ws).path("id").asLong()).isEqualTo(2);
            assertThat(proxy.upgrade().frames()).extracting(LoopbackProxy.Frame::text)
                    .containsExactly("{\"t\":\"ping\",\"id\":1}", "{not json", "{\"t\":\"ping\",\"id\":2}");
        }
    }

    @Test
    void binaryFramesAndFragmentsReachTheServer() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket()), server.baseUrl())) {
            next(ws);

            ws.sendBinary(new byte[] {1, 2, 3});
            ws.sendFrame(new TextWebSocketFrame(false, 0, "{\"t\":\"pi"));
            ws.sendFrame(new ContinuationWebSocketFrame(true, 0, "ng\",\"id\":5}"));

            JsonNode error = next(ws);
            assertThat(error.path("t").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("binary_not_supported");
            JsonNode reply = next(ws);
            assertThat(reply.path("id").asLong()).isEqualTo(5);
            assertThat(reply.path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void theServersCloseCodeAndReasonAreRecorded() throws Exception {
        RawWebSocket older = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket()), server.baseUrl());
        String resume = next(older).path("resume").asText();
        assertThat(older.closeCode()).isEqualTo(-1);
        assertThat(older.closeReason()).isNull();

        try (RawWebSocket newer = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
            newer.sendText(Json.nodes().objectNode().put("t", "auth").put("resume", resume).toString());

            assertThat(older.closeFuture()).succeedsWithin(WAIT);
            assertThat(older.closeCode()).isEqualTo(4004);
            assertThat(older.closeReason()).isEqualTo("This session connected again elsewhere.");
            assertThat(next(newer).path("resumed").asBoolean()).isTrue();
        }
        older.close();
    }

    @Test
    void rawBytesBypassTheFrameEncoder() throws Exception {
        RawWebSocket ws = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket()), server.baseUrl());
        next(ws);

        // An unmasked text frame: RFC 6455 §5.1 requires the server to fail the connection.
        byte[] payload = "{\"t\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        ws.sendRaw(frame);

        assertThat(ws.closeFuture()).succeedsWithin(WAIT);
        assertThat(ws.closeCode()).isEqualTo(1002);
        assertThat(ws.texts()).isEmpty();
        ws.close();
    }

    @Test
    void stopReadingTurnsAutoReadOffAndResumingReadsWhatWaited() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket()), server.baseUrl())) {
            ws.stopReading();
            assertThat(ws.channel().config().isAutoRead()).isFalse();

            ws.resumeReading();

            assertThat(ws.channel().config().isAutoRead()).isTrue();
            assertThat(next(ws).path("t").asText()).isEqualTo("welcome");
        }
    }

    @Test
    void aFrameFromTheServerOverTheLimitIsAnsweredWithClose1009() throws Exception {
        // A chat room whose history makes the snapshot in the join reply far larger than 2 KiB.
        try (PartylineClient alice = PartylineClient.connect(server.client("Alice").build());
             LoopbackProxy proxy = LoopbackProxy.to(server.port())) {
            String code = alice.create("chat", null).get(5, TimeUnit.SECONDS).room();
            for (int i = 0; i < 5; i++) {
                alice.send(code, "message", Json.nodes().objectNode().put("text", String.valueOf(i).repeat(500)))
                        .get(5, TimeUnit.SECONDS);
            }
            RawWebSocket ws = RawWebSocket.open(new WebSocketTarget(proxyUrl(proxy, ticket()), server.baseUrl(), 2048,
                    WAIT), null);
            next(ws);

            ws.sendText("{\"t\":\"join\",\"id\":1,\"room\":\"" + code + "\"}");

            assertThat(ws.closeFuture()).succeedsWithin(WAIT);
            assertThat(ws.texts()).isEmpty();
            await().atMost(WAIT).untilAsserted(() -> assertThat(proxy.upgrade().frames()).last()
                    .satisfies(frame -> {
                        assertThat(frame.opcode()).isEqualTo(LoopbackProxy.Frame.CLOSE);
                        assertThat(frame.closeCode()).isEqualTo(1009);
                    }));
            ws.close();
        }
    }

    private static String ticket() throws Exception {
        return new TicketClient(URI.create(server.baseUrl()), server.baseUrl(), null, WAIT).fetch("Raw", null)
                .get(5, TimeUnit.SECONDS).ticket();
    }

    private static URI proxyUrl(LoopbackProxy proxy, String ticket) {
        return URI.create("ws://127.0.0.1:" + proxy.port() + "/ws?ticket=" + ticket);
    }

    /** The next text frame as JSON; fails after {@link #WAIT}. */
    private static JsonNode next(RawWebSocket ws) throws InterruptedException, IOException {
        String text = ws.nextText(WAIT);
        assertThat(text).as("a frame within %s (close code %d)", WAIT, ws.closeCode()).isNotNull();
        return Json.mapper().readTree(text);
    }
}
