package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.ClientMessage.RoomPosition;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link PartylineClient} resumes, against a {@link ScriptedServer} that plays each frame of
 * the server by hand: the resume frame, the replay and its repeats, the resend under the same
 * ids, a resync, a room closed meanwhile, a refused resume, the window of requests on the wire.
 * The same against the real server is in the app module ({@code JavaClientEndToEndTest},
 * {@code ResumeUnderDropsTest}).
 */
class PartylineClientResumeTest {
    private static final Duration WAIT = ScriptedServer.WAIT;
    private static final ReconnectPolicy AT_ONCE =
            new ReconnectPolicy(true, Duration.ofMillis(10), Duration.ofMillis(50), 2.0, 0.0, 20);
    private static final String SNAPSHOT = "{\"room\":\"ABCD\",\"type\":\"chat\",\"epoch\":\"e1\",\"seq\":3,"
            + "\"members\":[],\"state\":{\"messages\":[]},\"you\":\"p1\"}";

    private ScriptedServer server;
    private PartylineClient client;
    private final BlockingQueue<ServerMessage.Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<ServerMessage.State> states = new LinkedBlockingQueue<>();
    private final BlockingQueue<ServerMessage.Error> errors = new LinkedBlockingQueue<>();
    private final BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void aDropResumesWithTheLatestTokenAndPositionsDropsRepeatsAndSendsUnansweredRequestsAgain() throws Exception {
        ScriptedServer.Peer first = connectAndJoin(ClientConfig.builder(server.baseUrl()).reconnect(AT_ONCE));
        first.event("ABCD", 4, "four");
        CompletableFuture<JsonNode> unanswered = client.send("ABCD", "message", text("hi"));
        JsonNode sent = first.next();
        awaitPosition(4);

        first.cut();
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        ScriptedServer.Peer second = server.nextPeer();

        assertThat(second.uri()).as("no ticket: the session resumes").isEqualTo("/ws");
        JsonNode auth = second.next();
        assertThat(auth.path("t").asText()).isEqualTo("auth");
        assertThat(auth.path("resume").asText()).isEqualTo("r1");
        assertThat(auth.has("ticket")).isFalse();
        assertThat(auth.path("rooms")).isEqualTo(Json.mapper().readTree("{\"ABCD\":{\"epoch\":\"e1\",\"seq\":4}}"));
        assertThat(unanswered).as("still waiting, not failed").isNotDone();
        second.welcome("r2", true);
        assertThat(second.next()).as("sent again under its id, byte for byte").isEqualTo(sent);
        second.event("ABCD", 4, "four");
        second.event("ABCD", 5, "five");
        second.event("ABCD", 5, "five");
        second.reply(sent.path("id").asLong(), "null");

        assertThat(unanswered.get(5, TimeUnit.SECONDS)).isNull();
        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isTrue();
        assertThat(reconnected.resent()).isEqualTo(1);
        assertThat(reconnected.attempts()).isEqualTo(1);
        assertThat(client.welcome().resume()).as("the latest token").isEqualTo("r2");
        assertThat(client.playerId()).isEqualTo("p1");
        awaitPosition(5);
        assertThat(texts()).as("each event once").containsExactly("four", "five");
        assertThat(server.ticketsIssued()).isEqualTo(1);
    }

    @Test
    void aRequestMadeWhileReconnectingGoesOutAfterTheResendAndTheNextResumeCarriesTheNewToken() throws Exception {
        ReconnectPolicy later = new ReconnectPolicy(true, Duration.ofMillis(300), Duration.ofMillis(300), 1.0, 0.0, 5);
        ScriptedServer.Peer first = connectAndJoin(ClientConfig.builder(server.baseUrl()).reconnect(later));
        CompletableFuture<JsonNode> onTheWire = client.send("ABCD", "message", text("one"));
        long firstId = first.next().path("id").asLong();

        first.cut();
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        CompletableFuture<Duration> whileAway = client.ping();
        ScriptedServer.Peer second = server.nextPeer();
        second.next();
        second.welcome("r2", true);

        JsonNode again = second.next();
        JsonNode ping = second.next();
        assertThat(again.path("id").asLong()).isEqualTo(firstId);
        assertThat(ping.path("t").asText()).isEqualTo("ping");
        assertThat(ping.path("id").asLong()).isGreaterThan(firstId);
        second.reply(firstId, "null");
        second.reply(ping.path("id").asLong(), "{\"serverTime\":1}");
        assertThat(onTheWire.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(whileAway.get(5, TimeUnit.SECONDS)).isPositive();
        assertThat(reconnects.poll(5, TimeUnit.SECONDS).resent()).isEqualTo(1);

        second.cut();
        ScriptedServer.Peer third = server.nextPeer();
        assertThat(third.next().path("resume").asText()).isEqualTo("r2");
        third.welcome("r3", true);
        assertThat(reconnects.poll(5, TimeUnit.SECONDS).resent()).as("nothing was waiting").isZero();
        assertThat(third.poll(Duration.ofMillis(100))).isNull();
    }

    @Test
    void aResyncSnapshotReachesTheStateListenersAndResetsThePosition() throws Exception {
        ScriptedServer.Peer first = connectAndJoin(ClientConfig.builder(server.baseUrl()).reconnect(AT_ONCE));
        first.event("ABCD", 9, "nine");
        awaitPosition(9);

        first.cut();
        ScriptedServer.Peer second = server.nextPeer();
        second.next();
        second.welcome("r2", true);
        second.send("{\"t\":\"state\",\"room\":\"ABCD\",\"type\":\"chat\",\"epoch\":\"e2\",\"seq\":2,\"members\":[],"
                + "\"state\":{\"messages\":[\"x\"]},\"you\":\"p1\",\"resync\":true}");
        second.event("ABCD", 2, "already in the snapshot");
        second.event("ABCD", 3, "three");

        ServerMessage.State resync = states.poll(5, TimeUnit.SECONDS);
        assertThat(resync).isNotNull();
        assertThat(resync.resync()).isTrue();
        assertThat(resync.epoch()).isEqualTo("e2");
        await(() -> client.position("ABCD").equals(new RoomPosition("e2", 3)));
        assertThat(texts()).containsExactly("nine", "three");
    }

    @Test
    void aRoomClosedWhileAwayIsForgottenBeforeTheErrorListenersHearOfIt() throws Exception {
        ScriptedServer.Peer first = connectAndJoin(ClientConfig.builder(server.baseUrl()).reconnect(AT_ONCE));
        BlockingQueue<List<String>> roomsWhenTold = new LinkedBlockingQueue<>();
        client.onError(error -> roomsWhenTold.add(client.rooms()));

        first.cut();
        ScriptedServer.Peer second = server.nextPeer();
        second.next();
        second.welcome("r2", true);
        second.send("{\"t\":\"error\",\"code\":\"room_closed\",\"message\":\"Room ABCD closed while you were away.\"}");

        ServerMessage.Error error = errors.poll(5, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo("room_closed");
        assertThat(roomsWhenTold.poll(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(client.position("ABCD")).isNull();
        second.cut();
        assertThat(server.nextPeer().next().path("rooms").size()).as("the next resume names it no more").isZero();
    }

    @Test
    void aRoomTheResumedSessionIsNoLongerInIsForgottenAndAJoinWaitingForItsReplyBringsItBack() throws Exception {
        ScriptedServer.Peer first = connectAndJoin(ClientConfig.builder(server.baseUrl()).reconnect(AT_ONCE));
        CompletableFuture<ServerMessage.State> joinAgain = client.join("ABCD");
        JsonNode join = first.next();

        first.cut();
        ScriptedServer.Peer second = server.nextPeer();
        second.next();
        second.welcome("r2", true);
        second.send("{\"t\":\"error\",\"code\":\"not_a_member\",\"message\":\"You are no longer in room ABCD.\"}");

        assertThat(errors.poll(5, TimeUnit.SECONDS).code()).isEqualTo("not_a_member");
        assertThat(client.rooms()).isEmpty();
        assertThat(second.next()).as("the join, sent again").isEqualTo(join);
        second.reply(join.path("id").asLong(), SNAPSHOT);
        assertThat(joinAgain.get(5, TimeUnit.SECONDS).room()).isEqualTo("ABCD");
        assertThat(client.rooms()).containsExactly("ABCD");
    }

    @Test
    void aRefusedResumeStartsAFreshSessionFailsWhatWasOnTheWireAndSendsWhatWaitedOnceTheRoomsAreJoinedAgain() throws Exception {
        ReconnectPolicy later = new ReconnectPolicy(true, Duration.ofMillis(300), Duration.ofMillis(300), 1.0, 0.0, 5);
        ScriptedServer.Peer first = connectAndJoin(ClientConfig.builder(server.baseUrl()).reconnect(later));
        CompletableFuture<JsonNode> onTheWire = client.send("ABCD", "message", text("lost?"));
        first.next();

        first.cut();
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        CompletableFuture<JsonNode> waited = client.send("ABCD", "message", text("later"));
        ScriptedServer.Peer second = server.nextPeer();
        assertThat(second.next().path("resume").asText()).isEqualTo("r1");
        second.close(4001, "Resume token unknown or expired; start a new session.");
        ScriptedServer.Peer third = server.nextPeer();

        assertThat(third.uri()).isEqualTo("/ws?ticket=t-2");
        Throwable failure = catchFailure(onTheWire);
        assertThat(failure).isInstanceOfSatisfying(ConnectionClosedException.class,
                closed -> assertThat(closed.closeCode()).isEqualTo(1006));
        third.welcome("r9", false);
        JsonNode join = third.next();
        assertThat(join.path("t").asText()).isEqualTo("join");
        assertThat(join.path("room").asText()).isEqualTo("ABCD");
        assertThat(third.poll(Duration.ofMillis(200))).as("what waited waits for the join's reply").isNull();
        third.reply(join.path("id").asLong(), SNAPSHOT);
        JsonNode send = third.next();
        assertThat(send.path("data").path("text").asText()).isEqualTo("later");
        assertThat(send.path("id").asLong()).as("ids never repeat").isLessThan(join.path("id").asLong());
        third.reply(send.path("id").asLong(), "null");
        assertThat(waited.get(5, TimeUnit.SECONDS)).isNull();
        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isFalse();
        assertThat(reconnected.rejoined()).extracting(ServerMessage.State::room).containsExactly("ABCD");
        assertThat(client.welcome().resume()).isEqualTo("r9");
    }

    @Test
    void noMoreThanMaxInFlightRequestsWaitOnTheWire() throws Exception {
        ScriptedServer.Peer peer = connectAndJoin(ClientConfig.builder(server.baseUrl()).maxInFlight(2));
        List<CompletableFuture<JsonNode>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(client.send("ABCD", "message", text("m" + i)));
        }

        JsonNode m0 = peer.next();
        JsonNode m1 = peer.next();
        assertThat(peer.poll(Duration.ofMillis(200))).as("the window is full").isNull();
        peer.reply(m1.path("id").asLong(), "null");
        JsonNode m2 = peer.next();
        assertThat(peer.poll(Duration.ofMillis(100))).isNull();
        peer.reply(m0.path("id").asLong(), "null");
        peer.reply(m2.path("id").asLong(), "null");
        JsonNode m3 = peer.next();
        JsonNode m4 = peer.next();

        assertThat(List.of(m0, m1, m2, m3, m4)).extracting(frame -> frame.path("data").path("text").asText())
                .containsExactly("m0", "m1", "m2", "m3", "m4");
        peer.reply(m3.path("id").asLong(), "null");
        peer.reply(m4.path("id").asLong(), "null");
        assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
    }

    @Test
    void withoutReconnectsADropStillFailsTheRequestsWaiting() throws Exception {
        ScriptedServer.Peer peer = connectAndJoin(ClientConfig.builder(server.baseUrl()).noReconnect());
        CompletableFuture<JsonNode> waiting = client.send("ABCD", "message", text("hi"));
        peer.next();

        peer.cut();

        assertThat(catchFailure(waiting)).isInstanceOf(ConnectionClosedException.class);
        assertThat(client.closed()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(1006, ""));
        assertThat(server.pollPeer(Duration.ofMillis(200))).isNull();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Connects with ticket t-1 (welcome with token r1) and joins ABCD at epoch e1, seq 3. */
    private ScriptedServer.Peer connectAndJoin(ClientConfig.Builder config) throws Exception {
        client = new PartylineClient(config.requestTimeout(WAIT).build());
        client.onEvent(events::add);
        client.onState(states::add);
        client.onError(errors::add);
        client.onReconnect(reconnects::add);
        client.onClose((code, reason, reconnecting) -> closes.add(code + " " + reason + " " + reconnecting));
        CompletableFuture<ServerMessage.Welcome> connected = client.connect();
        ScriptedServer.Peer peer = server.nextPeer();
        assertThat(peer.uri()).isEqualTo("/ws?ticket=t-1");
        peer.welcome("r1", false);
        connected.get(5, TimeUnit.SECONDS);
        CompletableFuture<ServerMessage.State> joined = client.join("ABCD");
        JsonNode join = peer.next();
        peer.reply(join.path("id").asLong(), SNAPSHOT);
        assertThat(joined.get(5, TimeUnit.SECONDS).seq()).isEqualTo(3);
        return peer;
    }

    private void awaitPosition(long seq) throws InterruptedException {
        await(() -> client.position("ABCD") != null && client.position("ABCD").seq() == seq);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT.toMillis() + " ms");
            }
            Thread.sleep(5);
        }
    }

    private List<String> texts() {
        return events.stream().map(event -> event.data().path("text").asText()).toList();
    }

    private static JsonNode text(String text) {
        return Json.nodes().objectNode().put("text", text);
    }

    private static Throwable catchFailure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future did not fail");
    }
}
