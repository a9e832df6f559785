package dev.partyline.server;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.client.raw.UpgradeRefusedException;
import dev.partyline.core.limit.Limits;
import dev.partyline.protocol.Json;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Every limit of DESIGN.md's table, enforced over real sockets and configurable: each test starts
 * its own node with small limits, so that it is fast.
 */
@ExtendWith(NettyLeakCheck.class)
class LimitsEndToEndTest {

    // ---- messages per connection ----

    @Test
    void messagesPastTheBurstAreRefusedWithRateLimitedAndAClientThatKeepsGoingIsClosedWith1008() throws Exception {
        // 1 per second: the 30 pings below are all sent within a few milliseconds, so at most the
        // burst is accepted.
        Limits limits = limits().messagesPerSecond(1).messageBurst(10).maxRefusedMessages(5).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits));
             TestServer.Player ann = server.connect("Ann")) {
            for (int id = 1; id <= 30; id++) { // one write: see aClientThatRespectsTheRateIsNeverRefused
                ann.socket().channel().write(new TextWebSocketFrame("{\"t\":\"ping\",\"id\":" + id + "}"));
            }
            ann.socket().channel().flush();

            assertThat(ann.awaitClose()).isEqualTo(1008);
            assertThat(ann.socket().closeReason()).contains("rate limit");
            List<JsonNode> replies = framesOf(ann.socket());
            List<Long> accepted = new ArrayList<>();
            List<Long> refused = new ArrayList<>();
            for (JsonNode reply : replies) {
                assertThat(reply.path("t").asText()).isEqualTo("reply");
                if (reply.path("ok").asBoolean()) {
                    accepted.add(reply.path("id").asLong());
                } else {
                    assertThat(reply.path("error").path("code").asText()).isEqualTo("rate_limited");
                    assertThat(reply.path("error").path("message").asText()).contains("per second");
                    refused.add(reply.path("id").asLong());
                }
            }
            assertThat(accepted).startsWith(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L).hasSizeLessThanOrEqualTo(11);
            assertThat(refused).hasSizeGreaterThanOrEqualTo(5);
            assertThat(refused.get(0)).isGreaterThan(accepted.get(accepted.size() - 1));
            assertThat(replies).as("pings after the close are never answered").hasSizeLessThan(30);
            assertThat(closesWithCode(server, 1008)).as("server-side count of 1008 closes").isEqualTo(1);
        }
    }

    @Test
    void aClientThatRespectsTheRateIsNeverRefused() throws Exception {
        // No refusal is tolerated here: a single one would close the connection.
        Limits limits = limits().messagesPerSecond(40).messageBurst(2).maxRefusedMessages(0).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits));
             TestServer.Player polite = server.connect("Polite");
             TestServer.Player hasty = server.connect("Hasty")) {
            long pace = TimeUnit.MILLISECONDS.toNanos(40); // 25 per second, under the 40 allowed
            long next = System.nanoTime();
            for (int i = 0; i < 25; i++) {
                LockSupport.parkNanos(next - System.nanoTime()); // pacing the sender, not waiting for a result
                next = System.nanoTime() + pace;
                JsonNode reply = polite.request("ping");
                assertThat(reply.path("ok").asBoolean()).as("message %d: %s", i, reply).isTrue();
            }
            assertThat(polite.socket().channel().isActive()).isTrue();

            // The same 25 messages at once are over the limit: proof that the limit was on. One write,
            // so that the server has read them all when it closes: frames still arriving at a closed
            // socket make it answer RST, and a client that is still writing then loses the close frame.
            for (int i = 1; i <= 25; i++) {
                hasty.socket().channel().write(new TextWebSocketFrame("{\"t\":\"ping\",\"id\":" + i + "}"));
            }
            hasty.socket().channel().flush();
            assertThat(hasty.awaitClose()).isEqualTo(1008);
            assertThat(framesOf(hasty.socket())).as("the burst of 2 is answered, then the connection closes")
                    .hasSizeBetween(2, 3).allSatisfy(reply -> assertThat(reply.path("ok").asBoolean()).isTrue());
            assertThat(polite.request("ping").path("ok").asBoolean()).isTrue();
        }
    }

    // ---- failed joins per IP ----

    /**
     * The throttle counts wrong codes (invalid or of no live room) per IP address, not per
     * connection, and it is checked before the code is looked at: once an address has used up its
     * failed joins for the current minute, every join from that address is refused with
     * {@code rate_limited} until the minute ends, even one with the right code and even on
     * another connection. Creating rooms and playing in them are not affected.
     */
    @Test
    void afterTooManyWrongCodesEvenTheRightCodeIsRefusedForThatAddress() throws Exception {
        Limits limits = limits().failedJoinsPerMinute(3).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits));
             TestServer.Player ann = server.connect("Ann");
             TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            String code = ann.create("echo");
            List<String> missing = List.of("ZZZZ", "YYYY", "XXXX").stream().filter(c -> !c.equals(code)).toList();
            assertThat(errorOf(bob.request("join", "room", missing.get(0)))).isEqualTo("room_not_found");
            assertThat(errorOf(bob.request("join", "room", "12AB"))).isEqualTo("invalid_code");
            assertThat(errorOf(bob.request("join", "room", missing.get(1)))).isEqualTo("room_not_found");

            JsonNode refused = bob.request("join", "room", code);
            assertThat(errorOf(refused)).isEqualTo("rate_limited");
            assertThat(refused.path("error").path("message").asText()).contains("minute");
            assertThat(errorOf(cy.request("join", "room", code))).as("another connection, same address")
                    .isEqualTo("rate_limited");

            long id = ann.send("send", "room", code, "name", "shout", "data", "still playing");
            assertThat(ann.event("shout").path("data").asText()).isEqualTo("still playing");
            assertThat(ann.reply(id).path("ok").asBoolean()).isTrue();
            assertThat(bob.create("echo")).matches("[A-Z]{4}");
        }
    }

    // ---- connections per IP ----

    @Test
    void theConnectionOverThePerAddressLimitGets429WithAJsonBody() throws Exception {
        Limits limits = limits().connectionsPerAddress(3).build();
        // No HTTP request goes to this node before: a pooled keep-alive connection would count too.
        try (TestServer server = TestServer.start(config -> config.withLimits(limits))) {
            List<RawWebSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(RawWebSocket.open(server.webSocketUrl(null), server.baseUrl()));
                }
                assertThatThrownBy(() -> RawWebSocket.open(server.webSocketUrl(null), server.baseUrl()))
                        .isInstanceOfSatisfying(UpgradeRefusedException.class, refused -> {
                            assertThat(refused.status()).isEqualTo(429);
                            assertThat(refused.header("Content-Type")).isEqualTo("application/json");
                            JsonNode error = parse(refused.body()).path("error");
                            assertThat(error.path("code").asText()).isEqualTo("rate_limited");
                            assertThat(error.path("message").asText()).contains("limit 3")
                                    .contains("--max-connections-per-ip");
                        });

                // Closing one frees its place.
                open.remove(0).close();
                AtomicReference<RawWebSocket> again = new AtomicReference<>();
                await().atMost(TestServer.WAIT).ignoreException(UpgradeRefusedException.class).untilAsserted(() ->
                        again.set(RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())));
                open.add(again.get());
                assertThat(again.get().channel().isActive()).isTrue();
            } finally {
                open.forEach(RawWebSocket::close);
            }
        }
    }

    // ---- write buffer: slow consumers ----

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileTheOthersKeepReceiving() throws Exception {
        Limits limits = limits().messagesPerSecond(100_000).messageBurst(100_000)
                .writeBufferHighWaterBytes(64 * 1024).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits));
             TestServer.Player ann = server.connect("Ann");
             TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            String room = ann.create("echo");
            bob.request("join", "room", room);
            cy.request("join", "room", room);
            ann.event("joined");
            ann.event("joined");
            bob.event("joined");
            cy.socket().stopReading();

            String pad = "p".repeat(16 * 1024);
            BobsView bobs = new BobsView(bob, cy.id());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            boolean cyAway = false;
            while (!cyAway) {
                assertThat(System.nanoTime()).as("the slow consumer is cut off within 20 s, after %d messages", sent)
                        .isLessThan(deadline);
                long id = ann.send("send", "room", room, "name", "flood", "data", Map.of("i", sent, "pad", pad));
                sent++;
                for (JsonNode frame = ann.next(); ; frame = ann.next()) {
                    if (frame.path("t").asText().equals("reply")) {
                        assertThat(frame.path("id").asLong()).isEqualTo(id);
                        assertThat(frame.path("ok").asBoolean()).as("reply %s", frame).isTrue();
                        break;
                    }
                    cyAway |= frame.path("name").asText().equals("away") && frame.path("from").asText().equals(cy.id());
                }
                bobs.drain();
            }

            // Bob got every message, in order, and saw Cy go away.
            int total = sent;
            await().atMost(TestServer.WAIT).untilAsserted(() -> {
                bobs.drain();
                assertThat(bobs.floods.get()).isEqualTo(total);
                assertThat(bobs.sawAway.get()).isTrue();
            });
            assertThat(closesWithCode(server, 1008)).isEqualTo(1);

            // Cy's socket was closed by the server, without a close frame it could not have read.
            cy.socket().resumeReading();
            cy.socket().closeFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(cy.socket().closeCode()).isEqualTo(-1);
            long cyFloods = cy.socket().texts().stream().filter(text -> text.contains("\"flood\"")).count();
            assertThat(cyFloods).isLessThan(total);

            long id = ann.send("send", "room", room, "name", "after", "data", "still here");
            assertThat(ann.event("after").path("data").asText()).isEqualTo("still here");
            assertThat(ann.reply(id).path("ok").asBoolean()).isTrue();
            assertThat(bob.event("after").path("data").asText()).isEqualTo("still here");
        }
    }

    /** Counts what Bob receives during a flood, without keeping it. */
    private static final class BobsView {
        final TestServer.Player bob;
        final String awayId;
        final AtomicInteger floods = new AtomicInteger();
        final AtomicReference<Boolean> sawAway = new AtomicReference<>(false);

        BobsView(TestServer.Player bob, String awayId) {
            this.bob = bob;
            this.awayId = awayId;
        }

        void drain() {
            for (String text; (text = bob.socket().texts().poll()) != null; ) {
                JsonNode event = parse(text);
                if (event.path("name").asText().equals("flood")) {
                    assertThat(event.path("data").path("i").asInt()).as("Bob's messages in order")
                            .isEqualTo(floods.getAndIncrement());
                } else if (event.path("name").asText().equals("away") && event.path("from").asText().equals(awayId)) {
                    sawAway.set(true);
                }
            }
        }
    }

    // ---- heartbeat ----

    @Test
    void aClientThatMissesTwoPongsIsClosedWhileOneThatAnswersStaysOpen() throws Exception {
        Duration interval = Duration.ofMillis(200);
        Limits limits = limits().heartbeatInterval(interval).maxMissedPongs(2).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits));
             TestServer.Player lively = server.connect("Lively");
             RawWebSocket deaf = RawWebSocket.open(server.webSocketUrl("ticket=" + server.ticket("Deaf")),
                     server.baseUrl())) {
            deaf.autoPong(false);
            long start = System.nanoTime();
            assertThat(new TestServer.Player(deaf).next("welcome").path("heartbeatMs").asLong()).isEqualTo(200);

            deaf.closeFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(interval.multipliedBy(2));
            assertThat(deaf.pingsReceived()).isGreaterThanOrEqualTo(2);

            await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
                    .until(() -> lively.socket().channel().isActive());
            assertThat(lively.socket().pingsReceived()).isGreaterThanOrEqualTo(3);
            assertThat(lively.request("ping").path("ok").asBoolean()).isTrue();
        }
    }

    // ---- auth timeout ----

    @Test
    void aConnectionWithoutAuthIsClosedWith4002AfterTheConfiguredTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        Limits limits = limits().authTimeout(timeout).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits))) {
            long start = System.nanoTime();
            try (RawWebSocket silent = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl());
                 RawWebSocket prompt = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
                prompt.sendText(Json.nodes().objectNode().put("t", "auth").put("ticket", server.ticket("Prompt"))
                        .toString());
                TestServer.Player promptPlayer = new TestServer.Player(prompt);
                assertThat(promptPlayer.next("welcome").path("player").path("name").asText()).isEqualTo("Prompt");

                assertThat(new TestServer.Player(silent).awaitClose()).isEqualTo(4002);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
                assertThat(silent.closeReason()).contains("400 ms");

                await().during(timeout).atMost(timeout.multipliedBy(3)).until(() -> prompt.channel().isActive());
                assertThat(promptPlayer.request("ping").path("ok").asBoolean()).isTrue();
            }
        }
    }

    // ---- frame size ----

    @Test
    void theFrameSizeLimitIsConfigurable() throws Exception {
        Limits limits = limits().maxFrameBytes(2048).build();
        try (TestServer server = TestServer.start(config -> config.withLimits(limits))) {
            try (TestServer.Player ann = server.connect("Ann")) {
                ann.socket().sendText("{\"t\":\"ping\",\"id\":1,\"pad\":\"" + "x".repeat(1900) + "\"}");
                assertThat(ann.reply(1).path("ok").asBoolean()).isTrue();
                ann.socket().sendText("{\"t\":\"ping\",\"id\":2,\"pad\":\"" + "x".repeat(2100) + "\"}");
                assertThat(ann.awaitClose()).isEqualTo(1009);
            }
            try (TestServer.Player bob = server.connect("Bob")) {
                // Fragments of 1000 bytes each, 3000 together: over the limit once assembled.
                bob.socket().channel().write(new TextWebSocketFrame(false, 0, "{\"t\":\"ping\",\"id\":1,\"p\":\""
                        + "x".repeat(980)));
                bob.socket().channel().write(new ContinuationWebSocketFrame(false, 0, "x".repeat(1000)));
                bob.socket().channel().write(new ContinuationWebSocketFrame(true, 0, "x".repeat(998) + "\"}"));
                bob.socket().channel().flush();
                assertThat(bob.awaitClose()).isEqualTo(1009);
                assertThat(bob.socket().closeReason()).contains("2048");
            }
        }
    }

    // ---- graceful shutdown ----

    @Test
    void shutdownClosesClientsWith1001AndReadinessTurnsFalseWhileDraining() throws Exception {
        // A member that stops reading while its room is flooded cannot take its close frame, so the
        // node stays in its drain (shutdownGrace) long enough to be observed. The write buffer
        // limit is raised so that this member is not cut off as a slow consumer first.
        Limits limits = limits().messagesPerSecond(100_000).messageBurst(100_000)
                .writeBufferHighWaterBytes(64 * 1024 * 1024).build();
        Duration grace = Duration.ofSeconds(2);
        TestServer server = TestServer.start(config -> new ServerConfig(config.host(), config.port(),
                config.allowedOrigins(), config.jwtSecret(), limits, config.rooms(), grace, config.ioThreads()));
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger partyline = (Logger) LoggerFactory.getLogger("dev.partyline");
        partyline.addAppender(logged);
        try (server;
             TestServer.Player ann = server.connect("Ann");
             TestServer.Player stuck = server.connect("Stuck")) {
            String room = ann.create("echo");
            stuck.request("join", "room", room);
            ann.event("joined");
            assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
            stuck.socket().stopReading();
            String pad = "p".repeat(32 * 1024);
            long bytes = kernelSendBufferMaxBytes() + 512 * 1024; // what the kernel holds, and then some
            for (long sent = 0; sent < bytes; sent += pad.length()) {
                long id = ann.send("send", "room", room, "name", "flood", "data", pad);
                for (JsonNode frame = ann.next(); !frame.path("t").asText().equals("reply"); frame = ann.next()) {
                    assertThat(frame.path("name").asText()).isEqualTo("flood");
                }
            }
            // Ann leaves, so that her own close does not reach the stuck member as an "away" event.
            assertThat(ann.request("leave", "room", room).path("ok").asBoolean()).isTrue();

            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server.server()::close);
            await().atMost(TestServer.WAIT).pollInterval(Duration.ofMillis(10)).until(() -> !server.server().isReady());
            HttpResponse<String> readyz = server.get("/readyz");
            assertThat(readyz.statusCode()).isEqualTo(503);
            assertThat(readyz.body()).contains("draining");
            assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> RawWebSocket.open(server.webSocketUrl(null), server.baseUrl()))
                    .isInstanceOfSatisfying(UpgradeRefusedException.class, refused ->
                            assertThat(refused.status()).isEqualTo(503));
            HttpResponse<String> ticket = server.requestTicket("{\"name\":\"Late\"}");
            assertThat(ticket.statusCode()).isEqualTo(503);
            assertThat(parse(ticket.body()).path("error").path("code").asText()).isEqualTo("shutting_down");
            assertThat(closing).as("still draining").isNotDone();

            assertThat(ann.awaitClose()).isEqualTo(1001);
            assertThat(ann.socket().closeReason()).contains("shutting down");
            closing.get(grace.toMillis() * 3, TimeUnit.MILLISECONDS);
            // The stuck member never answers its close frame: it is cut off after the close linger (1 s).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("drained until the linger ended")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(grace.plusSeconds(1));
            assertThat(server.server().isReady()).isFalse();
            stuck.socket().resumeReading();
            stuck.socket().closeFuture().get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // The stuck socket closes after the loops stopped: that is no internal error.
            assertThat(logged.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        } finally {
            partyline.detachAppender(logged);
        }
    }

    /** The most a socket's kernel send buffer grows to (Linux tcp_wmem), or 4 MiB where unknown. */
    private static long kernelSendBufferMaxBytes() {
        try {
            String[] wmem = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(wmem[2]);
        } catch (IOException | RuntimeException e) {
            return 4L * 1024 * 1024;
        }
    }

    // ---- helpers ----

    private static String errorOf(JsonNode reply) {
        assertThat(reply.path("ok").asBoolean()).as("refused: %s", reply).isFalse();
        return reply.path("error").path("code").asText();
    }

    private static List<JsonNode> framesOf(RawWebSocket socket) {
        List<JsonNode> frames = new ArrayList<>();
        for (String text : socket.texts()) {
            frames.add(parse(text));
        }
        return frames;
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("server sent invalid JSON: " + text, e);
        }
    }

    /** The node's count of connections it closed with {@code code}, from {@code /metrics}. */
    private static int closesWithCode(TestServer server, int code) throws Exception {
        String metrics = server.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^partyline_closes_total\\{code=\"" + code + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    private static LimitsBuilder limits() {
        return new LimitsBuilder();
    }

    /** DESIGN.md's defaults with a few changed. */
    private static final class LimitsBuilder {
        private final Limits d = Limits.DEFAULTS;
        private int maxFrameBytes = d.maxFrameBytes();
        private double messagesPerSecond = d.messagesPerSecond();
        private int messageBurst = d.messageBurst();
        private int maxRefusedMessages = d.maxRefusedMessages();
        private Duration authTimeout = d.authTimeout();
        private Duration heartbeatInterval = d.heartbeatInterval();
        private int maxMissedPongs = d.maxMissedPongs();
        private int failedJoinsPerMinute = d.failedJoinsPerMinute();
        private int connectionsPerAddress = d.connectionsPerAddress();
        private int writeBufferHighWaterBytes = d.writeBufferHighWaterBytes();

        LimitsBuilder maxFrameBytes(int value) {
            maxFrameBytes = value;
            return this;
        }

        LimitsBuilder messagesPerSecond(double value) {
            messagesPerSecond = value;
            return this;
        }

        LimitsBuilder messageBurst(int value) {
            messageBurst = value;
            return this;
        }

        LimitsBuilder maxRefusedMessages(int value) {
            maxRefusedMessages = value;
            return this;
        }

        LimitsBuilder authTimeout(Duration value) {
            authTimeout = value;
            return this;
        }

        LimitsBuilder heartbeatInterval(Duration value) {
            heartbeatInterval = value;
            return this;
        }

        LimitsBuilder maxMissedPongs(int value) {
            maxMissedPongs = value;
            return this;
        }

        LimitsBuilder failedJoinsPerMinute(int value) {
            failedJoinsPerMinute = value;
            return this;
        }

        LimitsBuilder connectionsPerAddress(int value) {
            connectionsPerAddress = value;
            return this;
        }

        LimitsBuilder writeBufferHighWaterBytes(int value) {
            writeBufferHighWaterBytes = value;
            return this;
        }

        Limits build() {
            return new Limits(maxFrameBytes, messagesPerSecond, messageBurst, maxRefusedMessages, authTimeout,
                    heartbeatInterval, maxMissedPongs, failedJoinsPerMinute, connectionsPerAddress,
                    writeBufferHighWaterBytes, d.sessionGrace(), d.ticketTtl());
        }
    }
}
