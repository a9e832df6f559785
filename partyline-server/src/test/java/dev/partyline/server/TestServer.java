package dev.partyline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.game.RoomType;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real node on an ephemeral loopback port hosting the {@code echo} room type, plus helpers to
 * talk to it over real sockets: tickets over HTTP, raw WebSockets, JSON frames.
 */
public final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public static final Duration WAIT = Duration.ofSeconds(5);
    /** An echo room type that takes 2 members, for room_full. */
    public static final String SMALL_ECHO = "echo2";

    private final PartylineServer server;

    private TestServer(ServerConfig config) throws InterruptedException {
        server = new PartylineServer(config, new RoomTypeRegistry(List.of(EchoRoomLogic.type(),
                new RoomType(SMALL_ECHO, EchoRoomLogic::new, 2))), new LocalBroker()).start();
    }

    /** A node with DESIGN.md's defaults. */
    public static TestServer start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    /** A node with adjusted settings, for example shorter timeouts. */
    public static TestServer start(UnaryOperator<ServerConfig> adjust) throws InterruptedException {
        ServerConfig base = new ServerConfig("127.0.0.1", 0, List.of(), null,
                ServerConfig.defaults(0).limits(), ServerConfig.defaults(0).rooms(), Duration.ofSeconds(2), 2);
        return new TestServer(adjust.apply(base));
    }

    public PartylineServer server() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public URI webSocketUrl(String query) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws" + (query == null ? "" : "?" + query));
    }

    /** POST /api/tickets as a guest; the whole answer. */
    public HttpResponse<String> requestTicket(String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/tickets"))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh ticket for a guest called {@code name}. */
    public String ticket(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = requestTicket(Json.nodes().objectNode().put("name", name).toString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("ticket refused: " + response.statusCode() + " " + response.body());
        }
        return Json.mapper().readTree(response.body()).get("ticket").asText();
    }

    /** GET {@code path}; the whole answer. */
    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(WAIT).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw socket that authenticated with a ticket in its URL; the welcome is already read. */
    public Player connect(String name) throws IOException, InterruptedException {
        RawWebSocket socket = RawWebSocket.open(webSocketUrl("ticket=" + ticket(name)), baseUrl());
        Player player = new Player(socket);
        player.welcome = player.next("welcome");
        return player;
    }

    @Override
    public void close() {
        server.close();
    }

    /** A connected test player speaking raw protocol v1 JSON. */
    public static final class Player implements AutoCloseable {
        private final RawWebSocket socket;
        private JsonNode welcome;
        private long nextId = 1;

        Player(RawWebSocket socket) {
            this.socket = socket;
        }

        public RawWebSocket socket() {
            return socket;
        }

        public JsonNode welcome() {
            return welcome;
        }

        public String id() {
            return welcome.path("player").path("id").asText();
        }

        /** Sends a request built from alternating field names and values; returns its id. */
        public long send(String type, Object... fields) {
            long id = nextId++;
            var frame = Json.nodes().objectNode().put("t", type).put("id", id);
            for (int i = 0; i < fields.length; i += 2) {
                frame.set((String) fields[i], Json.mapper().valueToTree(fields[i + 1]));
            }
            socket.sendText(frame.toString());
            return id;
        }

        /** Sends a request and waits for its reply. */
        public JsonNode request(String type, Object... fields) throws InterruptedException {
            long id = send(type, fields);
            return reply(id);
        }

        /** The reply to request {@code id}; fails when something else or nothing arrives first. */
        public JsonNode reply(long id) throws InterruptedException {
            JsonNode reply = next("reply");
            if (reply.path("id").asLong() != id) {
                throw new AssertionError("expected the reply to " + id + " but got " + reply);
            }
            return reply;
        }

        /** Creates a room and returns its code. */
        public String create(String type) throws InterruptedException {
            JsonNode reply = request("create", "type", type);
            if (!reply.path("ok").asBoolean()) {
                throw new AssertionError("create failed: " + reply);
            }
            return reply.path("data").path("room").asText();
        }

        /** The next frame, which must be of type {@code t}. */
        public JsonNode next(String t) throws InterruptedException {
            JsonNode frame = next();
            if (!frame.path("t").asText().equals(t)) {
                throw new AssertionError("expected a " + t + " frame but got " + frame);
            }
            return frame;
        }

        /** The next event, which must be called {@code name}. */
        public JsonNode event(String name) throws InterruptedException {
            JsonNode event = next("event");
            if (!event.path("name").asText().equals(name)) {
                throw new AssertionError("expected event " + name + " but got " + event);
            }
            return event;
        }

        /** The next frame of any type; fails after {@link #WAIT}. */
        public JsonNode next() throws InterruptedException {
            String text = socket.nextText(WAIT);
            if (text == null) {
                throw new AssertionError("no frame within " + WAIT.toMillis() + " ms (close code " + socket.closeCode() + ")");
            }
            try {
                return Json.mapper().readTree(text);
            } catch (IOException e) {
                throw new AssertionError("server sent invalid JSON: " + text, e);
            }
        }

        /** Whether nothing more arrives within {@code wait}. */
        public boolean quietFor(Duration wait) throws InterruptedException {
            return socket.nextText(wait) == null;
        }

        /** Waits for the server to close and returns its close code. */
        public int awaitClose() throws Exception {
            socket.closeFuture().get(WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
            return socket.closeCode();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
