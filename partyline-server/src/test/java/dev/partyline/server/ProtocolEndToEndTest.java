package dev.partyline.server;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.protocol.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every message of protocol v1 over real sockets against a real node hosting the echo room type. */
@ExtendWith(NettyLeakCheck.class)
class ProtocolEndToEndTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void welcomeNamesThePlayerSessionResumeTokenHeartbeatAndNode() throws Exception {
        long before = System.currentTimeMillis();
        try (TestServer.Player ann = server.connect("Ann")) {
            JsonNode welcome = ann.welcome();
            assertThat(welcome.path("player").path("name").asText()).isEqualTo("Ann");
            assertThat(welcome.path("player").path("id").asText()).isNotBlank();
            assertThat(welcome.path("session").asText()).isNotBlank();
            assertThat(welcome.path("resume").asText()).hasSizeGreaterThan(20);
            assertThat(welcome.path("heartbeatMs").asLong()).isEqualTo(20_000);
            assertThat(welcome.path("node").asText()).isEqualTo(server.server().nodeId());
            assertThat(welcome.path("serverTime").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            assertThat(welcome.path("resumed").asBoolean()).isFalse();
        }
    }

    @Test
    void createAnswersASnapshotWithTheCreatorAsHost() throws Exception {
        try (TestServer.Player ann = server.connect("Ann")) {
            JsonNode reply = ann.request("create", "type", "echo");
            assertThat(reply.path("ok").asBoolean()).isTrue();
            JsonNode snapshot = reply.path("data");
            assertThat(snapshot.path("room").asText()).matches("[A-HJ-NP-Z]{4}");
            assertThat(snapshot.path("type").asText()).isEqualTo("echo");
            assertThat(snapshot.path("epoch").asText()).isNotBlank();
            assertThat(snapshot.path("seq").asLong()).isEqualTo(1); // the creator's own "joined"
            assertThat(snapshot.path("you").asText()).isEqualTo(ann.id());
            assertThat(snapshot.path("members")).hasSize(1);
            assertThat(snapshot.path("members").get(0).path("host").asBoolean()).isTrue();
            assertThat(snapshot.path("members").get(0).path("online").asBoolean()).isTrue();
        }
    }

    @Test
    void joinIsCaseInsensitiveAndTellsTheOthers() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            JsonNode reply = bob.request("join", "room", "  " + code.toLowerCase() + " ");
            assertThat(reply.path("ok").asBoolean()).isTrue();
            assertThat(reply.path("data").path("room").asText()).isEqualTo(code);
            assertThat(reply.path("data").path("members")).extracting(m -> m.path("name").asText())
                    .containsExactly("Ann", "Bob");
            JsonNode joined = ann.event("joined");
            assertThat(joined.path("room").asText()).isEqualTo(code);
            assertThat(joined.path("from").asText()).isEqualTo(bob.id());
            assertThat(joined.path("data").path("name").asText()).isEqualTo("Bob");
            assertThat(joined.path("seq").asLong()).isEqualTo(reply.path("data").path("seq").asLong());
        }
    }

    @Test
    void sendReachesEveryMemberInSeqOrderAndIsAnsweredOnce() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            long seq = bob.request("join", "room", code).path("data").path("seq").asLong();
            ann.event("joined");
            long id = bob.send("send", "room", code, "name", "shout", "data", Map.of("text", "hi"));
            JsonNode echoToBob = bob.event("shout");
            assertThat(bob.reply(id).path("ok").asBoolean()).isTrue();
            JsonNode echoToAnn = ann.event("shout");
            assertThat(echoToAnn).isEqualTo(echoToBob);
            assertThat(echoToAnn.path("seq").asLong()).isEqualTo(seq + 1);
            assertThat(echoToAnn.path("from").asText()).isEqualTo(bob.id());
            assertThat(echoToAnn.path("data").path("text").asText()).isEqualTo("hi");
            assertThat(ann.quietFor(Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void privateEventsReachOnlyTheirAudience() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            cy.request("join", "room", code);
            ann.event("joined");
            ann.event("joined");
            bob.event("joined");
            ann.request("send", "room", code, "name", "whisper", "data", Map.of("to", bob.id(), "text", "psst"));
            JsonNode whisper = bob.event("whisper");
            assertThat(whisper.path("data").path("text").asText()).isEqualTo("psst");
            assertThat(cy.quietFor(Duration.ofMillis(200))).isTrue();
            assertThat(ann.quietFor(Duration.ofMillis(50))).isTrue();
        }
    }

    @Test
    void leaveAnswersAndTellsTheOthersAndPassesTheHost() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            ann.event("joined");
            assertThat(ann.request("leave", "room", code).path("ok").asBoolean()).isTrue();
            JsonNode left = bob.event("left");
            assertThat(left.path("from").asText()).isEqualTo(ann.id());
            assertThat(bob.event("host").path("data").path("id").asText()).isEqualTo(bob.id());
            JsonNode again = ann.request("send", "room", code, "name", "shout", "data", Map.of());
            assertThat(again.path("error").path("code").asText()).isEqualTo("not_a_member");
        }
    }

    @Test
    void pingAnswersWithServerTime() throws Exception {
        try (TestServer.Player ann = server.connect("Ann")) {
            JsonNode reply = ann.request("ping");
            assertThat(reply.path("ok").asBoolean()).isTrue();
            assertThat(reply.path("data").path("serverTime").asLong()).isPositive();
        }
    }

    @Test
    void requestRefusalsAreErrorRepliesAndTheConnectionStaysOpen() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            assertThat(errorOf(ann.request("create", "type", "poker"))).isEqualTo("unknown_room_type");
            assertThat(errorOf(ann.request("join", "room", "IOIO"))).isEqualTo("invalid_code");
            assertThat(errorOf(ann.request("join", "room", "12"))).isEqualTo("invalid_code");
            String missing = "ZZZZ".equals(ann.create("echo")) ? "YYYY" : "ZZZZ";
            assertThat(errorOf(ann.request("join", "room", missing))).isEqualTo("room_not_found");
            assertThat(errorOf(ann.request("leave", "room", missing))).isEqualTo("not_a_member");
            assertThat(errorOf(ann.request("send", "room", missing, "name", "x", "data", 1))).isEqualTo("not_a_member");
            String small = ann.create(TestServer.SMALL_ECHO);
            bob.request("join", "room", small);
            ann.event("joined");
            assertThat(errorOf(cy.request("join", "room", small))).isEqualTo("room_full");
            String echo = cy.create("echo");
            assertThat(errorOf(cy.request("send", "room", echo, "name", "refuse", "data", Map.of("code", "too_fast"))))
                    .isEqualTo("too_fast");
            assertThat(ann.request("ping").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aRoomLogicThatThrowsAnswersInternalErrorAndTheRoomGoesOn() throws Exception {
        try (TestServer.Player ann = server.connect("Ann")) {
            String code = ann.create("echo");
            assertThat(errorOf(ann.request("send", "room", code, "name", "boom", "data", null))).isEqualTo("internal_error");
            long id = ann.send("send", "room", code, "name", "shout", "data", "still here");
            assertThat(ann.event("shout").path("data").asText()).isEqualTo("still here");
            assertThat(ann.reply(id).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aMalformedFrameGetsAnErrorFrameAndAMalformedRequestAnErrorReply() throws Exception {
        try (TestServer.Player ann = server.connect("Ann")) {
            ann.socket().sendText("{oops");
            JsonNode error = ann.next("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(error.path("message").asText()).contains("not valid JSON");
            ann.socket().sendText("{\"t\":\"join\",\"id\":7,\"room\":42}");
            JsonNode reply = ann.next("reply");
            assertThat(reply.path("id").asLong()).isEqualTo(7);
            assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(reply.path("error").path("message").asText()).contains("room");
        }
    }

    @Test
    void resumeOnANewSocketWelcomesAsResumedAndSendsAStateSnapshot() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            ann.event("joined");
            String token = bob.welcome().path("resume").asText();
            bob.socket().channel().close(); // abrupt: no close frame
            assertThat(ann.event("away").path("from").asText()).isEqualTo(bob.id());
            try (RawWebSocket socket = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
                TestServer.Player again = new TestServer.Player(socket);
                socket.sendText(Json.nodes().objectNode().put("t", "auth").put("resume", token).toString());
                JsonNode welcome = again.next("welcome");
                assertThat(welcome.path("resumed").asBoolean()).isTrue();
                assertThat(welcome.path("player").path("id").asText()).isEqualTo(bob.id());
                assertThat(welcome.path("resume").asText()).isNotEqualTo(token);
                JsonNode state = again.next("state");
                assertThat(state.path("room").asText()).isEqualTo(code);
                assertThat(state.path("members")).allSatisfy(m -> assertThat(m.path("online").asBoolean()).isTrue());
                assertThat(ann.event("back").path("from").asText()).isEqualTo(bob.id());
                assertThat(again.event("back").path("seq").asLong()).isEqualTo(state.path("seq").asLong() + 1);
            }
        }
    }

    @Test
    void aSessionResumedElsewhereClosesTheOlderSocketWith4004() throws Exception {
        try (TestServer.Player ann = server.connect("Ann")) {
            String token = ann.welcome().path("resume").asText();
            try (RawWebSocket socket = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
                socket.sendText(Json.nodes().objectNode().put("t", "auth").put("resume", token).toString());
                assertThat(new TestServer.Player(socket).next("welcome").path("resumed").asBoolean()).isTrue();
                assertThat(ann.awaitClose()).isEqualTo(4004);
            }
        }
    }

    @Test
    void aNormalCloseEndsTheSessionAtOnceSoTheOthersSeeLeftNotAway() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            ann.event("joined");
            bob.socket().sendClose(1000, "bye");
            assertThat(bob.awaitClose()).isEqualTo(1000);
            assertThat(ann.event("left").path("from").asText()).isEqualTo(bob.id());
        }
    }

    @Test
    void anAbruptDropShowsTheMemberAwayButKeepsItsSeat() throws Exception {
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            ann.event("joined");
            bob.socket().channel().close();
            assertThat(ann.event("away").path("from").asText()).isEqualTo(bob.id());
            JsonNode snapshot = cy.request("join", "room", code).path("data");
            assertThat(snapshot.path("members")).extracting(m -> m.path("name").asText() + ":" + m.path("online").asBoolean())
                    .containsExactly("Ann:true", "Bob:false", "Cy:true");
        }
    }

    private static String errorOf(JsonNode reply) {
        assertThat(reply.path("ok").asBoolean()).as("refused: %s", reply).isFalse();
        assertThat(reply.path("error").path("message").asText()).isNotBlank();
        return reply.path("error").path("code").asText();
    }
}
