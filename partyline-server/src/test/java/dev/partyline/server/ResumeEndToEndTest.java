package dev.partyline.server;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Resume over real sockets: replay, resync, exactly-once requests, and the end of the grace period. */
@ExtendWith(NettyLeakCheck.class)
class ResumeEndToEndTest {
    private static final Duration SHORT_GRACE = Duration.ofMillis(600);
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Limits withSessionGrace(Limits limits, Duration grace) {
        return new Limits(limits.maxFrameBytes(), limits.messagesPerSecond(), limits.messageBurst(),
                limits.maxRefusedMessages(), limits.authTimeout(), limits.heartbeatInterval(), limits.maxMissedPongs(),
                limits.failedJoinsPerMinute(), limits.connectionsPerAddress(), limits.writeBufferHighWaterBytes(),
                grace, limits.ticketTtl());
    }

    /** Opens a raw socket and resumes with {@code token}, naming {@code room} at {@code seq}. */
    private TestServer.Player resume(String token, String room, String epoch, long seq) throws Exception {
        RawWebSocket socket = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl());
        var auth = Json.nodes().objectNode().put("t", "auth").put("resume", token);
        if (room != null) {
            auth.putObject("rooms").putObject(room).put("epoch", epoch).put("seq", seq);
        }
        socket.sendText(auth.toString());
        return new TestServer.Player(socket);
    }

    @Test
    void aResumedPlayerIsReplayedExactlyWhatItMissedAndMaySeeThenLiveEvents() throws Exception {
        server = TestServer.start();
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            String code = ann.create("echo");
            JsonNode joined = bob.request("join", "room", code).path("data");
            long seen = cy.request("join", "room", code).path("data").path("seq").asLong();
            assertThat(bob.event("joined").path("seq").asLong()).isEqualTo(seen);
            String epoch = joined.path("epoch").asText();
            String token = bob.welcome().path("resume").asText();
            bob.socket().channel().close(); // abrupt: no close frame
            ann.event("joined");
            ann.event("joined");
            ann.event("away");
            long shout = ann.send("send", "room", code, "name", "shout", "data", "while you were out");
            ann.event("shout");
            ann.reply(shout);
            ann.request("send", "room", code, "name", "whisper", "data", Map.of("to", bob.id(), "text", "psst"));
            ann.request("send", "room", code, "name", "whisper", "data", Map.of("to", cy.id(), "text", "not for Bob"));

            try (TestServer.Player back = resume(token, code, epoch, seen)) {
                JsonNode welcome = back.next("welcome");
                assertThat(welcome.path("resumed").asBoolean()).isTrue();
                List<String> names = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    JsonNode event = back.next("event");
                    names.add(event.path("name").asText());
                    seqs.add(event.path("seq").asLong());
                }
                assertThat(names).containsExactly("away", "shout", "whisper", "back");
                assertThat(seqs).containsExactly(seen + 1, seen + 2, seen + 3, seen + 5);
                assertThat(ann.event("back").path("from").asText()).isEqualTo(bob.id());
                long again = ann.send("send", "room", code, "name", "shout", "data", "live again");
                ann.event("shout");
                ann.reply(again);
                JsonNode live = back.event("shout");
                assertThat(live.path("data").asText()).isEqualTo("live again");
                assertThat(live.path("seq").asLong()).isEqualTo(seen + 6);
                assertThat(back.quietFor(Duration.ofMillis(200))).isTrue();
            }
        }
    }

    @Test
    void aLogThatNoLongerReachesBackSendsAResyncSnapshotMatchingAFreshJoin() throws Exception {
        server = TestServer.start(config -> config.withRooms(RoomSettings.DEFAULTS.withEventLog(5, Duration.ofMinutes(5))));
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob");
             TestServer.Player cy = server.connect("Cy")) {
            String code = ann.create("echo");
            JsonNode joined = bob.request("join", "room", code).path("data");
            String token = bob.welcome().path("resume").asText();
            bob.socket().channel().close();
            ann.event("joined");
            ann.event("away");
            for (int i = 0; i < 10; i++) {
                long id = ann.send("send", "room", code, "name", "shout", "data", i);
                ann.event("shout");
                ann.reply(id);
            }
            JsonNode fresh = cy.request("join", "room", code).path("data");

            try (TestServer.Player back = resume(token, code, joined.path("epoch").asText(), joined.path("seq").asLong())) {
                back.next("welcome");
                JsonNode state = back.next("state");
                assertThat(state.path("resync").asBoolean()).isTrue();
                assertThat(state.path("room").asText()).isEqualTo(fresh.path("room").asText());
                assertThat(state.path("epoch").asText()).isEqualTo(fresh.path("epoch").asText());
                assertThat(state.path("seq").asLong()).isEqualTo(fresh.path("seq").asLong());
                assertThat(state.path("members")).extracting(m -> m.path("id").asText())
                        .containsExactlyElementsOf(fresh.path("members").findValuesAsText("id"));
                assertThat(state.path("state").path("echoed").asInt()).isEqualTo(fresh.path("state").path("echoed").asInt());
                assertThat(back.event("back").path("seq").asLong()).isEqualTo(state.path("seq").asLong() + 1);
            }
        }
    }

    @Test
    void aRequestSentAgainAfterResumeGetsItsRememberedReplyAndRunsOnce() throws Exception {
        server = TestServer.start();
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            ann.event("joined");
            String token = bob.welcome().path("resume").asText();
            bob.socket().sendText("{\"t\":\"send\",\"id\":77,\"room\":\"" + code + "\",\"name\":\"shout\",\"data\":\"once\"}");
            assertThat(ann.event("shout").path("data").asText()).isEqualTo("once");
            bob.socket().channel().close(); // the client may not have seen the reply

            try (TestServer.Player back = resume(token, null, null, 0)) {
                back.next("welcome");
                back.next("state");
                back.event("back");
                back.socket().sendText("{\"t\":\"send\",\"id\":77,\"room\":\"" + code + "\",\"name\":\"shout\",\"data\":\"once\"}");
                JsonNode reply = back.next("reply");
                assertThat(reply.path("id").asLong()).isEqualTo(77);
                assertThat(reply.path("ok").asBoolean()).isTrue();
                assertThat(ann.event("away").path("from").asText()).isEqualTo(bob.id());
                assertThat(ann.event("back").path("from").asText()).isEqualTo(bob.id());
                assertThat(ann.quietFor(Duration.ofMillis(300))).as("the shout ran once").isTrue();
            }
        }
    }

    @Test
    void afterTheGracePeriodThePlayerLeftItsTokenIsRefusedAndAFreshJoinWorks() throws Exception {
        server = TestServer.start(config -> config.withLimits(withSessionGrace(config.limits(), SHORT_GRACE)));
        try (TestServer.Player ann = server.connect("Ann"); TestServer.Player bob = server.connect("Bob")) {
            String code = ann.create("echo");
            bob.request("join", "room", code);
            ann.event("joined");
            String token = bob.welcome().path("resume").asText();
            bob.socket().channel().close();
            assertThat(ann.event("away").path("from").asText()).isEqualTo(bob.id());
            long awayAt = System.nanoTime();
            assertThat(ann.event("left").path("from").asText()).isEqualTo(bob.id());
            assertThat(Duration.ofNanos(System.nanoTime() - awayAt)).isGreaterThan(SHORT_GRACE.minusMillis(200));

            try (TestServer.Player late = resume(token, code, "e", 1)) {
                assertThat(late.awaitClose()).isEqualTo(4001);
            }
            try (TestServer.Player again = server.connect("Bob")) {
                JsonNode snapshot = again.request("join", "room", code);
                assertThat(snapshot.path("ok").asBoolean()).isTrue();
                assertThat(snapshot.path("data").path("members")).extracting(m -> m.path("name").asText())
                        .containsExactly("Ann", "Bob");
                assertThat(ann.event("joined").path("from").asText()).isEqualTo(again.id());
            }
        }
    }

    @Test
    void aRoomThatClosedWhileThePlayerWasAwayIsReported() throws Exception {
        server = TestServer.start(config -> config.withRooms(RoomSettings.DEFAULTS.withEmptyRoomGrace(Duration.ofMillis(200))));
        try (TestServer.Player bob = server.connect("Bob")) {
            String code = bob.create("echo");
            String token = bob.welcome().path("resume").asText();
            bob.socket().channel().close();
            org.awaitility.Awaitility.await().atMost(TestServer.WAIT).until(() -> server.server().roomCount() == 0);
            try (TestServer.Player back = resume(token, code, "e", 1)) {
                back.next("welcome");
                JsonNode error = back.next("error");
                assertThat(error.path("code").asText()).isEqualTo("room_closed");
                assertThat(error.path("message").asText()).contains(code);
            }
        }
    }
}
