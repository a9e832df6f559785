package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TicketClientTest {
    private HttpServer http;
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @AfterEach
    void stopServer() {
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void parsesATicketWithItsPlayer() {
        Ticket ticket = TicketClient.parse(200,
                "{\"ticket\":\"t-1\",\"expiresInMs\":30000,\"player\":{\"id\":\"p1\",\"name\":\"Alice\"}}");

        assertThat(ticket.ticket()).isEqualTo("t-1");
        assertThat(ticket.expiresInMs()).isEqualTo(30_000);
        assertThat(ticket.player().id()).isEqualTo("p1");
        assertThat(ticket.player().name()).isEqualTo("Alice");
    }

    @Test
    void refusalCarriesTheStatusAndTheServersCode() {
        assertThatThrownBy(() -> TicketClient.parse(401,
                "{\"error\":{\"code\":\"unauthorized\",\"message\":\"The token has expired.\"}}"))
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.code()).isEqualTo("unauthorized");
                    assertThat(refused.getMessage()).isEqualTo("The token has expired.");
                });
    }

    @Test
    void refusalWithoutAJsonBodyNamesTheStatus() {
        assertThatThrownBy(() -> TicketClient.parse(502, "<html>Bad Gateway</html>"))
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.code()).isEqualTo("http_502");
                    assertThat(refused.getMessage()).contains("502");
                });
    }

    @Test
    void answerWithoutTicketIsAnError() {
        assertThatThrownBy(() -> TicketClient.parse(200, "{}"))
                .isInstanceOf(PartylineException.class).hasMessageContaining("ticket");
    }

    @Test
    void postsTheNameWithOriginAndBearerToken() throws Exception {
        URI base = serve(200, "{\"ticket\":\"t-9\",\"expiresInMs\":30000}");
        TicketClient tickets = new TicketClient(base, "http://127.0.0.1", null, Duration.ofSeconds(5));

        Ticket ticket = tickets.fetch("Alice", "jwt-123").get(5, TimeUnit.SECONDS);

        assertThat(ticket.ticket()).isEqualTo("t-9");
        assertThat(ticket.player()).isNull();
        assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo("POST /api/tickets");
        assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo("origin=http://127.0.0.1");
        assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo("authorization=Bearer jwt-123");
        assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo("{\"name\":\"Alice\"}");
    }

    @Test
    void httpErrorFailsTheFutureWithTicketRefused() throws Exception {
        URI base = serve(403, "{\"error\":{\"code\":\"origin_not_allowed\",\"message\":\"Origin x is not allowed.\"}}");
        TicketClient tickets = new TicketClient(base, "http://x", null, Duration.ofSeconds(5));

        assertThatThrownBy(() -> tickets.fetch(null, null).get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(TicketRefusedException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.code()).isEqualTo("origin_not_allowed");
                });
    }

    @Test
    void unreachableServerFailsWithConnectFailed() throws Exception {
        URI base = serve(200, "{}");
        http.stop(0);
        http = null;
        TicketClient tickets = new TicketClient(base, null, null, Duration.ofSeconds(5));

        assertThatThrownBy(() -> tickets.fetch("Alice", null).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(PartylineException.class,
                        failure -> assertThat(failure.code()).isEqualTo(PartylineException.CONNECT_FAILED));
    }

    @Test
    void requestIsRetriedOnceWhenTheConnectionBreaksBeforeAnAnswer() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/tickets", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() == 1) {
                exchange.close(); // no status line at all, as on a pooled connection the server had closed
                return;
            }
            byte[] body = "{\"ticket\":\"t-2\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        TicketClient tickets = new TicketClient(URI.create("http://127.0.0.1:" + http.getAddress().getPort()),
                null, null, Duration.ofSeconds(5));

        assertThat(tickets.fetch("Alice", null).get(5, TimeUnit.SECONDS).ticket()).isEqualTo("t-2");
        assertThat(calls).hasValue(2);
    }

    private URI serve(int status, String answer) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/tickets", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            seen.add("origin=" + exchange.getRequestHeaders().getFirst("Origin"));
            seen.add("authorization=" + exchange.getRequestHeaders().getFirst("Authorization"));
            seen.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }
}
