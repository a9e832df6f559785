package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.UpgradeRefusedException;
import dev.partyline.protocol.ClientMessage.RoomPosition;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against {@link FakeServer}: the wire behaviour, not the real server's rules. */
class PartylineClientTest {
    private static final ReconnectPolicy FAST =
            new ReconnectPolicy(true, Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.5, 20);

    private FakeServer server;
    private final List<PartylineClient> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws InterruptedException {
        server = new FakeServer();
    }

    @AfterEach
    void stopAll() {
        clients.forEach(PartylineClient::close);
        server.close();
    }

    private ClientConfig.Builder config() {
        return ClientConfig.builder(server.baseUrl()).name("Alice").requestTimeout(Duration.ofSeconds(5));
    }

    private PartylineClient client(ClientConfig config) {
        PartylineClient client = new PartylineClient(config);
        clients.add(client);
        return client;
    }

    private static <T> T await5(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void connectsWithTheTicketInTheUrlAndAnOriginHeader() throws Exception {
        PartylineClient alice = client(config().bearerToken("jwt-1").build());

        ServerMessage.Welcome welcome = await5(alice.connect());

        assertThat(welcome.player().id()).isEqualTo("p1");
        assertThat(alice.playerId()).isEqualTo("p1");
        assertThat(alice.session()).isEqualTo("s-p1");
        assertThat(alice.heartbeatMs()).isEqualTo(20_000);
        assertThat(alice.node()).isEqualTo("node-1");
        assertThat(alice.isConnected()).isTrue();
        assertThat(server.awaitLog("ticket")).isEqualTo("ticket origin=" + server.baseUrl()
                + " auth=Bearer jwt-1 body={\"name\":\"Alice\"}");
        assertThat(server.awaitLog("upgrade")).isEqualTo("upgrade origin=" + server.baseUrl() + " ticket=t-1");
    }

    @Test
    void firstFrameModeSendsTheTicketInAnAuthFrame() throws Exception {
        PartylineClient alice = client(config().authMode(AuthMode.FIRST_FRAME).build());

        await5(alice.connect());

        assertThat(server.awaitLog("upgrade")).endsWith("ticket=null");
        assertThat(server.awaitLog("frame")).isEqualTo("frame {\"t\":\"auth\",\"ticket\":\"t-1\"}");
        assertThat(alice.playerId()).isEqualTo("p1");
    }

    @Test
    void requestsGetIncreasingIdsAndCompleteWithTheirReplies() throws Exception {
        PartylineClient alice = PartylineClient.connect(config().build());
        clients.add(alice);

        ServerMessage.State created = await5(alice.create("chat", Json.nodes().objectNode().put("max", 8)));
        ServerMessage.State joined = await5(alice.join(" wxyz "));
        JsonNode echoed = await5(alice.send("ABCD", "say", Json.nodes().objectNode().put("text", "hi")));
        Duration roundTrip = await5(alice.ping());
        await5(alice.leave("wxyz"));

        assertThat(created.room()).isEqualTo("ABCD");
        assertThat(created.members()).extracting(ServerMessage.MemberInfo::id).containsExactly("p1");
        assertThat(joined.room()).isEqualTo("WXYZ");
        assertThat(echoed.path("text").asText()).isEqualTo("hi");
        assertThat(roundTrip).isPositive();
        assertThat(alice.rooms()).containsExactly("ABCD");
        assertThat(server.awaitLog("frame")).contains("\"t\":\"create\",\"id\":1", "\"options\":{\"max\":8}");
        assertThat(server.awaitLog("frame")).contains("\"t\":\"join\",\"id\":2");
        assertThat(server.awaitLog("frame")).contains("\"t\":\"send\",\"id\":3");
        assertThat(server.awaitLog("frame")).contains("\"t\":\"ping\",\"id\":4");
        assertThat(server.awaitLog("frame")).contains("\"t\":\"leave\",\"id\":5");
    }

    @Test
    void errorReplyFailsWithTheServersCodeAndMessage() throws Exception {
        PartylineClient alice = PartylineClient.connect(config().build());
        clients.add(alice);

        assertThatThrownBy(() -> await5(alice.join(FakeServer.UNKNOWN_ROOM)))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class, failure -> {
                    assertThat(failure.code()).isEqualTo("room_not_found");
                    assertThat(failure.getMessage()).isEqualTo("No room has the code NONE.");
                });
        assertThat(alice.rooms()).isEmpty();
    }

    @Test
    void requestWithoutReplyTimesOut() throws Exception {
        PartylineClient alice = PartylineClient.connect(config().requestTimeout(Duration.ofMillis(300)).build());
        clients.add(alice);
        server.silent = true;

        assertThatThrownBy(() -> await5(alice.ping()))
                .cause()
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessage("No reply to ping (#1) within 300 ms");
    }

    @Test
    void eventsReachListenersAndAdvanceTheRoomPosition() throws Exception {
        PartylineClient alice = client(config().build());
        BlockingQueue<ServerMessage.Event> events = new LinkedBlockingQueue<>();
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        alice.onEvent(event -> {
            threads.add(Thread.currentThread().getName());
            events.add(event);
        });
        await5(alice.connect());
        await5(alice.join("ABCD"));
        assertThat(alice.position("ABCD")).isEqualTo(new RoomPosition("e1", 0));

        server.pushEvent("ABCD", "said", Json.nodes().textNode("one"));
        server.pushEvent("ABCD", "said", Json.nodes().textNode("two"));

        assertThat(events.poll(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
        ServerMessage.Event second = events.poll(5, TimeUnit.SECONDS);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.data().asText()).isEqualTo("two");
        assertThat(alice.positions()).containsExactly(java.util.Map.entry("ABCD", new RoomPosition("e1", 2)));
        assertThat(threads.poll()).startsWith("partyline-client");
    }

    @Test
    void errorAndStateFramesReachTheirListeners() throws Exception {
        PartylineClient alice = client(config().build());
        BlockingQueue<ServerMessage.Error> errors = new LinkedBlockingQueue<>();
        BlockingQueue<ServerMessage.State> states = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        alice.onState(states::add);
        await5(alice.connect());

        server.broadcast(new ServerMessage.Error("rate_limited", "Slow down."));
        server.broadcast(new ServerMessage.State("QRST", "chat", "e7", 12, List.of(), null, "p1"));

        assertThat(errors.poll(5, TimeUnit.SECONDS)).isEqualTo(new ServerMessage.Error("rate_limited", "Slow down."));
        assertThat(states.poll(5, TimeUnit.SECONDS).room()).isEqualTo("QRST");
        assertThat(alice.position("QRST")).isEqualTo(new RoomPosition("e7", 12));
    }

    @Test
    void removedListenerIsNoLongerCalled() throws Exception {
        PartylineClient alice = client(config().build());
        BlockingQueue<Long> first = new LinkedBlockingQueue<>();
        BlockingQueue<Long> second = new LinkedBlockingQueue<>();
        Registration registration = alice.onEvent(event -> first.add(event.seq()));
        alice.onEvent(event -> second.add(event.seq()));
        await5(alice.connect());

        registration.remove();
        server.pushEvent("ABCD", "said", null);

        assertThat(second.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(first).isEmpty();
    }

    @Test
    void closeSendsNormalClosureAndFailsNothingLater() throws Exception {
        PartylineClient alice = client(config().build());
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        alice.onClose((code, reason, reconnecting) -> closes.add(code + " " + reconnecting));
        await5(alice.connect());

        alice.close();

        assertThat(server.awaitLog("close")).startsWith("close 1000");
        assertThat(await5(alice.closed()).code()).isEqualTo(1000);
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1000 false");
        assertThat(alice.isConnected()).isFalse();
        assertThatThrownBy(() -> await5(alice.ping()))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class,
                        failure -> assertThat(failure.code()).isEqualTo(PartylineException.NOT_CONNECTED));
        alice.close(); // idempotent
    }

    @Test
    void droppedConnectionReconnectsWithAFreshTicketAndRejoinsItsRooms() throws Exception {
        PartylineClient alice = client(config().reconnect(FAST).build());
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        BlockingQueue<Reconnected> reconnects = new LinkedBlockingQueue<>();
        alice.onClose((code, reason, reconnecting) -> closes.add(code + " " + reconnecting));
        alice.onReconnect(reconnects::add);
        await5(alice.connect());
        await5(alice.join("ABCD"));
        await5(alice.join("WXYZ"));

        server.dropAll();

        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006 true");
        Reconnected reconnected = reconnects.poll(5, TimeUnit.SECONDS);
        assertThat(reconnected).isNotNull();
        assertThat(reconnected.welcome().player().id()).isEqualTo("p2");
        assertThat(reconnected.attempts()).isEqualTo(1);
        assertThat(reconnected.rejoined()).extracting(ServerMessage.State::room).containsExactlyInAnyOrder("ABCD", "WXYZ");
        assertThat(reconnected.failed()).isEmpty();
        assertThat(alice.isConnected()).isTrue();
        assertThat(alice.playerId()).isEqualTo("p2");
        assertThat(server.ticketsIssued()).isEqualTo(2);
        assertThat(await5(alice.ping())).isPositive();
    }

    @Test
    void requestInFlightWhenTheConnectionDropsFailsWithTheCloseCode() throws Exception {
        PartylineClient alice = PartylineClient.connect(config().noReconnect().build());
        clients.add(alice);
        server.silent = true;
        CompletableFuture<Duration> ping = alice.ping();
        server.awaitLog("frame");

        server.closeAll(1011, "oops");

        assertThatThrownBy(() -> await5(ping))
                .cause()
                .isInstanceOfSatisfying(ConnectionClosedException.class,
                        failure -> assertThat(failure.closeCode()).isEqualTo(1011));
        assertThat(await5(alice.closed())).isEqualTo(new CloseStatus(1011, "oops"));
    }

    @Test
    void unauthorizedCloseEndsTheClientWithoutReconnecting() throws Exception {
        PartylineClient alice = client(config().reconnect(FAST).build());
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        alice.onClose((code, reason, reconnecting) -> closes.add(code + " " + reason + " " + reconnecting));
        await5(alice.connect());

        server.closeAll(4001, "unauthorized");

        assertThat(await5(alice.closed())).isEqualTo(new CloseStatus(4001, "unauthorized"));
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("4001 unauthorized false");
        assertThat(server.ticketsIssued()).isEqualTo(1);
    }

    @Test
    void refusedTicketFailsTheConnectWith4001() {
        server.invalidTickets = true;
        PartylineClient alice = client(config().build());

        assertThatThrownBy(() -> await5(alice.connect()))
                .cause()
                .isInstanceOfSatisfying(ConnectionClosedException.class, failure -> {
                    assertThat(failure.closeCode()).isEqualTo(4001);
                    assertThat(failure.reason()).isEqualTo("unauthorized");
                });
        assertThat(alice.closed()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(new CloseStatus(4001, "unauthorized"));
    }

    @Test
    void ticketRefusalFailsTheConnectWithTheHttpStatus() {
        server.refuseTickets = true;

        assertThatThrownBy(() -> clients.add(PartylineClient.connect(config().build())))
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.code()).isEqualTo("unauthorized");
                    assertThat(refused.getMessage()).isEqualTo("No guests here.");
                });
    }

    @Test
    void refusedOriginFailsTheConnectWithTheStatusAndBodyOfTheRefusal() {
        PartylineClient mallory = client(config().origin("http://evil.example").build());

        assertThatThrownBy(() -> await5(mallory.connect()))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class,
                        failure -> assertThat(failure.code()).isEqualTo(PartylineException.CONNECT_FAILED))
                .cause()
                .isInstanceOfSatisfying(UpgradeRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.body()).contains("http://evil.example", "--allowed-origins");
                });
    }

    @Test
    void requestBeforeConnectFailsAtOnce() {
        PartylineClient alice = client(config().build());

        assertThatThrownBy(() -> await5(alice.ping()))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class,
                        failure -> assertThat(failure.code()).isEqualTo(PartylineException.NOT_CONNECTED));
    }

    @Test
    void unreachableServerFailsTheConnect() {
        server.close();
        PartylineClient alice = client(config().build());

        assertThatThrownBy(() -> await5(alice.connect()))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class,
                        failure -> assertThat(failure.code()).isEqualTo(PartylineException.CONNECT_FAILED));
    }

    @Test
    void listenerMayChainRequestsOnTheEventLoop() throws Exception {
        PartylineClient alice = client(config().build());
        CompletableFuture<JsonNode> answered = new CompletableFuture<>();
        alice.onEvent(event -> {
            if (event.name().equals("poke")) {
                alice.send(event.room(), "pong", null).whenComplete((data, failure) -> answered.complete(data));
            }
        });
        await5(alice.connect());

        server.pushEvent("ABCD", "poke", null);

        assertThat(answered).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void manyClientsShareOneSmallEventLoopGroup() throws Exception {
        EventLoopGroup shared = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            List<PartylineClient> many = new ArrayList<>();
            List<CompletableFuture<ServerMessage.Welcome>> welcomes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                PartylineClient client = new PartylineClient(config().name("bot" + i).eventLoopGroup(shared).build());
                many.add(client);
                welcomes.add(client.connect());
            }
            CompletableFuture.allOf(welcomes.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            List<CompletableFuture<Duration>> pings = many.stream().map(PartylineClient::ping).toList();
            CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            many.forEach(PartylineClient::close);

            assertThat(many).allSatisfy(client -> assertThat(client.closed()).isCompleted());
            assertThat(shared.isShuttingDown()).isFalse();
        } finally {
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void closingWhileReconnectingStopsTheAttempts() throws Exception {
        ReconnectPolicy slow = new ReconnectPolicy(true, Duration.ofSeconds(30), Duration.ofSeconds(30), 2.0, 0.0, 5);
        PartylineClient alice = client(config().reconnect(slow).build());
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        alice.onClose((code, reason, reconnecting) -> closes.add(code + " " + reconnecting));
        await5(alice.connect());
        server.dropAll();
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1006 true");

        alice.close();

        assertThat(await5(alice.closed()).code()).isEqualTo(1000);
        assertThat(closes.poll(5, TimeUnit.SECONDS)).isEqualTo("1000 false");
        await().during(Duration.ofMillis(200)).until(() -> server.ticketsIssued() == 1);
    }
}
