package dev.partyline.server;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP side of a node and both ways to authenticate a WebSocket, over real sockets. */
@ExtendWith(NettyLeakCheck.class)
class HttpAndAuthEndToEndTest {
    private static final String SECRET = "a-test-secret-of-enough-length";
    private static TestServer guests;
    private static TestServer jwt;

    @BeforeAll
    static void start() throws Exception {
        guests = TestServer.start(config -> config.withAllowedOrigins(List.of("https://party.example.com")));
        jwt = TestServer.start(config -> config.withJwtSecret(SECRET));
    }

    @AfterAll
    static void stop() {
        guests.close();
        jwt.close();
    }

    @Test
    void healthAndReadinessAnswerOk() throws Exception {
        assertThat(guests.get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = guests.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("ready");
    }

    @Test
    void metricsArePrometheusTextWithConnectionsRoomsMessagesAndErrors() throws Exception {
        try (TestServer.Player ann = guests.connect("Ann")) {
            ann.create("echo");
            ann.request("join", "room", "IIII"); // an error, counted by code
            HttpResponse<String> metrics = guests.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body())
                    .containsPattern("(?m)^partyline_connections [1-9]")
                    .containsPattern("(?m)^partyline_rooms [1-9]")
                    .contains("partyline_messages_in_total")
                    .contains("partyline_messages_out_total")
                    .containsPattern("partyline_errors_total\\{code=\"invalid_code\"\\} [1-9]");
        }
    }

    @Test
    void aRoomsJoinLinkHasAQrCode() throws Exception {
        HttpResponse<String> qr = guests.get("/qr/bcdf.svg");
        assertThat(qr.statusCode()).isEqualTo(200);
        assertThat(qr.headers().firstValue("content-type")).contains("image/svg+xml");
        assertThat(qr.body()).startsWith("<svg");
        assertThat(guests.get("/qr/IOIO.svg").statusCode()).isEqualTo(404);
        assertThat(guests.get("/qr/BCDF.png").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownPathsAre404AndOtherMethodsAre405() throws Exception {
        assertThat(guests.get("/nope.html").statusCode()).isEqualTo(404);
        assertThat(guests.get("/../../etc/passwd").statusCode()).isEqualTo(404);
        assertThat(guests.get("/api/unknown").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = guests.get("/api/tickets");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    @Test
    void ticketAnswersTicketExpiryAndPlayer() throws Exception {
        HttpResponse<String> response = guests.requestTicket("{\"name\":\"  Ann  \"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("ticket").asText()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(body.path("expiresInMs").asLong()).isEqualTo(30_000);
        assertThat(body.path("player").path("name").asText()).isEqualTo("Ann");
    }

    @Test
    void aGuestWithoutANameGetsAGuestName() throws Exception {
        JsonNode body = Json.mapper().readTree(guests.requestTicket("").body());
        assertThat(body.path("player").path("name").asText()).matches("Guest \\d{4}");
    }

    @Test
    void corsPreflightIsAnsweredForAnAllowedOriginOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest allowed = HttpRequest.newBuilder(URI.create(guests.baseUrl() + "/api/tickets"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://party.example.com")
                .header("Access-Control-Request-Method", "POST").build();
        HttpResponse<String> ok = http.send(allowed, HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("access-control-allow-origin")).contains("https://party.example.com");
        assertThat(ok.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");

        HttpRequest refused = HttpRequest.newBuilder(URI.create(guests.baseUrl() + "/api/tickets"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.net").build();
        HttpResponse<String> forbidden = http.send(refused, HttpResponse.BodyHandlers.ofString());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("https://evil.example.net").contains("--allowed-origin");
    }

    @Test
    void aConfiguredOriginMayOpenAWebSocket() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(guests.webSocketUrl("ticket=" + guests.ticket("Ann")),
                "https://party.example.com")) {
            assertThat(new TestServer.Player(socket).next("welcome").path("player").path("name").asText()).isEqualTo("Ann");
        }
    }

    @Test
    void aTicketInTheFirstAuthFrameAuthenticates() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(guests.webSocketUrl(null), guests.baseUrl())) {
            socket.sendText("{\"t\":\"auth\",\"ticket\":\"" + guests.ticket("Ann") + "\"}");
            TestServer.Player ann = new TestServer.Player(socket);
            assertThat(ann.next("welcome").path("player").path("name").asText()).isEqualTo("Ann");
        }
    }

    @Test
    void aResumeTokenIsSingleUse() throws Exception {
        try (TestServer.Player ann = guests.connect("Ann")) {
            String token = ann.welcome().path("resume").asText();
            try (RawWebSocket first = RawWebSocket.open(guests.webSocketUrl(null), guests.baseUrl())) {
                first.sendText("{\"t\":\"auth\",\"resume\":\"" + token + "\"}");
                TestServer.Player resumed = new TestServer.Player(first);
                assertThat(resumed.next("welcome").path("resumed").asBoolean()).isTrue();
                assertThat(resumed.request("ping").path("ok").asBoolean()).isTrue(); // heard: the token is spent
                try (RawWebSocket second = RawWebSocket.open(guests.webSocketUrl(null), guests.baseUrl())) {
                    second.sendText("{\"t\":\"auth\",\"resume\":\"" + token + "\"}");
                    assertThat(new TestServer.Player(second).awaitClose()).isEqualTo(4001);
                    assertThat(second.closeReason()).contains("Resume token");
                }
            }
        }
    }

    @Test
    void aResumeWhoseWelcomeWasLostCanBeTriedAgainWithTheSameToken() throws Exception {
        try (TestServer.Player ann = guests.connect("Ann")) {
            String token = ann.welcome().path("resume").asText();
            try (RawWebSocket lost = RawWebSocket.open(guests.webSocketUrl(null), guests.baseUrl())) {
                lost.sendText("{\"t\":\"auth\",\"resume\":\"" + token + "\"}");
                assertThat(new TestServer.Player(lost).next("welcome").path("resumed").asBoolean()).isTrue();
                lost.channel().close(); // dropped before the client could read or use its new token
            }
            try (RawWebSocket retry = RawWebSocket.open(guests.webSocketUrl(null), guests.baseUrl())) {
                retry.sendText("{\"t\":\"auth\",\"resume\":\"" + token + "\"}");
                JsonNode welcome = new TestServer.Player(retry).next("welcome");
                assertThat(welcome.path("resumed").asBoolean()).isTrue();
                assertThat(welcome.path("player").path("id").asText()).isEqualTo(ann.id());
            }
        }
    }

    @Test
    void withAJwtSecretTicketsNeedAValidBearerToken() throws Exception {
        HttpResponse<String> none = jwt.requestTicket("{\"name\":\"Ann\"}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(none.body()).path("error").path("code").asText()).isEqualTo("unauthorized");

        String forged = JWT.create().withSubject("user-1").sign(Algorithm.HMAC256("another-secret-entirely"));
        assertThat(jwt.requestTicket("{}", "Authorization", "Bearer " + forged).statusCode()).isEqualTo(401);

        String expired = JWT.create().withSubject("user-1").withExpiresAt(Instant.now().minus(Duration.ofMinutes(5)))
                .sign(Algorithm.HMAC256(SECRET));
        assertThat(jwt.requestTicket("{}", "Authorization", "Bearer " + expired).statusCode()).isEqualTo(401);

        String valid = JWT.create().withSubject("user-1").withClaim("name", "Ann Lee")
                .withExpiresAt(Instant.now().plus(Duration.ofMinutes(5))).sign(Algorithm.HMAC256(SECRET));
        HttpResponse<String> ok = jwt.requestTicket("{}", "Authorization", "Bearer " + valid);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(ok.body());
        assertThat(body.path("player").path("id").asText()).isEqualTo("user-1");
        assertThat(body.path("player").path("name").asText()).isEqualTo("Ann Lee");

        try (RawWebSocket socket = RawWebSocket.open(jwt.webSocketUrl("ticket=" + body.path("ticket").asText()),
                jwt.baseUrl())) {
            JsonNode welcome = new TestServer.Player(socket).next("welcome");
            assertThat(welcome.path("player").path("id").asText()).isEqualTo("user-1");
        }
    }
}
