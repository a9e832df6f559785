package dev.partyline.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Asks a server for a ticket: {@code POST {base}/api/tickets} with {@code {"name": …}}, an
 * {@code Origin} header and, when given, {@code Authorization: Bearer …}. Also handy on its own
 * in tests that open a {@link dev.partyline.client.raw.RawWebSocket} with a real ticket.
 * Thread-safe.
 */
public final class TicketClient {
    private final URI endpoint;
    private final String origin;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param baseUrl the server, {@code http://host:port}; never null
     * @param origin the {@code Origin} header, or null to send none
     * @param http the JDK client to use, or null for a shared HTTP/1.1 one
     * @param timeout how long the request may take; never null
     */
    public TicketClient(URI baseUrl, String origin, HttpClient http, Duration timeout) {
        this.endpoint = Endpoints.tickets(baseUrl);
        this.origin = origin;
        this.http = http != null ? http : SharedHttp.CLIENT;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A ticket client with the settings of {@code config}. */
    public static TicketClient of(ClientConfig config) {
        return new TicketClient(config.baseUrl(), config.effectiveOrigin(), config.httpClient(), config.requestTimeout());
    }

    /**
     * Requests a ticket.
     *
     * @param name the display name to ask for, or null to send {@code {}}
     * @param bearerToken a JWT for the {@code Authorization} header, or null
     * @return completes on an HTTP client thread with the ticket, or exceptionally with
     *     {@link TicketRefusedException} for an HTTP error, {@link RequestTimeoutException}, or
     *     {@link PartylineException} ({@code connect_failed}) when the server could not be reached
     *     or answered something unreadable
     */
    public CompletableFuture<Ticket> fetch(String name, String bearerToken) {
        var body = Json.nodes().objectNode();
        if (name != null) {
            body.put("name", name);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpRequest built = request.build();
        return http.sendAsync(built, HttpResponse.BodyHandlers.ofString())
                // Once more on an I/O error: the JDK may have picked a pooled connection that the
                // server had just closed. A ticket lost that way simply expires unused.
                .exceptionallyCompose(failure -> isStaleConnection(failure)
                        ? http.sendAsync(built, HttpResponse.BodyHandlers.ofString())
                        : CompletableFuture.failedFuture(failure))
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(translate(failure));
                    }
                    return parse(response.statusCode(), response.body());
                });
    }

    /** Reads the answer: a ticket for 2xx, otherwise the refusal. */
    static Ticket parse(int status, String body) {
        JsonNode root = readOrNull(body);
        if (status / 100 != 2) {
            JsonNode error = root == null ? null : root.get("error");
            String code = error != null && error.path("code").isTextual() ? error.path("code").asText() : "http_" + status;
            String message = error != null && error.path("message").isTextual() ? error.path("message").asText()
                    : "The ticket request was refused with HTTP " + status;
            throw new TicketRefusedException(status, code, message);
        }
        if (root == null || !root.path("ticket").isTextual()) {
            throw new PartylineException(PartylineException.CONNECT_FAILED,
                    "The ticket response has no \"ticket\" string (HTTP " + status + ")");
        }
        JsonNode player = root.get("player");
        ServerMessage.PlayerInfo info = player == null || !player.isObject() ? null
                : new ServerMessage.PlayerInfo(player.path("id").asText(), player.path("name").asText());
        return new Ticket(root.get("ticket").asText(), root.path("expiresInMs").asLong(0), info);
    }

    private static boolean isStaleConnection(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof IOException && !(cause instanceof java.net.http.HttpTimeoutException)
                && !(cause instanceof java.net.ConnectException);
    }

    private Throwable translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return new RequestTimeoutException("ticket from " + endpoint, timeout);
        }
        if (cause instanceof IOException) {
            return new PartylineException(PartylineException.CONNECT_FAILED,
                    "Cannot request a ticket from " + endpoint + ": " + cause, cause);
        }
        return cause;
    }

    private static JsonNode readOrNull(String body) {
        try {
            return body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * One JDK client for every {@code TicketClient} not given one: each JDK client owns a
     * selector thread, too many for a thousand bench clients. HTTP/1.1, because the default
     * HTTP/2 would send an {@code Upgrade: h2c} header the server has no use for.
     */
    private static final class SharedHttp {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
