package dev.partyline.app;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.AuthMode;
import dev.partyline.client.ClientConfig;
import dev.partyline.client.CloseStatus;
import dev.partyline.client.ConnectionClosedException;
import dev.partyline.client.PartylineClient;
import dev.partyline.client.PartylineException;
import dev.partyline.client.ReconnectPolicy;
import dev.partyline.client.Reconnected;
import dev.partyline.client.Registration;
import dev.partyline.client.RequestTimeoutException;
import dev.partyline.client.TicketRefusedException;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.core.limit.Limits;
import dev.partyline.protocol.ClientMessage.RoomPosition;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java client SDK ({@link PartylineClient}) against the real server over real sockets: both
 * ways to present a ticket, every request and its replies, error replies, events, every close
 * code a client can meet, reconnects, and many clients on a few threads. Faults on the network
 * (silence, latency, a cut connection) come from a {@link LoopbackProxy} between the two.
 */
@ExtendWith(NettyLeakCheck.class)
class JavaClientEndToEndTest {
    private static final Duration WAIT = ClientTestServer.WAIT;
    /** Reconnects at once and keeps trying for a few seconds. */
    private static final ReconnectPolicy FAST =
            new ReconnectPolicy(true, Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.5, 100);
    private static final String ROOM_CODE = "[A-HJ-NP-Z]{4}";
    private static final String SHUTTING_DOWN = "Server shutting down.";
    private static final String TICKET_REFUSED = "Ticket unknown, expired or already used; get a new one.";

    private static ClientTestServer server;
    private static ClientTestServer jwt;

    /** Closed after each test, the last opened first: clients, then proxies, then nodes of its own. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @BeforeAll
    static void start() throws Exception {
        server = ClientTestServer.start();
        jwt = ClientTestServer.startWithJwt();
        // Warm up: the first connection of a JVM is slow (class loading), and some tests time it.
        try (PartylineClient warm = PartylineClient.connect(server.client("Warm").build())) {
            warm.ping().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (jwt != null) {
            jwt.close();
        }
    }

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    // ---- connecting -------------------------------------------------------------------------

    @Test
    void connectsWithTheTicketInTheUrlAndAnOriginHeader() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient alice = client(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT).build());

        ServerMessage.Welcome welcome = done(alice.connect());

        assertThat(welcome.player().name()).isEqualTo("Alice");
        assertThat(welcome.player().id()).isNotBlank();
        assertThat(welcome.resumed()).isFalse();
        assertThat(alice.playerId()).isEqualTo(welcome.player().id());
        assertThat(alice.playerName()).isEqualTo("Alice");
        assertThat(alice.session()).isNotBlank();
        assertThat(alice.heartbeatMs()).isEqualTo(Limits.DEFAULTS.heartbeatInterval().toMillis());
        assertThat(alice.node()).isEqualTo(server.server().nodeId());
        assertThat(alice.isConnected()).isTrue();
        LoopbackProxy.Upgrade upgrade = proxy.upgrade();
        assertThat(upgrade.requestLine()).matches("GET /ws\\?ticket=[A-Za-z0-9_-]{43} HTTP/1\\.1");
        assertThat(upgrade.header("Origin")).isEqualTo(proxy.baseUrl());
        assertThat(upgrade.frames()).isEmpty();
    }

    @Test
    void firstFrameModeSendsTheTicketInAnAuthFrameNotInTheUrl() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient alice = client(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .authMode(AuthMode.FIRST_FRAME).build());

        ServerMessage.Welcome welcome = done(alice.connect());

        assertThat(welcome.player().name()).isEqualTo("Alice");
        LoopbackProxy.Upgrade upgrade = proxy.upgrade();
        assertThat(upgrade.requestLine()).isEqualTo("GET /ws HTTP/1.1");
        assertThat(upgrade.frames()).hasSize(1);
        JsonNode auth = Json.mapper().readTree(upgrade.frames().get(0).text());
        assertThat(auth.path("t").asText()).isEqualTo("auth");
        assertThat(auth.path("ticket").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(done(alice.ping())).isPositive();
    }

    @Test
    void aBearerTokenConnectsAsItsPlayer() throws Exception {
        PartylineClient ann = connect(jwt.client("ignored").bearerToken(ClientTestServer.token("user-7", "Ann Lee")).build());

        assertThat(ann.playerId()).isEqualTo("user-7");
        assertThat(ann.playerName()).isEqualTo("Ann Lee");
    }

    @Test
    void aRefusedTicketRequestFailsTheConnectWithTheHttpStatus() {
        assertThatThrownBy(() -> connect(jwt.client("Ann").build()))
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.code()).isEqualTo("unauthorized");
                    assertThat(refused.getMessage()).contains("Authorization: Bearer");
                });
    }

    @Test
    void aForeignOriginIsRefusedWith403NamingTheOriginAndTheSetting() {
        PartylineClient mallory = client(server.client("Mallory").origin("http://evil.example").build());

        PartylineException failure = failureOf(mallory.connect());

        assertThat(failure).isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("origin_not_allowed");
            assertThat(refused.getMessage()).contains("http://evil.example", "--allowed-origin");
        });
        assertThat(mallory.closed()).succeedsWithin(WAIT);
    }

    @Test
    void aTicketThatExpiredBeforeTheUpgradeFailsTheConnectWith4001() throws Exception {
        ClientTestServer strict = own(ClientTestServer.start(config -> config.withLimits(
                ClientTestServer.withTicketTtl(config.limits(), Duration.ofMillis(10)))));
        LoopbackProxy slow = proxyTo(strict);
        slow.delay(Duration.ofMillis(100)); // the ticket's way back and the upgrade take 200 ms at least
        PartylineClient alice = client(ClientConfig.builder(slow.baseUrl()).name("Alice").requestTimeout(WAIT).build());

        PartylineException failure = failureOf(alice.connect());

        assertThat(failure).isInstanceOfSatisfying(ConnectionClosedException.class, closed -> {
            assertThat(closed.closeCode()).isEqualTo(4001);
            assertThat(closed.reason()).isEqualTo(TICKET_REFUSED);
        });
        assertThat(alice.closed()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(4001, TICKET_REFUSED));
    }

    @Test
    void anUnreachableServerFailsTheConnect() throws Exception {
        PartylineClient alice = client(ClientConfig.builder("http://127.0.0.1:" + freePort()).requestTimeout(WAIT).build());

        assertThat(failureOf(alice.connect()).code()).isEqualTo(PartylineException.CONNECT_FAILED);
        assertThat(alice.closed()).succeedsWithin(WAIT);
    }

    @Test
    void aRequestBeforeConnectingFailsAtOnce() {
        PartylineClient alice = client(server.client("Alice").build());

        assertThat(failureOf(alice.ping()).code()).isEqualTo(PartylineException.NOT_CONNECTED);
    }

    // ---- requests ---------------------------------------------------------------------------

    @Test
    void createJoinSendPingAndLeaveCompleteWithTheirReplies() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient alice = connect(server.client("Alice").build());
        PartylineClient bob = connect(ClientConfig.builder(proxy.baseUrl()).name("Bob").requestTimeout(WAIT).build());
        BlockingQueue<ServerMessage.Event> aliceSees = events(alice);

        ServerMessage.State created = done(alice.create("chat", Json.nodes().objectNode().put("title", "Book club")));
        String code = created.room();
        ServerMessage.State joined = done(bob.join(" " + code.toLowerCase() + " "));
        JsonNode said = done(bob.send(code, "message", Json.nodes().objectNode().put("text", "  hi  ")));
        Duration roundTrip = done(bob.ping());
        done(bob.leave(code.toLowerCase()));

        assertThat(code).matches(ROOM_CODE);
        assertThat(created.type()).isEqualTo("chat");
        assertThat(created.you()).isEqualTo(alice.playerId());
        assertThat(created.members()).containsExactly(new ServerMessage.MemberInfo(alice.playerId(), "Alice", true, true));
        assertThat(created.state().path("title").asText()).isEqualTo("Book club");
        assertThat(joined.room()).isEqualTo(code);
        assertThat(joined.epoch()).isEqualTo(created.epoch());
        assertThat(joined.members()).extracting(ServerMessage.MemberInfo::id)
                .containsExactlyInAnyOrder(alice.playerId(), bob.playerId());
        assertThat(said).isNull();
        assertThat(roundTrip).isPositive();
        assertThat(bob.rooms()).isEmpty();
        assertThat(bob.position(code)).isNull();
        assertThat(alice.rooms()).containsExactly(code);
        assertThat(nextEvent(aliceSees, "joined").from()).isEqualTo(bob.playerId());
        ServerMessage.Event message = nextEvent(aliceSees, "message");
        assertThat(message.from()).isEqualTo(bob.playerId());
        assertThat(message.data().path("text").asText()).isEqualTo("hi");
        assertThat(message.data().path("name").asText()).isEqualTo("Bob");
        assertThat(nextEvent(aliceSees, "left").from()).isEqualTo(bob.playerId());
        assertThat(alice.position(code)).isEqualTo(new RoomPosition(created.epoch(), created.seq() + 3));
        List<JsonNode> requests = new ArrayList<>();
        for (LoopbackProxy.Frame frame : proxy.upgrade().frames()) {
            requests.add(Json.mapper().readTree(frame.text()));
        }
        assertThat(requests).extracting(request -> request.path("t").asText() + " #" + request.path("id").asLong())
                .containsExactly("join #1", "send #2", "ping #3", "leave #4");
        assertThat(requests.get(0).path("room").asText()).isEqualTo(" " + code.toLowerCase() + " ");
        assertThat(requests.get(1).path("data").path("text").asText()).isEqualTo("  hi  ");
    }

    @Test
    void errorRepliesFailWithTheServersCodeAndMessageAndTheConnectionStaysOpen() throws Exception {
        PartylineClient alice = connect(server.client("Alice").build());
        PartylineClient bob = connect(server.client("Bob").build());
        String code = done(alice.create("chat", null)).room();
        done(bob.join(code));

        PartylineException missing = failureOf(alice.join("ZZZZ"));
        PartylineException invalid = failureOf(alice.join("no!"));
        PartylineException unknownType = failureOf(alice.create("poker", null));
        PartylineException unknownMessage = failureOf(alice.send(code, "dance", null));
        PartylineException tooLong = failureOf(alice.send(code, "message", Json.nodes().objectNode().put("text", "x".repeat(501))));
        PartylineException notHost = failureOf(bob.send(code, "rename", Json.nodes().objectNode().put("title", "Mine")));
        PartylineException notMember = failureOf(bob.send("ZZZZ", "message", Json.nodes().objectNode().put("text", "hi")));

        assertThat(missing.code()).isEqualTo("room_not_found");
        assertThat(missing.getMessage()).isEqualTo("There is no room ZZZZ. Check the code.");
        assertThat(invalid.code()).isEqualTo("invalid_code");
        assertThat(unknownType.code()).isEqualTo("unknown_room_type");
        assertThat(unknownType.getMessage()).contains("poker", "chat");
        assertThat(unknownMessage.code()).isEqualTo("unknown_message");
        assertThat(tooLong.code()).isEqualTo("text_too_long");
        assertThat(notHost.code()).isEqualTo("not_host");
        assertThat(notHost.getMessage()).isEqualTo("Only the host can rename the room.");
        assertThat(notMember.code()).isEqualTo("not_a_member");
        assertThat(List.of(missing, invalid, unknownType, unknownMessage, tooLong, notHost, notMember))
                .allSatisfy(failure -> assertThat(failure).isExactlyInstanceOf(PartylineException.class));
        assertThat(alice.rooms()).containsExactly(code);
        assertThat(done(alice.ping())).isPositive();
        assertThat(done(bob.ping())).isPositive();
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void aRequestWithoutAReplyTimesOutAndItsLateReplyIsIgnored() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice")
                .requestTimeout(Duration.ofSeconds(1)).build());
        proxy.pause();

        PartylineException failure = failureOf(alice.ping());

        assertThat(failure).isInstanceOf(RequestTimeoutException.class);
        assertThat(failure.code()).isEqualTo(PartylineException.TIMEOUT);
        assertThat(failure.getMessage()).isEqualTo("No reply to ping (#1) within 1000 ms");
        proxy.resume();
        assertThat(done(alice.ping())).isPositive();
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void aRequestInFlightWhenTheConnectionIsCutFailsWith1006() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .noReconnect().build());
        BlockingQueue<String> closes = closes(alice);
        proxy.pause();
        CompletableFuture<Duration> ping = alice.ping();
        await().atMost(WAIT).until(() -> proxy.heldBytes() > 0);

        proxy.cutAll();

        assertThat(failureOf(ping)).isInstanceOfSatisfying(ConnectionClosedException.class,
                closed -> assertThat(closed.closeCode()).isEqualTo(1006));
        assertThat(alice.closed()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(1006, ""));
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  false");
        proxy.resume();
    }

    // ---- events -----------------------------------------------------------------------------

    @Test
    void eventsArriveInOrderOnTheClientsThreadAndAdvanceTheRoomPosition() throws Exception {
        PartylineClient alice = connect(server.client("Alice").build());
        PartylineClient bob = client(server.client("Bob").build());
        BlockingQueue<ServerMessage.Event> bobSees = new LinkedBlockingQueue<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        bob.onEvent(event -> {
            threads.add(Thread.currentThread().getName());
            bobSees.add(event);
        });
        done(bob.connect());
        String code = done(alice.create("chat", null)).room();
        ServerMessage.State joined = done(bob.join(code));

        List<CompletableFuture<JsonNode>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(alice.send(code, "message", Json.nodes().objectNode().put("text", "m" + i)));
        }

        for (int i = 0; i < 10; i++) {
            ServerMessage.Event event = bobSees.poll(5, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(event.room()).isEqualTo(code);
            assertThat(event.name()).isEqualTo("message");
            assertThat(event.from()).isEqualTo(alice.playerId());
            assertThat(event.seq()).isEqualTo(joined.seq() + 1 + i);
            assertThat(event.data().path("text").asText()).isEqualTo("m" + i);
        }
        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(bob.position(code)).isEqualTo(new RoomPosition(joined.epoch(), joined.seq() + 10));
        assertThat(bob.positions()).containsOnlyKeys(code);
        assertThat(threads).singleElement().asString().startsWith("partyline-client");
    }

    @Test
    void aRemovedListenerIsNoLongerCalled() throws Exception {
        PartylineClient alice = connect(server.client("Alice").build());
        PartylineClient bob = connect(server.client("Bob").build());
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        BlockingQueue<String> second = new LinkedBlockingQueue<>();
        Registration registration = bob.onEvent(event -> first.add(event.name()));
        bob.onEvent(event -> second.add(event.name()));
        String code = done(alice.create("chat", null)).room();
        done(bob.join(code));

        registration.remove();
        done(alice.send(code, "message", Json.nodes().objectNode().put("text", "hi")));

        assertThat(second.poll(5, TimeUnit.SECONDS)).isEqualTo("message");
        assertThat(first).isEmpty();
    }

    @Test
    void aListenerMayChainRequestsOnTheEventLoop() throws Exception {
        PartylineClient alice = connect(server.client("Alice").build());
        PartylineClient bob = connect(server.client("Bob").build());
        BlockingQueue<ServerMessage.Event> aliceSees = events(alice);
        CompletableFuture<Duration> answered = new CompletableFuture<>();
        bob.onEvent(event -> {
            if (event.name().equals("message") && event.data().path("text").asText().equals("ping?")) {
                bob.send(event.room(), "message", Json.nodes().objectNode().put("text", "pong!"))
                        .thenCompose(reply -> bob.ping())
                        .whenComplete((roundTrip, failure) -> {
                            if (failure != null) {
                                answered.completeExceptionally(failure);
                            } else {
                                answered.complete(roundTrip);
                            }
                        });
            }
        });
        String code = done(alice.create("chat", null)).room();
        done(bob.join(code));

        done(alice.send(code, "message", Json.nodes().objectNode().put("text", "ping?")));

        assertThat(answered).succeedsWithin(WAIT);
        ServerMessage.Event reply = nextEvent(aliceSees, "message", event -> event.from().equals(bob.playerId()));
        assertThat(reply.data().path("text").asText()).isEqualTo("pong!");
    }

    // ---- closing ----------------------------------------------------------------------------

    @Test
    void closeSendsANormalClosureSoTheOthersSeeTheMemberLeaveAtOnce() throws Exception {
        PartylineClient alice = connect(server.client("Alice").build());
        PartylineClient bob = connect(server.client("Bob").build());
        BlockingQueue<String> bobCloses = closes(bob);
        BlockingQueue<ServerMessage.Event> aliceSees = events(alice);
        String code = done(alice.create("chat", null)).room();
        done(bob.join(code));
        assertThat(nextEvent(aliceSees, "joined").from()).isEqualTo(bob.playerId());

        bob.close();

        // "left" rather than "away": the server read close 1000 and ended the session.
        ServerMessage.Event next = aliceSees.poll(5, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(next.name()).isEqualTo("left");
        assertThat(next.from()).isEqualTo(bob.playerId());
        assertThat(bob.closed()).succeedsWithin(WAIT).extracting(CloseStatus::code).isEqualTo(1000);
        assertThat(bobCloses.poll(5, TimeUnit.SECONDS)).startsWith("1000 ").endsWith(" false");
        assertThat(bob.isConnected()).isFalse();
        assertThat(failureOf(bob.ping()).code()).isEqualTo(PartylineException.NOT_CONNECTED);
        bob.close(); // idempotent
    }

    @Test
    void aSessionResumedElsewhereClosesTheClientWith4004AndItDoesNotReconnect() throws Exception {
        PartylineClient alice = connect(server.client("Alice").reconnect(FAST).build());
        BlockingQueue<String> closes = closes(alice);
        String resumeToken = alice.welcome().resume();

        try (RawWebSocket elsewhere = RawWebSocket.open(server.webSocketUrl(null), server.baseUrl())) {
            elsewhere.sendText(Json.nodes().objectNode().put("t", "auth").put("resume", resumeToken).toString());
            JsonNode welcome = Json.mapper().readTree(elsewhere.nextText(WAIT));
            assertThat(welcome.path("resumed").asBoolean()).isTrue();

            String reason = "This session connected again elsewhere.";
            assertThat(alice.closed()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(4004, reason));
            assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("4004 " + reason + " false");
            assertThat(alice.isConnected()).isFalse();
        }
    }

    @Test
    void aServerShuttingDownClosesTheClientWith1001() throws Exception {
        ClientTestServer node = own(ClientTestServer.start());
        PartylineClient alice = connect(node.client("Alice").noReconnect().build());
        BlockingQueue<String> closes = closes(alice);

        node.close();

        assertThat(alice.closed()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(1001, SHUTTING_DOWN));
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1001 " + SHUTTING_DOWN + " false");
    }

    // ---- resuming and reconnecting ----------------------------------------------------------

    @Test
    void aCutConnectionResumesTheSessionAndCatchesUpOnWhatItMissed() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient bob = connect(server.client("Bob").build());
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(FAST).build());
        BlockingQueue<String> closes = closes(alice);
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onReconnect(reconnects::add);
        BlockingQueue<ServerMessage.Event> aliceSees = events(alice);
        BlockingQueue<ServerMessage.State> aliceStates = new LinkedBlockingQueue<>();
        alice.onState(aliceStates::add);
        BlockingQueue<ServerMessage.Event> bobSees = events(bob);
        List<String> bobSeesAll = new CopyOnWriteArrayList<>();
        bob.onEvent(event -> bobSeesAll.add(event.name() + " " + event.room() + " " + event.from()));
        String first = done(bob.create("chat", null)).room();
        String second = done(bob.create("chat", null)).room();
        ServerMessage.State joinedFirst = done(alice.join(first));
        done(alice.join(second));
        String player = alice.playerId();
        String session = alice.session();
        String token = alice.welcome().resume();

        proxy.cutAll();
        proxy.pause(); // holds the reconnect until the others have talked

        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        await().atMost(WAIT).until(() -> bobSeesAll.containsAll(
                List.of("away " + first + " " + player, "away " + second + " " + player)));
        done(bob.send(first, "message", text("while you were away 1")));
        done(bob.send(first, "message", text("while you were away 2")));
        done(bob.send(second, "message", text("while you were away 3")));
        CompletableFuture<JsonNode> queued = alice.send(first, "message", text("sent while reconnecting"));
        proxy.resume();
        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);

        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isTrue();
        assertThat(reconnected.attempts()).isEqualTo(1);
        assertThat(reconnected.welcome().player().id()).isEqualTo(player);
        assertThat(reconnected.welcome().session()).isEqualTo(session);
        assertThat(reconnected.welcome().resume()).as("the token rotates").isNotEqualTo(token);
        assertThat(alice.welcome()).isEqualTo(reconnected.welcome());
        assertThat(reconnected.rejoined()).isEmpty();
        assertThat(reconnected.failed()).isEmpty();
        assertThat(done(queued)).as("a request made while reconnecting goes out after the resume").isNull();
        ServerMessage.Event queuedSeen = nextEvent(bobSees, "message", event -> event.from().equals(player));
        assertThat(queuedSeen.data().path("text").asText()).isEqualTo("sent while reconnecting");
        await().atMost(WAIT).until(() -> bobSeesAll.containsAll(
                List.of("back " + first + " " + player, "back " + second + " " + player)));
        await().atMost(WAIT).until(() -> alice.positions().equals(bob.positions()));
        List<ServerMessage.Event> seenInFirst = new ArrayList<>();
        for (ServerMessage.Event event : aliceSees) {
            if (event.room().equals(first)) {
                seenInFirst.add(event);
            }
        }
        assertThat(seenInFirst).as("every event once, none lost, in seq order")
                .extracting(event -> event.seq() + " " + event.name() + " " + event.data().path("text").asText(""))
                .containsExactly(
                        (joinedFirst.seq() + 1) + " away ",
                        (joinedFirst.seq() + 2) + " message while you were away 1",
                        (joinedFirst.seq() + 3) + " message while you were away 2",
                        (joinedFirst.seq() + 4) + " back ",
                        (joinedFirst.seq() + 5) + " message sent while reconnecting");
        assertThat(aliceSees).filteredOn(event -> event.room().equals(second))
                .extracting(event -> event.name() + " " + event.data().path("text").asText(""))
                .containsExactly("away ", "message while you were away 3", "back ");
        assertThat(aliceStates).as("a replay needs no snapshot").isEmpty();
        assertThat(bobSeesAll).as("away and back, never left").noneMatch(seen -> seen.startsWith("left "));
        assertThat(bobSeesAll).filteredOn(seen -> seen.startsWith("joined ")).as("nor joined again").hasSize(2);
        assertThat(alice.rooms()).containsExactlyInAnyOrder(first, second);
        LoopbackProxy.Upgrade resume = proxy.upgrades().get(1);
        assertThat(resume.requestLine()).isEqualTo("GET /ws HTTP/1.1");
        JsonNode auth = Json.mapper().readTree(resume.frames().get(0).text());
        assertThat(auth.path("t").asText()).isEqualTo("auth");
        assertThat(auth.path("resume").asText()).isEqualTo(token);
        assertThat(auth.has("ticket")).isFalse();
        assertThat(auth.path("rooms").path(first).path("epoch").asText()).isEqualTo(joinedFirst.epoch());
        assertThat(auth.path("rooms").path(first).path("seq").asLong()).isEqualTo(joinedFirst.seq());
        assertThat(auth.path("rooms").size()).isEqualTo(2);
    }

    @Test
    void aRequestWhoseReplyWasLostIsSentAgainUnderItsIdAndRunsOnce() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        PartylineClient bob = connect(server.client("Bob").build());
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(FAST).build());
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onReconnect(reconnects::add);
        BlockingQueue<ServerMessage.Event> aliceSees = events(alice);
        BlockingQueue<ServerMessage.Event> bobSees = events(bob);
        String code = done(bob.create("chat", null)).room();
        done(alice.join(code));
        proxy.pauseDownstream();

        CompletableFuture<JsonNode> said = alice.send(code, "message", text("exactly once"));
        ServerMessage.Event ran = nextEvent(bobSees, "message");
        proxy.cutAll();
        proxy.resume();

        assertThat(ran.data().path("text").asText()).as("the server ran it before the cut").isEqualTo("exactly once");
        assertThat(done(said)).as("answered after the resume, from the server's memory").isNull();
        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isTrue();
        done(bob.send(code, "message", text("after")));
        assertThat(nextEvent(bobSees, "message").data().path("text").asText())
                .as("no second run between").isEqualTo("after");
        await().atMost(WAIT).until(() -> alice.positions().equals(bob.positions()));
        assertThat(aliceSees).filteredOn(event -> event.name().equals("message"))
                .extracting(event -> event.data().path("text").asText())
                .containsExactly("exactly once", "after");
        List<LoopbackProxy.Upgrade> upgrades = proxy.upgrades();
        assertThat(upgrades).hasSize(2);
        JsonNode before = lastRequest(upgrades.get(0), "send");
        JsonNode again = lastRequest(upgrades.get(1), "send");
        assertThat(again.path("id").asLong()).isEqualTo(before.path("id").asLong());
        assertThat(again).isEqualTo(before);
    }

    @Test
    void aSessionPastItsGraceStartsOverWithAFreshTicketAndRejoinsItsRooms() throws Exception {
        ClientTestServer brief = own(ClientTestServer.start(config -> config.withLimits(
                ClientTestServer.withSessionGrace(config.limits(), Duration.ofMillis(200)))));
        LoopbackProxy proxy = proxyTo(brief);
        PartylineClient bob = connect(brief.client("Bob").build());
        // Comes back well after the server let the session go.
        ReconnectPolicy late = new ReconnectPolicy(true, Duration.ofMillis(1000), Duration.ofMillis(1000), 1.0, 0.0, 10);
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(late).build());
        BlockingQueue<String> closes = closes(alice);
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onReconnect(reconnects::add);
        BlockingQueue<ServerMessage.Event> bobSees = events(bob);
        String first = done(bob.create("chat", null)).room();
        String second = done(bob.create("chat", null)).room();
        done(alice.join(first));
        done(alice.join(second));
        String before = alice.playerId();
        String token = alice.welcome().resume();
        proxy.pauseDownstream();
        CompletableFuture<JsonNode> unknownOutcome = alice.send(first, "message", text("reply lost"));
        assertThat(nextEvent(bobSees, "message").data().path("text").asText()).isEqualTo("reply lost");

        proxy.cutAll();
        proxy.resume();

        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        CompletableFuture<JsonNode> waiting = alice.send(first, "message", text("sent while reconnecting"));
        assertThat(nextEvent(bobSees, "away", event -> event.room().equals(first)).from()).isEqualTo(before);
        assertThat(nextEvent(bobSees, "left", event -> event.room().equals(first)).from())
                .as("the grace ended").isEqualTo(before);
        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isFalse();
        assertThat(reconnected.attempts()).isEqualTo(1);
        assertThat(reconnected.welcome().player().name()).isEqualTo("Alice");
        assertThat(reconnected.welcome().player().id()).as("a guest's fresh ticket is a new player").isNotEqualTo(before);
        assertThat(reconnected.rejoined()).extracting(ServerMessage.State::room).containsExactlyInAnyOrder(first, second);
        assertThat(reconnected.failed()).isEmpty();
        assertThat(alice.isConnected()).isTrue();
        assertThat(alice.playerId()).isEqualTo(reconnected.welcome().player().id());
        assertThat(alice.rooms()).containsExactlyInAnyOrder(first, second);
        assertThat(failureOf(unknownOutcome)).as("its session ended: nobody can tell whether it ran")
                .isInstanceOfSatisfying(ConnectionClosedException.class,
                        closed -> assertThat(closed.closeCode()).isEqualTo(1006));
        assertThat(done(waiting)).as("a request that never left goes to the new session").isNull();
        assertThat(nextEvent(bobSees, "joined", event -> event.room().equals(first)).from()).isEqualTo(alice.playerId());
        ServerMessage.Event sent = nextEvent(bobSees, "message");
        assertThat(sent.from()).isEqualTo(alice.playerId());
        assertThat(sent.data().path("text").asText()).isEqualTo("sent while reconnecting");
        List<LoopbackProxy.Upgrade> upgrades = proxy.upgrades();
        assertThat(upgrades).hasSize(3);
        assertThat(Json.mapper().readTree(upgrades.get(1).frames().get(0).text()).path("resume").asText()).isEqualTo(token);
        assertThat(upgrades.get(2).requestLine()).matches("GET /ws\\?ticket=[A-Za-z0-9_-]{43} HTTP/1\\.1");
        List<String> sentOnTheNewSession = new ArrayList<>();
        for (LoopbackProxy.Frame frame : upgrades.get(2).frames()) {
            sentOnTheNewSession.add(Json.mapper().readTree(frame.text()).path("t").asText());
        }
        assertThat(sentOnTheNewSession).as("the rooms are joined again before anything else goes")
                .containsExactly("join", "join", "send");
    }

    @Test
    void aResumeTheRoomLogCannotServeGetsAResyncSnapshotLikeAFreshJoinSees() throws Exception {
        ClientTestServer shortLog = own(ClientTestServer.start(config -> config.withRooms(
                config.rooms().withEventLog(5, Duration.ofMinutes(10)))));
        LoopbackProxy proxy = proxyTo(shortLog);
        PartylineClient bob = connect(shortLog.client("Bob").build());
        PartylineClient alice = client(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(FAST).build());
        BlockingQueue<ServerMessage.State> aliceStates = new LinkedBlockingQueue<>();
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onState(aliceStates::add);
        alice.onReconnect(reconnects::add);
        BlockingQueue<ServerMessage.Event> aliceSees = events(alice);
        BlockingQueue<ServerMessage.Event> bobSees = events(bob);
        done(alice.connect());
        String code = done(bob.create("chat", null)).room();
        done(alice.join(code));
        done(bob.send(code, "message", text("before the cut")));
        nextEvent(aliceSees, "message");

        proxy.cutAll();
        proxy.pause(); // holds the reconnect until Bob has said more than the log keeps
        assertThat(nextEvent(bobSees, "away").from()).isEqualTo(alice.playerId());
        for (int i = 0; i < 8; i++) {
            done(bob.send(code, "message", text("m" + i)));
        }
        proxy.resume();

        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isTrue();
        ServerMessage.State resync = aliceStates.poll(5, TimeUnit.SECONDS);
        assertThat(resync).as("the log kept 5 events, 9 were missed").isNotNull();
        assertThat(resync.resync()).isTrue();
        assertThat(resync.room()).isEqualTo(code);
        assertThat(resync.you()).isEqualTo(alice.playerId());
        assertThat(resync.members()).contains(new ServerMessage.MemberInfo(alice.playerId(), "Alice", true, false));
        assertThat(resync.state().path("messages").findValuesAsText("text"))
                .containsExactly("before the cut", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
        assertThat(nextEvent(bobSees, "back").from()).isEqualTo(alice.playerId());
        assertThat(nextEvent(aliceSees, "back").seq()).as("live events go on after the snapshot").isEqualTo(resync.seq() + 1);
        assertThat(aliceSees).noneMatch(event -> event.name().equals("message"));
        assertThat(alice.position(code)).isEqualTo(new RoomPosition(resync.epoch(), resync.seq() + 1));
        PartylineClient carol = connect(shortLog.client("Carol").build());
        ServerMessage.State fresh = done(carol.join(code));
        assertThat(fresh.epoch()).isEqualTo(resync.epoch());
        assertThat(fresh.state()).as("what a fresh join sees").isEqualTo(resync.state());
        assertThat(fresh.members()).filteredOn(member -> !member.id().equals(carol.playerId()))
                .containsExactlyElementsOf(resync.members());
    }

    @Test
    void aRoomThatClosedWhileTheClientWasAwayIsReportedAndForgotten() throws Exception {
        ClientTestServer quick = own(ClientTestServer.start(config -> config.withRooms(
                config.rooms().withEmptyRoomGrace(Duration.ofMillis(100)))));
        LoopbackProxy proxy = proxyTo(quick);
        PartylineClient bob = connect(quick.client("Bob").build());
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(FAST).build());
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onReconnect(reconnects::add);
        BlockingQueue<ServerMessage.Error> errors = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        String lonely = done(alice.create("chat", null)).room();
        String shared = done(bob.create("chat", null)).room();
        done(alice.join(shared));

        proxy.cutAll();
        proxy.pause(); // holds the reconnect until the room nobody is online in has closed
        await().atMost(WAIT).until(() -> quick.server().roomCount() == 1);
        proxy.resume();

        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.resumed()).isTrue();
        ServerMessage.Error error = errors.poll(5, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo("room_closed");
        assertThat(error.message()).isEqualTo("Room " + lonely + " closed while you were away.");
        assertThat(alice.rooms()).containsExactly(shared);
        assertThat(alice.position(lonely)).isNull();
        done(alice.send(shared, "message", text("still here")));
        assertThat(failureOf(alice.send(lonely, "message", text("anyone?"))).code()).isEqualTo("not_a_member");
    }

    @Test
    void afterARestartTheClientReconnectsAndForgetsTheRoomsThatAreGone() throws Exception {
        ClientTestServer node = own(ClientTestServer.start());
        PartylineClient alice = connect(node.client("Alice").reconnect(FAST).build());
        BlockingQueue<String> closes = closes(alice);
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onReconnect(reconnects::add);
        String code = done(alice.create("chat", null)).room();

        node.close();
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1001 " + SHUTTING_DOWN + " true");
        ClientTestServer restarted = own(node.restart());

        Reconnected reconnected = reconnects.poll(10, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.welcome().node()).isEqualTo(restarted.server().nodeId());
        assertThat(reconnected.rejoined()).isEmpty();
        assertThat(reconnected.failed()).containsOnlyKeys(code);
        assertThat(reconnected.failed().get(code).code()).isEqualTo("room_not_found");
        assertThat(alice.rooms()).isEmpty();
        assertThat(alice.isConnected()).isTrue();
        assertThat(done(alice.ping())).isPositive();
    }

    @Test
    void aTicketThatExpiresDuringAReconnectEndsTheClientWith4001WithoutRetrying() throws Exception {
        // The resume comes too late for a session grace of 100 ms, and then the fresh ticket too late too.
        ClientTestServer strict = own(ClientTestServer.start(config -> config.withLimits(ClientTestServer.withSessionGrace(
                ClientTestServer.withTicketTtl(config.limits(), Duration.ofMillis(500)), Duration.ofMillis(100)))));
        LoopbackProxy proxy = proxyTo(strict);
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(FAST).build());
        BlockingQueue<String> closes = closes(alice);

        proxy.delay(Duration.ofMillis(400)); // the ticket's way back and the upgrade now take 800 ms at least
        proxy.cutAll();

        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        assertThat(alice.closed()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(4001, TICKET_REFUSED));
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("4001 " + TICKET_REFUSED + " false");
        int accepted = proxy.accepted();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> proxy.accepted() == accepted);
    }

    @Test
    void closingWhileReconnectingStopsTheAttempts() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        ReconnectPolicy slow = new ReconnectPolicy(true, Duration.ofSeconds(30), Duration.ofSeconds(30), 2.0, 0.0, 5);
        PartylineClient alice = connect(ClientConfig.builder(proxy.baseUrl()).name("Alice").requestTimeout(WAIT)
                .reconnect(slow).build());
        BlockingQueue<String> closes = closes(alice);
        proxy.cutAll();
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006  true");
        int accepted = proxy.accepted();

        alice.close();

        assertThat(alice.closed()).succeedsWithin(WAIT).extracting(CloseStatus::code).isEqualTo(1000);
        assertThat(closes.poll(5, TimeUnit.SECONDS)).startsWith("1000 ").endsWith(" false");
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> proxy.accepted() == accepted);
    }

    // ---- many clients -----------------------------------------------------------------------

    @Test
    void aHundredClientsShareOneTwoThreadEventLoopGroup() throws Exception {
        EventLoopGroup shared = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("shared-client", true),
                NioIoHandler.newFactory());
        List<PartylineClient> many = new ArrayList<>();
        Set<String> listenerThreads = ConcurrentHashMap.newKeySet();
        try {
            List<CompletableFuture<ServerMessage.Welcome>> welcomes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                PartylineClient client = new PartylineClient(server.client("bot" + i).eventLoopGroup(shared)
                        .requestTimeout(Duration.ofSeconds(20)).build());
                client.onClose((code, reason, reconnecting) -> listenerThreads.add(Thread.currentThread().getName()));
                many.add(client);
                welcomes.add(client.connect());
            }
            assertThat(CompletableFuture.allOf(welcomes.toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(30));
            List<CompletableFuture<Duration>> pings = many.stream().map(PartylineClient::ping).toList();
            assertThat(CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(10));
            assertThat(many).extracting(PartylineClient::playerName).doesNotHaveDuplicates().contains("bot0", "bot99");

            List<CompletableFuture<CloseStatus>> closed = many.stream().map(PartylineClient::closeAsync).toList();

            assertThat(CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(10));
            assertThat(closed).allSatisfy(status -> assertThat(status.join().code()).isEqualTo(1000));
            assertThat(listenerThreads).hasSizeBetween(1, 2).allSatisfy(name -> assertThat(name).startsWith("shared-client"));
            assertThat(shared.isShuttingDown()).as("clients leave a group they do not own running").isFalse();
        } finally {
            many.forEach(PartylineClient::close);
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static JsonNode text(String text) {
        return Json.nodes().objectNode().put("text", text);
    }

    /** The last request of type {@code t} a client sent on one connection. */
    private static JsonNode lastRequest(LoopbackProxy.Upgrade upgrade, String t) throws IOException {
        JsonNode last = null;
        for (LoopbackProxy.Frame frame : upgrade.frames()) {
            JsonNode request = Json.mapper().readTree(frame.text());
            if (request.path("t").asText().equals(t)) {
                last = request;
            }
        }
        assertThat(last).as("a \"" + t + "\" on " + upgrade.requestLine()).isNotNull();
        return last;
    }

    private PartylineClient client(ClientConfig config) {
        PartylineClient client = new PartylineClient(config);
        resources.push(client);
        return client;
    }

    private PartylineClient connect(ClientConfig config) {
        PartylineClient client = PartylineClient.connect(config);
        resources.push(client);
        return client;
    }

    private LoopbackProxy proxyTo(ClientTestServer target) throws IOException {
        LoopbackProxy proxy = LoopbackProxy.to(target.port());
        resources.push(proxy);
        return proxy;
    }

    private ClientTestServer own(ClientTestServer node) {
        resources.push(node);
        return node;
    }

    /** The value of a future that must complete within {@link #WAIT}. */
    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The failure of a future that must fail within {@link #WAIT}. */
    private static PartylineException failureOf(CompletableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(thrown).as("the future failed").isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(PartylineException.class);
        return (PartylineException) thrown.getCause();
    }

    /** Every event the client gets, from now on. */
    private static BlockingQueue<ServerMessage.Event> events(PartylineClient client) {
        BlockingQueue<ServerMessage.Event> events = new LinkedBlockingQueue<>();
        client.onEvent(events::add);
        return events;
    }

    /** Every close the client reports, as {@code "code reason reconnecting"}. */
    private static BlockingQueue<String> closes(PartylineClient client) {
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        client.onClose((code, reason, reconnecting) -> closes.add(code + " " + reason + " " + reconnecting));
        return closes;
    }

    private static ServerMessage.Event nextEvent(BlockingQueue<ServerMessage.Event> events, String name)
            throws InterruptedException {
        return nextEvent(events, name, event -> true);
    }

    /** The next event called {@code name} that matches, skipping others; fails after {@link #WAIT}. */
    private static ServerMessage.Event nextEvent(BlockingQueue<ServerMessage.Event> events, String name,
                                                 Predicate<ServerMessage.Event> matching)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            ServerMessage.Event event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event != null && event.name().equals(name) && matching.test(event)) {
                return event;
            }
        }
        throw new AssertionError("no \"" + name + "\" event within " + WAIT.toMillis() + " ms");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
