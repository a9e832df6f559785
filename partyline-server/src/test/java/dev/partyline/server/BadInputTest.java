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
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Malformed and hostile input over real sockets. Each bad frame gets the answer DESIGN.md
 * specifies; where the connection should stay open, a ping on that same connection still gets
 * its reply afterwards; and after every test two healthy players, connected before any of the
 * abuse, still get service (a message round trip in their room).
 */
@ExtendWith(NettyLeakCheck.class)
class BadInputTest {
    private static final int MAX_FRAME = Limits.DEFAULTS.maxFrameBytes();
    private static final Duration SHORT = Duration.ofMillis(300);

    private static TestServer server;
    /** Auth timeout and ticket lifetime of {@link #SHORT}, for 4002 and expired tickets. */
    private static TestServer shortTimeouts;
    private static TestServer.Player healthyAnn;
    private static TestServer.Player healthyBob;
    private static String healthyRoom;
    /** What the server logs at ERROR: hostile input must never look like an internal error. */
    private static final ListAppender<ILoggingEvent> serverErrors = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        serverErrors.start();
        serverLogger().addAppender(serverErrors);
        server = TestServer.start();
        shortTimeouts = TestServer.start(config -> config.withLimits(limitsWith(SHORT, SHORT)));
        healthyAnn = server.connect("Ann");
        healthyBob = server.connect("Bob");
        healthyRoom = healthyAnn.create("echo");
        healthyBob.request("join", "room", healthyRoom);
        healthyAnn.event("joined");
    }

    @AfterEach
    void noInputIsLoggedAsAnInternalError() {
        List<String> errors = serverErrors.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
        serverErrors.list.clear();
        assertThat(errors).as("errors logged by the server").isEmpty();
    }

    @AfterEach
    void healthyPlayersConnectedBeforeTheAbuseAreStillServed() throws Exception {
        String nonce = UUID.randomUUID().toString();
        long id = healthyAnn.send("send", "room", healthyRoom, "name", "shout", "data", Map.of("nonce", nonce));
        JsonNode reply = null;
        JsonNode echo = null;
        for (int i = 0; i < 2; i++) { // the sender's echo and reply, in either order
            JsonNode frame = healthyAnn.next();
            if (frame.path("t").asText().equals("reply")) {
                reply = frame;
            } else {
                echo = frame;
            }
        }
        assertThat(reply).as("reply to the healthy sender").isNotNull();
        assertThat(reply.path("id").asLong()).isEqualTo(id);
        assertThat(reply.path("ok").asBoolean()).as("reply %s", reply).isTrue();
        assertThat(echo).as("echo to the healthy sender").isNotNull();
        assertThat(echo.path("data").path("nonce").asText()).isEqualTo(nonce);
        JsonNode toBob = healthyBob.event("shout");
        assertThat(toBob.path("data").path("nonce").asText()).isEqualTo(nonce);
        assertThat(toBob.path("from").asText()).isEqualTo(healthyAnn.id());
    }

    @AfterAll
    static void stop() {
        serverLogger().detachAppender(serverErrors);
        if (healthyAnn != null) {
            healthyAnn.close();
        }
        if (healthyBob != null) {
            healthyBob.close();
        }
        if (server != null) {
            server.close();
        }
        if (shortTimeouts != null) {
            shortTimeouts.close();
        }
    }

    // ---- frames answered with an error or an error reply; the connection stays open ----

    /**
     * One malformed text frame and its answer: an {@code error} frame (no readable id) or an
     * error {@code reply} carrying the frame's id.
     */
    static Stream<Arguments> malformedFrames() {
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 6) + "]".repeat(Json.MAX_NESTING_DEPTH + 6);
        return Stream.of(
                error("invalid JSON", "{oops", "bad_request", "not valid JSON"),
                error("a JSON array at top level", "[1,2,3]", "bad_request", "JSON object"),
                error("a JSON number at top level", "42", "bad_request", "JSON object"),
                error("a JSON string at top level", "\"ping\"", "bad_request", "JSON object"),
                error("JSON null at top level", "null", "bad_request", "JSON object"),
                error("an empty text frame", "", "bad_request", "JSON object"),
                error("only whitespace", " \n\t ", "bad_request", "JSON object"),
                reply("a missing t", "{\"id\":11}", 11, "bad_request", "\"t\""),
                reply("a t that is a number", "{\"t\":5,\"id\":12}", 12, "bad_request", "\"t\""),
                reply("a t that is an object", "{\"t\":{\"x\":1},\"id\":13}", 13, "bad_request", "\"t\""),
                reply("an unknown t with an id", "{\"t\":\"dance\",\"id\":14}", 14, "unknown_type", "\"dance\""),
                error("an unknown t without an id", "{\"t\":\"dance\"}", "unknown_type", "\"dance\""),
                error("a ping without an id", "{\"t\":\"ping\"}", "bad_request", "\"id\""),
                error("an id that is a string", "{\"t\":\"ping\",\"id\":\"15\"}", "bad_request", "\"id\""),
                error("a fractional id", "{\"t\":\"ping\",\"id\":1.5}", "bad_request", "\"id\""),
                error("an id beyond the long range", "{\"t\":\"ping\",\"id\":99999999999999999999}", "bad_request",
                        "\"id\""),
                error("an id whose exponent is beyond the int range", "{\"t\":\"ping\",\"id\":1e-2147483649}",
                        "bad_request", "exponent"),
                error("a number longer than 100 digits", "{\"t\":\"ping\",\"id\":1,\"x\":" + "7".repeat(150) + "}",
                        "bad_request", "not valid JSON"),
                reply("a join without room", "{\"t\":\"join\",\"id\":16}", 16, "bad_request", "\"room\""),
                reply("a join whose room is a number", "{\"t\":\"join\",\"id\":17,\"room\":42}", 17, "bad_request",
                        "\"room\""),
                reply("a join whose room is an array", "{\"t\":\"join\",\"id\":18,\"room\":[\"ABCD\"]}", 18,
                        "bad_request", "\"room\""),
                reply("a join with an empty room", "{\"t\":\"join\",\"id\":19,\"room\":\"\"}", 19, "bad_request",
                        "\"room\""),
                reply("a join with a room of 33 characters", "{\"t\":\"join\",\"id\":20,\"room\":\"" + "A".repeat(33)
                        + "\"}", 20, "bad_request", "longer than 32"),
                reply("a leave without room", "{\"t\":\"leave\",\"id\":21}", 21, "bad_request", "\"room\""),
                reply("a create without type", "{\"t\":\"create\",\"id\":22}", 22, "bad_request", "\"type\""),
                reply("a create whose options are an array", "{\"t\":\"create\",\"id\":23,\"type\":\"echo\","
                        + "\"options\":[1]}", 23, "bad_request", "\"options\""),
                reply("a create whose options are a string", "{\"t\":\"create\",\"id\":24,\"type\":\"echo\","
                        + "\"options\":\"x\"}", 24, "bad_request", "\"options\""),
                reply("a send without name", "{\"t\":\"send\",\"id\":25,\"room\":\"ABCD\",\"data\":1}", 25,
                        "bad_request", "\"name\""),
                reply("a send whose name is null", "{\"t\":\"send\",\"id\":26,\"room\":\"ABCD\",\"name\":null}", 26,
                        "bad_request", "\"name\""),
                error("duplicate keys", "{\"t\":\"ping\",\"id\":27,\"id\":28}", "bad_request", "Duplicate"),
                error("trailing garbage after the object", "{\"t\":\"ping\",\"id\":29} x", "bad_request",
                        "not valid JSON"),
                error("a second object after the first", "{\"t\":\"ping\",\"id\":30}{}", "bad_request",
                        "not valid JSON"),
                error("data nested deeper than 64 levels", "{\"t\":\"send\",\"id\":31,\"room\":\"ABCD\",\"name\":\"x\","
                        + "\"data\":" + deep + "}", "bad_request", "nesting depth"),
                error("an auth frame with neither ticket nor resume", "{\"t\":\"auth\"}", "bad_request", "exactly one"),
                error("an auth frame with an empty ticket", "{\"t\":\"auth\",\"ticket\":\"\"}", "bad_request",
                        "\"ticket\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void aMalformedFrameIsAnsweredAndTheSameConnectionKeepsWorking(String input, String frame, String t, Long id,
                                                                   String code, String hint) throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendText(frame);
            JsonNode answer = eve.next(t);
            JsonNode error = t.equals("reply") ? answer.path("error") : answer;
            if (id != null) {
                assertThat(answer.path("id").asLong()).isEqualTo(id);
                assertThat(answer.path("ok").asBoolean()).isFalse();
            }
            assertThat(error.path("code").asText()).as("answer %s", answer).isEqualTo(code);
            assertThat(error.path("message").asText()).as("answer %s", answer).contains(hint);
            assertPrintable(error.path("message").asText());
            assertPingWorks(eve);
        }
    }

    @Test
    void nestingUpToTheLimitIsDecoded() throws Exception {
        // The frame object is level 1, so data may nest 63 levels.
        int levels = Json.MAX_NESTING_DEPTH - 1;
        try (TestServer.Player eve = server.connect("Eve")) {
            String room = eve.create("echo");
            eve.socket().sendText("{\"t\":\"send\",\"id\":99,\"room\":\"" + room + "\",\"name\":\"deep\",\"data\":"
                    + "[".repeat(levels) + "]".repeat(levels) + "}");
            JsonNode echo = eve.event("deep");
            assertThat(echo.path("data").isArray()).isTrue();
            assertThat(eve.reply(99).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void controlCharactersInAnUnknownTypeAreNotEchoedRaw() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            // JSON escapes: BEL, ESC (a terminal sequence), a bidi override, a C1 control, a newline.
            eve.socket().sendText("{\"t\":\"a\\u0007b\\u001b[2Jc\\u202ed\\u0085e\\nf\",\"id\":5}");
            JsonNode reply = eve.next("reply");
            assertThat(reply.path("id").asLong()).isEqualTo(5);
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unknown_type");
            String message = reply.path("error").path("message").asText();
            assertPrintable(message);
            assertThat(message).contains("a?b?[2Jc?d?e f");
            eve.socket().sendText("{\"t\":\"\\u001b]0;pwned\\u0007" + "x".repeat(100) + "\"}");
            String longOne = eve.next("error").path("message").asText();
            assertPrintable(longOne);
            assertThat(longOne).contains("?]0;pwned?").contains("…").doesNotContain("x".repeat(40));
            assertPingWorks(eve);
        }
    }

    @Test
    void aBinaryFrameGetsBinaryNotSupported() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendBinary("{\"t\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
            JsonNode error = eve.next("error");
            assertThat(error.path("code").asText()).isEqualTo("binary_not_supported");
            assertThat(error.path("message").asText()).contains("text frames");
            assertPingWorks(eve);
        }
    }

    @Test
    void aFrameJustUnderTheSizeLimitIsAccepted() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            String frame = "{\"t\":\"ping\",\"id\":3,\"pad\":\"";
            eve.socket().sendText(frame + "x".repeat(MAX_FRAME - frame.length() - 2) + "\"}");
            JsonNode reply = eve.reply(3);
            assertThat(reply.path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aFrameLargerThan64KiBClosesWith1009() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendText("{\"t\":\"ping\",\"id\":1,\"pad\":\"" + "x".repeat(MAX_FRAME) + "\"}");
            assertThat(eve.awaitClose()).isEqualTo(1009);
            assertThat(eve.socket().texts()).isEmpty();
        }
    }

    @Test
    void fragmentsThatTogetherStayUnderTheLimitAreAssembled() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendFrame(new TextWebSocketFrame(false, 0, "{\"t\":\"pi"));
            eve.socket().sendFrame(new ContinuationWebSocketFrame(false, 0, "ng\",\"id\":"));
            eve.socket().sendFrame(new ContinuationWebSocketFrame(true, 0, "41}"));
            assertThat(eve.reply(41).path("ok").asBoolean()).isTrue();

            // Three fragments of 20 000 bytes: each and all together under 64 KiB.
            String room = eve.create("echo");
            String head = "{\"t\":\"send\",\"id\":42,\"room\":\"" + room + "\",\"name\":\"big\",\"data\":\"";
            String pad = "y".repeat(60_000 - head.length());
            eve.socket().sendFrame(new TextWebSocketFrame(false, 0, head + pad.substring(0, 20_000 - head.length())));
            eve.socket().sendFrame(new ContinuationWebSocketFrame(false, 0, pad.substring(20_000 - head.length(),
                    40_000 - head.length())));
            eve.socket().sendFrame(new ContinuationWebSocketFrame(true, 0,
                    pad.substring(40_000 - head.length()) + "\"}"));
            assertThat(eve.event("big").path("data").asText()).isEqualTo(pad);
            assertThat(eve.reply(42).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void fragmentsThatTogetherExceedTheLimitCloseWith1009() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            String part = "z".repeat(MAX_FRAME / 2);
            // One write: see aFloodOfMalformedFramesClosesWith1008.
            eve.socket().channel().write(new TextWebSocketFrame(false, 0,
                    "{\"t\":\"ping\",\"id\":1,\"pad\":\"" + part));
            eve.socket().channel().write(new ContinuationWebSocketFrame(false, 0, part));
            eve.socket().channel().write(new ContinuationWebSocketFrame(true, 0, part + "\"}"));
            eve.socket().channel().flush();
            assertThat(eve.awaitClose()).isEqualTo(1009);
            assertThat(eve.socket().texts()).isEmpty();
        }
    }

    @Test
    void aContinuationFrameWithoutAStartClosesWith1002() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendFrame(new ContinuationWebSocketFrame(true, 0, "{\"t\":\"ping\",\"id\":1}"));
            assertThat(eve.awaitClose()).isEqualTo(1002);
        }
    }

    @Test
    void aTextFrameThatIsNotUtf8ClosesWith1007() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendFrame(new TextWebSocketFrame(Unpooled.wrappedBuffer(
                    new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'})));
            assertThat(eve.awaitClose()).isEqualTo(1007);
        }
    }

    @Test
    void anUnmaskedFrameFromTheClientClosesWith1002() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            byte[] payload = "{\"t\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[payload.length + 2];
            frame[0] = (byte) 0x81; // FIN, text
            frame[1] = (byte) payload.length; // no mask bit: RFC 6455 §5.1 requires clients to mask
            System.arraycopy(payload, 0, frame, 2, payload.length);
            eve.socket().sendRaw(frame);
            assertThat(eve.awaitClose()).isEqualTo(1002);
        }
    }

    @Test
    void aFloodOfMalformedFramesClosesWith1008() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            // One write, so that the server has read every frame when it closes. Frames that arrive
            // at a closed socket make it answer RST, and a client that is still writing then fails
            // on its next write and closes before it reads the close frame.
            for (int i = 0; i < 100; i++) {
                eve.socket().channel().write(new TextWebSocketFrame("{bad " + i));
            }
            eve.socket().channel().flush();
            assertThat(eve.awaitClose()).isEqualTo(1008);
            assertThat(eve.socket().closeReason()).contains("malformed");
            List<String> answers = new ArrayList<>(eve.socket().texts());
            // A burst of 20 is answered, then the connection is closed: the rest are never answered.
            assertThat(answers).hasSizeBetween(20, 25).allSatisfy(text -> assertThat(text).contains("bad_request"));
        }
    }

    // ---- authentication ----

    @Test
    void aSecondAuthFrameGetsAlreadyAuthenticated() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            eve.socket().sendText(authFrame(server.ticket("Mallory")));
            JsonNode error = eve.next("error");
            assertThat(error.path("code").asText()).isEqualTo("already_authenticated");
            assertPingWorks(eve);
            assertThat(eve.request("ping").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aRequestBeforeAuthGetsNotAuthenticatedAndAuthStillWorksAfterwards() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
            TestServer.Player eve = new TestServer.Player(socket);
            socket.sendText("{\"t\":\"ping\",\"id\":7}");
            JsonNode reply = eve.next("reply");
            assertThat(reply.path("id").asLong()).isEqualTo(7);
            assertThat(reply.path("error").path("code").asText()).isEqualTo("not_authenticated");
            socket.sendText("{\"t\":\"create\",\"id\":8,\"type\":\"echo\"}");
            assertThat(eve.next("reply").path("error").path("code").asText()).isEqualTo("not_authenticated");
            socket.sendText("{\"t\":\"auth\"}");
            assertThat(eve.next("error").path("code").asText()).isEqualTo("bad_request");

            socket.sendText(authFrame(server.ticket("Eve")));
            assertThat(eve.next("welcome").path("player").path("name").asText()).isEqualTo("Eve");
            socket.sendText("{\"t\":\"ping\",\"id\":9}");
            assertThat(eve.reply(9).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aJoinWithAnInvalidCodeGetsInvalidCode() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            for (String code : List.of("IOIO", "AB", "ABCDE", "AB1D", "ÄBCD")) {
                JsonNode reply = eve.request("join", "room", code);
                assertThat(reply.path("error").path("code").asText()).as("join %s", code).isEqualTo("invalid_code");
            }
            assertPingWorks(eve);
        }
    }

    @Test
    void aJoinOfAMissingRoomGetsRoomNotFound() throws Exception {
        try (TestServer.Player eve = server.connect("Eve")) {
            String missing = healthyRoom.equals("ZZZZ") ? "YYYY" : "ZZZZ";
            JsonNode reply = eve.request("join", "room", missing);
            assertThat(reply.path("error").path("code").asText()).isEqualTo("room_not_found");
            assertThat(reply.path("error").path("message").asText()).contains(missing);
            assertPingWorks(eve);
        }
    }

    @Test
    void aReusedTicketClosesWith4001InTheUrlAndInAnAuthFrame() throws Exception {
        String ticket = server.ticket("Eve");
        try (RawWebSocket first = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket), server.baseUrl())) {
            assertThat(new TestServer.Player(first).next("welcome").path("player").path("name").asText())
                    .isEqualTo("Eve");
            try (RawWebSocket again = RawWebSocket.open(server.webSocketUrl("ticket=" + ticket), server.baseUrl())) {
                assertThat(new TestServer.Player(again).awaitClose()).isEqualTo(4001);
                assertThat(again.texts()).isEmpty();
            }
            try (RawWebSocket again = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
                again.sendText(authFrame(ticket));
                assertThat(new TestServer.Player(again).awaitClose()).isEqualTo(4001);
                assertThat(again.texts()).isEmpty();
            }
            assertPingWorks(new TestServer.Player(first));
        }
    }

    @Test
    void anUnknownTicketOrResumeTokenClosesWith4001() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(server.webSocketUrl("ticket=nope"), server.baseUrl())) {
            assertThat(new TestServer.Player(socket).awaitClose()).isEqualTo(4001);
            assertThat(socket.closeReason()).contains("Ticket");
        }
        try (RawWebSocket socket = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
            socket.sendText(authFrame("A".repeat(43)));
            assertThat(new TestServer.Player(socket).awaitClose()).isEqualTo(4001);
        }
        try (RawWebSocket socket = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
            socket.sendText("{\"t\":\"auth\",\"resume\":\"not-a-token\"}");
            assertThat(new TestServer.Player(socket).awaitClose()).isEqualTo(4001);
            assertThat(socket.closeReason()).contains("Resume");
        }
    }

    @Test
    void anExpiredTicketClosesWith4001() throws Exception {
        String ticket = shortTimeouts.ticket("Eve");
        long issued = System.nanoTime();
        // Let the 300 ms lifetime run out; nothing to poll for, the server only checks on redeem.
        Thread.sleep(SHORT.toMillis() + 200);
        assertThat(Duration.ofNanos(System.nanoTime() - issued)).isGreaterThan(SHORT);
        try (RawWebSocket socket = RawWebSocket.open(shortTimeouts.webSocketUrl("ticket=" + ticket),
                shortTimeouts.baseUrl())) {
            assertThat(new TestServer.Player(socket).awaitClose()).isEqualTo(4001);
            assertThat(socket.texts()).isEmpty();
        }
    }

    @Test
    void noAuthFrameWithinTheTimeoutClosesWith4002() throws Exception {
        long start = System.nanoTime();
        try (RawWebSocket socket = RawWebSocket.open(shortTimeouts.webSocketUrl(null), shortTimeouts.baseUrl())) {
            assertThat(new TestServer.Player(socket).awaitClose()).isEqualTo(4002);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT.minusMillis(50));
            assertThat(socket.texts()).isEmpty();
        }
    }

    // ---- HTTP ----

    @Test
    void aGarbageRequestLineGets400AndTheServerKeepsServing() throws Exception {
        for (String request : List.of(
                "GARBAGE\r\n\r\n",
                "GET / HTTP/1.1 extra\r\n\r\n",
                "\u0001\u0002\u0003 \u0004 \u0005\r\n\r\n",
                "G(T / HTTP/1.1\r\n\r\n",
                "GET / FOO/1.1\r\n\r\n",
                "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nBroken header line\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n")) {
            String response = rawHttp(server, request);
            assertThat(response).as("answer to %s", request.substring(0, Math.min(30, request.length())))
                    .startsWith("HTTP/1.1 400");
        }
        assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedPercentEscapeInTheUriGets400() throws Exception {
        String upgrade = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        for (String request : List.of(
                "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /r/AB%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/tickets% HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                "GET /ws?ticket=%zz HTTP/1.1\r\n" + upgrade,
                "GET /ws?ticket=abc% HTTP/1.1\r\n" + upgrade)) {
            String response = rawHttp(server, request);
            assertThat(response).as("answer to %s", request.substring(0, request.indexOf('\r')))
                    .startsWith("HTTP/1.1 400").contains("Malformed");
        }
        assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void anUpgradeFromAForbiddenOriginGets403NamingTheOriginAndTheSetting() throws Exception {
        String origin = "https://evil.example";
        assertThatThrownBy(() -> RawWebSocket.open(server.webSocketUrl("ticket=" + server.ticket("Eve")), origin))
                .isInstanceOfSatisfying(UpgradeRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.body()).contains(origin).contains("--allowed-origin");
                });
        HttpResponse<String> api = server.requestTicket("{\"name\":\"Eve\"}", "Origin", origin);
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(Json.mapper().readTree(api.body()).path("error").path("code").asText())
                .isEqualTo("origin_not_allowed");
        assertThat(api.body()).contains(origin).contains("--allowed-origin");
    }

    static Stream<Arguments> badTicketRequests() {
        return Stream.of(
                Arguments.of("invalid JSON", "{\"name\": "),
                Arguments.of("a name that is a number", "{\"name\": 5}"),
                Arguments.of("a name that is an object", "{\"name\": {\"first\": \"Ann\"}}"),
                Arguments.of("a name of 25 characters", "{\"name\": \"" + "n".repeat(25) + "\"}"),
                Arguments.of("a name with a control character", "{\"name\": \"A\\u0007nn\"}"),
                Arguments.of("a JSON array", "[\"Ann\"]"),
                Arguments.of("trailing garbage", "{\"name\": \"Ann\"} x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTicketRequests")
    void aBadTicketRequestGets400WithABadRequestBody(String input, String body) throws Exception {
        HttpResponse<String> response = server.requestTicket(body, "Content-Type", "application/json");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = Json.mapper().readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(server.requestTicket("{\"name\": \"Ann\"}").statusCode()).isEqualTo(200);
    }

    // ---- helpers ----

    private static Arguments error(String input, String frame, String code, String hint) {
        return Arguments.of(input, frame, "error", null, code, hint);
    }

    private static Arguments reply(String input, String frame, long id, String code, String hint) {
        return Arguments.of(input, frame, "reply", id, code, hint);
    }

    private static String authFrame(String ticket) {
        return Json.nodes().objectNode().put("t", "auth").put("ticket", ticket).toString();
    }

    private static void assertPingWorks(TestServer.Player player) throws InterruptedException {
        long id = player.send("ping");
        JsonNode reply = player.reply(id);
        assertThat(reply.path("ok").asBoolean()).as("ping reply %s", reply).isTrue();
    }

    /** No character that could rewrite a log line or terminal, or reorder text. */
    private static void assertPrintable(String message) {
        assertThat(message.codePoints()).noneMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    }

    /** Writes raw bytes to the HTTP port and reads the answer until the server closes or goes quiet. */
    private static String rawHttp(TestServer target, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", target.server().port())) {
            socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // keep-alive: return what arrived
            } catch (IOException e) {
                // reset after the answer: return what arrived
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static Logger serverLogger() {
        return (Logger) LoggerFactory.getLogger("dev.partyline");
    }

    private static Limits limitsWith(Duration authTimeout, Duration ticketTtl) {
        Limits d = Limits.DEFAULTS;
        return new Limits(d.maxFrameBytes(), d.messagesPerSecond(), d.messageBurst(), d.maxRefusedMessages(),
                authTimeout, d.heartbeatInterval(), d.maxMissedPongs(), d.failedJoinsPerMinute(),
                d.connectionsPerAddress(), d.writeBufferHighWaterBytes(), d.sessionGrace(), ticketTtl);
    }
}
