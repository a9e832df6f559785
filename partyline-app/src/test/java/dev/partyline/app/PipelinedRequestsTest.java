package dev.partyline.app;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.TicketClient;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.protocol.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests one connection sends back to back, without waiting for replies, run in the order
 * sent: a {@code send} right behind the {@code join} of its room finds the player a member.
 *
 * <p>The room checks membership on its own mailbox, after the join queued before the send; a
 * check on the connection's thread would refuse the send while the join is still queued.
 */
@ExtendWith(NettyLeakCheck.class)
class PipelinedRequestsTest {
    private static final Duration WAIT = ClientTestServer.WAIT;
    private static ClientTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ClientTestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSendPipelinedBehindTheJoinOfItsRoomRunsAfterTheJoin() throws Exception {
        List<String> refused = new ArrayList<>();
        try (RawWebSocket host = open()) {
            host.sendText("{\"t\":\"create\",\"id\":1,\"type\":\"chat\"}");
            String code = nextOfType(host, "reply").path("data").path("room").asText();
            for (int round = 0; round < 20; round++) {
                try (RawWebSocket guest = open()) {
                    guest.sendText("{\"t\":\"join\",\"id\":1,\"room\":\"" + code + "\"}");
                    guest.sendText("{\"t\":\"send\",\"id\":2,\"room\":\"" + code
                            + "\",\"name\":\"message\",\"data\":{\"text\":\"hi\"}}");
                    for (int replies = 0; replies < 2; replies++) {
                        JsonNode reply = nextOfType(guest, "reply");
                        if (!reply.path("ok").asBoolean()) {
                            refused.add("round " + round + ": #" + reply.path("id").asLong() + " "
                                    + reply.path("error").path("code").asText() + " "
                                    + reply.path("error").path("message").asText());
                        }
                    }
                }
            }
        }
        assertThat(refused).as("requests refused although sent in order").isEmpty();
    }

    private static RawWebSocket open() throws Exception {
        String ticket = new TicketClient(URI.create(server.baseUrl()), server.baseUrl(), null, WAIT).fetch("Raw", null)
                .get(5, TimeUnit.SECONDS).ticket();
        RawWebSocket ws = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket), server.baseUrl());
        assertThat(nextOfType(ws, "welcome")).isNotNull();
        return ws;
    }

    /** The next frame of type {@code t}, skipping others (events). */
    private static JsonNode nextOfType(RawWebSocket ws, String t) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = ws.nextText(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (text == null) {
                break;
            }
            JsonNode frame = Json.mapper().readTree(text);
            if (frame.path("t").asText().equals(t)) {
                return frame;
            }
        }
        throw new AssertionError("no \"" + t + "\" frame within " + WAIT.toMillis() + " ms");
    }
}
