package dev.partyline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.partyline.client.PartylineException;
import dev.partyline.client.Ticket;
import dev.partyline.client.TicketClient;
import dev.partyline.client.TicketRefusedException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client's {@link TicketClient} against the real {@code POST /api/tickets}. */
class TicketClientEndToEndTest {
    private static final Duration WAIT = ClientTestServer.WAIT;

    private static ClientTestServer guests;
    private static ClientTestServer jwt;

    @BeforeAll
    static void start() throws InterruptedException {
        guests = ClientTestServer.start();
        jwt = ClientTestServer.startWithJwt();
    }

    @AfterAll
    static void stop() {
        guests.close();
        jwt.close();
    }

    @Test
    void aGuestGetsATicketForTheNameItAskedFor() throws Exception {
        TicketClient tickets = new TicketClient(URI.create(guests.baseUrl()), guests.baseUrl(), null, WAIT);

        Ticket ticket = tickets.fetch("Alice", null).get(5, TimeUnit.SECONDS);

        assertThat(ticket.ticket()).matches("[A-Za-z0-9_-]{43}");
        assertThat(ticket.expiresInMs()).isEqualTo(30_000);
        assertThat(ticket.player().name()).isEqualTo("Alice");
        assertThat(ticket.player().id()).isNotBlank();
    }

    @Test
    void theBearerTokenSaysWhoThePlayerIsAndTheBodyNamesIt() throws Exception {
        TicketClient tickets = new TicketClient(URI.create(jwt.baseUrl()), jwt.baseUrl(), null, WAIT);

        Ticket ticket = tickets.fetch("Alice", ClientTestServer.token("user-42", null)).get(5, TimeUnit.SECONDS);

        assertThat(ticket.player().id()).isEqualTo("user-42");
        assertThat(ticket.player().name()).isEqualTo("Alice");
    }

    @Test
    void withoutTheBearerTokenTheRefusalCarriesTheStatusAndTheServersCode() {
        TicketClient tickets = new TicketClient(URI.create(jwt.baseUrl()), jwt.baseUrl(), null, WAIT);

        assertThatThrownBy(() -> tickets.fetch("Alice", null).get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.code()).isEqualTo("unauthorized");
                    assertThat(refused.getMessage()).contains("Authorization: Bearer");
                });
    }

    @Test
    void theOriginHeaderIsSentAndAForeignOneIsRefusedWith403() {
        TicketClient tickets = new TicketClient(URI.create(guests.baseUrl()), "http://evil.example", null, WAIT);

        assertThatThrownBy(() -> tickets.fetch("Alice", null).get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.code()).isEqualTo("origin_not_allowed");
                    assertThat(refused.getMessage()).contains("http://evil.example");
                });
    }

    @Test
    void anUnreachableServerFailsWithConnectFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TicketClient tickets = new TicketClient(URI.create("http://127.0.0.1:" + closedPort), null, null, WAIT);

        assertThatThrownBy(() -> tickets.fetch("Alice", null).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class,
                        failure -> assertThat(failure.code()).isEqualTo(PartylineException.CONNECT_FAILED));
    }

    @Test
    void theRequestIsSentOnceMoreWhenItsConnectionIsCutBeforeAnAnswer() throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.to(guests.port())) {
            // A client of its own, so that no pooled connection from another test is picked.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            TicketClient tickets = new TicketClient(URI.create(proxy.baseUrl()), null, http, WAIT);
            proxy.pause();
            CompletableFuture<Ticket> ticket = tickets.fetch("Alice", null);
            await().atMost(WAIT).until(() -> proxy.heldBytes() > 0); // the request waits in the proxy

            proxy.cutAll(); // as when a pooled connection turns out to be closed by the server
            proxy.resume();

            assertThat(ticket).succeedsWithin(WAIT).extracting(found -> found.player().name()).isEqualTo("Alice");
            assertThat(proxy.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.to(guests.port())) {
            TicketClient tickets = new TicketClient(URI.create(proxy.baseUrl()), null,
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofMillis(500));
            proxy.pause();

            assertThatThrownBy(() -> tickets.fetch("Alice", null).get(5, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(PartylineException.class, failure -> {
                        assertThat(failure.code()).isEqualTo(PartylineException.TIMEOUT);
                        assertThat(failure.getMessage()).contains("within 500 ms");
                    });
            proxy.resume();
        }
    }
}
