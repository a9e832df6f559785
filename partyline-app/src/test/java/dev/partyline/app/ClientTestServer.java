package dev.partyline.app;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.partyline.client.ClientConfig;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.games.Games;
import dev.partyline.server.PartylineServer;
import dev.partyline.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real node for the Java client's end-to-end tests: the app's room types ({@link Games}) and
 * {@link LocalBroker} on an ephemeral loopback port, with settings a test may adjust (limits, a
 * JWT secret). {@link #restart()} brings a fresh node up on the port of this one once it is closed.
 */
final class ClientTestServer implements AutoCloseable {
    /** The secret of {@link #startWithJwt()}; {@link #token} signs with it. */
    static final String JWT_SECRET = "client-end-to-end-test-secret";
    /** How long client-side waits in these tests may take. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final PartylineServer server;
    private final int port;

    private ClientTestServer(ServerConfig config) throws InterruptedException {
        this.server = new PartylineServer(config, new RoomTypeRegistry(Games.all()), new LocalBroker()).start();
        this.config = config;
        this.port = server.port();
    }

    /** A node with DESIGN.md's defaults (guests, default limits), 2 I/O threads. */
    static ClientTestServer start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    /** A node with adjusted settings. */
    static ClientTestServer start(UnaryOperator<ServerConfig> adjust) throws InterruptedException {
        ServerConfig base = new ServerConfig("127.0.0.1", 0, List.of(), null, Limits.DEFAULTS, RoomSettings.DEFAULTS,
                Duration.ofSeconds(2), 2);
        return new ClientTestServer(adjust.apply(base));
    }

    /** A node where tickets need a bearer token signed with {@link #JWT_SECRET}. */
    static ClientTestServer startWithJwt() throws InterruptedException {
        return start(config -> config.withJwtSecret(JWT_SECRET));
    }

    /** A fresh node (no rooms, no sessions) with this one's settings on this one's port; close this one first. */
    ClientTestServer restart() throws InterruptedException {
        return new ClientTestServer(new ServerConfig(config.host(), port, config.allowedOrigins(), config.jwtSecret(),
                config.limits(), config.rooms(), config.shutdownGrace(), config.ioThreads()));
    }

    PartylineServer server() {
        return server;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code ws://127.0.0.1:PORT/ws}, with {@code ?query} when it is not null. */
    URI webSocketUrl(String query) {
        return URI.create("ws://127.0.0.1:" + port() + "/ws" + (query == null ? "" : "?" + query));
    }

    /** Client settings for this node: a name, a 5 s request timeout. */
    ClientConfig.Builder client(String name) {
        return ClientConfig.builder(baseUrl()).name(name).requestTimeout(WAIT);
    }

    /** A bearer token for player {@code subject}, valid for five minutes; {@code name} may be null. */
    static String token(String subject, String name) {
        var token = JWT.create().withSubject(subject).withExpiresAt(Instant.now().plus(Duration.ofMinutes(5)));
        if (name != null) {
            token.withClaim("name", name);
        }
        return token.sign(Algorithm.HMAC256(JWT_SECRET));
    }

    /** {@code limits} with another ticket lifetime. */
    static Limits withTicketTtl(Limits limits, Duration ttl) {
        return new Limits(limits.maxFrameBytes(), limits.messagesPerSecond(), limits.messageBurst(),
                limits.maxRefusedMessages(), limits.authTimeout(), limits.heartbeatInterval(), limits.maxMissedPongs(),
                limits.failedJoinsPerMinute(), limits.connectionsPerAddress(), limits.writeBufferHighWaterBytes(),
                limits.sessionGrace(), ttl);
    }

    /** {@code limits} with another cap on connections per IP address. */
    static Limits withConnectionsPerAddress(Limits limits, int connections) {
        return new Limits(limits.maxFrameBytes(), limits.messagesPerSecond(), limits.messageBurst(),
                limits.maxRefusedMessages(), limits.authTimeout(), limits.heartbeatInterval(), limits.maxMissedPongs(),
                limits.failedJoinsPerMinute(), connections, limits.writeBufferHighWaterBytes(),
                limits.sessionGrace(), limits.ticketTtl());
    }

    /** {@code limits} with another session grace: how long a dropped session may be resumed. */
    static Limits withSessionGrace(Limits limits, Duration grace) {
        return new Limits(limits.maxFrameBytes(), limits.messagesPerSecond(), limits.messageBurst(),
                limits.maxRefusedMessages(), limits.authTimeout(), limits.heartbeatInterval(), limits.maxMissedPongs(),
                limits.failedJoinsPerMinute(), limits.connectionsPerAddress(), limits.writeBufferHighWaterBytes(),
                grace, limits.ticketTtl());
    }

    /** {@code limits} with another message rate per connection (sustained per second, and burst). */
    static Limits withMessageRate(Limits limits, double perSecond, int burst) {
        return new Limits(limits.maxFrameBytes(), perSecond, burst,
                limits.maxRefusedMessages(), limits.authTimeout(), limits.heartbeatInterval(), limits.maxMissedPongs(),
                limits.failedJoinsPerMinute(), limits.connectionsPerAddress(), limits.writeBufferHighWaterBytes(),
                limits.sessionGrace(), limits.ticketTtl());
    }

    /** Drains (WebSockets get close 1001) and stops; idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
