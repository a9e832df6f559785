package dev.partyline.server;

import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import java.time.Duration;
import java.util.List;

/**
 * How a node serves.
 *
 * @param host address to bind, for example {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one (tests)
 * @param allowedOrigins extra browser origins allowed besides the server's own host and localhost,
 *     for example {@code https://party.example.com}; {@code *} allows every origin
 * @param jwtSecret HS256 secret for bearer tokens on {@code /api/tickets}; null for guests
 * @param limits per-connection and per-address limits
 * @param rooms room timings
 * @param shutdownGrace how long shutdown waits for closing sockets before it stops the loops
 * @param ioThreads event loop threads; 0 means one per core (see {@link #eventLoops()})
 */
public record ServerConfig(String host, int port, List<String> allowedOrigins, String jwtSecret,
                           Limits limits, RoomSettings rooms, Duration shutdownGrace, int ioThreads) {

    public ServerConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * The event loops to run: {@code ioThreads}, or one per core for 0. Not Netty's 2 × cores: every
     * loop more than there are cores only adds sleeps and wake-ups between loops (measured on 2
     * cores, party 1,000 × 8: 23 µs of server CPU per delivery with 4 loops, 17 µs with 2).
     */
    public int eventLoops() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    /** Defaults on {@code port}: guests, localhost and same-host origins, DESIGN.md's limits. */
    public static ServerConfig defaults(int port) {
        return new ServerConfig("0.0.0.0", port, List.of(), null, Limits.DEFAULTS, RoomSettings.DEFAULTS,
                Duration.ofSeconds(2), 0);
    }

    public ServerConfig withLimits(Limits value) {
        return new ServerConfig(host, port, allowedOrigins, jwtSecret, value, rooms, shutdownGrace, ioThreads);
    }

    public ServerConfig withRooms(RoomSettings value) {
        return new ServerConfig(host, port, allowedOrigins, jwtSecret, limits, value, shutdownGrace, ioThreads);
    }

    public ServerConfig withJwtSecret(String value) {
        return new ServerConfig(host, port, allowedOrigins, value, limits, rooms, shutdownGrace, ioThreads);
    }

    public ServerConfig withAllowedOrigins(List<String> value) {
        return new ServerConfig(host, port, value, jwtSecret, limits, rooms, shutdownGrace, ioThreads);
    }
}
