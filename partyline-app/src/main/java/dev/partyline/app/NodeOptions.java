package dev.partyline.app;

import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The node's options, each with its environment variable and DESIGN.md's default. */
public final class NodeOptions {
    @Option(names = "--port", defaultValue = "${env:PARTYLINE_PORT:-8080}",
            description = "TCP port for HTTP and WebSockets. Env PARTYLINE_PORT. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "${env:PARTYLINE_HOST:-0.0.0.0}",
            description = "Address to bind. Env PARTYLINE_HOST. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--allowed-origin", split = ",", defaultValue = "${env:PARTYLINE_ALLOWED_ORIGINS}",
            description = "Browser origin allowed besides this server's own host and localhost, e.g. "
                    + "https://party.example.com; repeatable; * allows any. Env PARTYLINE_ALLOWED_ORIGINS (comma-separated).")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--jwt-secret", defaultValue = "${env:PARTYLINE_JWT_SECRET}",
            description = "HS256 secret: /api/tickets then requires Authorization: Bearer <JWT> instead of guest "
                    + "names. Env PARTYLINE_JWT_SECRET.")
    String jwtSecret;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:PARTYLINE_MAX_FRAME_BYTES:-65536}",
            description = "Largest WebSocket message; larger closes with 1009. Env PARTYLINE_MAX_FRAME_BYTES. Default: ${DEFAULT-VALUE}.")
    int maxFrameBytes;

    @Option(names = "--messages-per-second", defaultValue = "${env:PARTYLINE_MESSAGES_PER_SECOND:-30}",
            description = "Messages per connection per second (then rate_limited). Env PARTYLINE_MESSAGES_PER_SECOND. Default: ${DEFAULT-VALUE}.")
    double messagesPerSecond;

    @Option(names = "--message-burst", defaultValue = "${env:PARTYLINE_MESSAGE_BURST:-60}",
            description = "Messages a connection may send at once. Env PARTYLINE_MESSAGE_BURST. Default: ${DEFAULT-VALUE}.")
    int messageBurst;

    @Option(names = "--max-refused-messages", defaultValue = "${env:PARTYLINE_MAX_REFUSED_MESSAGES:-30}",
            description = "Rate-limited messages in a row before close 1008. Env PARTYLINE_MAX_REFUSED_MESSAGES. Default: ${DEFAULT-VALUE}.")
    int maxRefusedMessages;

    @Option(names = "--auth-timeout-ms", defaultValue = "${env:PARTYLINE_AUTH_TIMEOUT_MS:-5000}",
            description = "Time for the auth frame when the URL had no ticket (then 4002). Env PARTYLINE_AUTH_TIMEOUT_MS. Default: ${DEFAULT-VALUE}.")
    long authTimeoutMs;

    @Option(names = "--heartbeat-ms", defaultValue = "${env:PARTYLINE_HEARTBEAT_MS:-20000}",
            description = "Ping interval; 2 missed pongs close the socket. Env PARTYLINE_HEARTBEAT_MS. Default: ${DEFAULT-VALUE}.")
    long heartbeatMs;

    @Option(names = "--failed-joins-per-minute", defaultValue = "${env:PARTYLINE_FAILED_JOINS_PER_MINUTE:-20}",
            description = "Wrong room codes per IP per minute (then rate_limited). Env PARTYLINE_FAILED_JOINS_PER_MINUTE. Default: ${DEFAULT-VALUE}.")
    int failedJoinsPerMinute;

    @Option(names = "--max-connections-per-ip", defaultValue = "${env:PARTYLINE_MAX_CONNECTIONS_PER_IP:-500}",
            description = "Open connections per IP address (then HTTP 429). Env PARTYLINE_MAX_CONNECTIONS_PER_IP. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerIp;

    @Option(names = "--write-buffer-bytes", defaultValue = "${env:PARTYLINE_WRITE_BUFFER_BYTES:-1048576}",
            description = "Unsent bytes after which a client that does not read is closed (1008). Env PARTYLINE_WRITE_BUFFER_BYTES. Default: ${DEFAULT-VALUE}.")
    int writeBufferBytes;

    @Option(names = "--session-grace-seconds", defaultValue = "${env:PARTYLINE_SESSION_GRACE_SECONDS:-120}",
            description = "How long a dropped player keeps its seat and may resume. Env PARTYLINE_SESSION_GRACE_SECONDS. Default: ${DEFAULT-VALUE}.")
    long sessionGraceSeconds;

    @Option(names = "--room-grace-seconds", defaultValue = "${env:PARTYLINE_ROOM_GRACE_SECONDS:-60}",
            description = "How long a room with no one connected is kept. Env PARTYLINE_ROOM_GRACE_SECONDS. Default: ${DEFAULT-VALUE}.")
    long roomGraceSeconds;

    @Option(names = "--event-log-size", defaultValue = "${env:PARTYLINE_EVENT_LOG_SIZE:-1000}",
            description = "Recent events a room keeps to replay to players who come back. Env PARTYLINE_EVENT_LOG_SIZE. Default: ${DEFAULT-VALUE}.")
    int eventLogSize;

    @Option(names = "--event-log-max-age-seconds", defaultValue = "${env:PARTYLINE_EVENT_LOG_MAX_AGE_SECONDS:-600}",
            description = "How long a room keeps an event for replay. Env PARTYLINE_EVENT_LOG_MAX_AGE_SECONDS. Default: ${DEFAULT-VALUE}.")
    long eventLogMaxAgeSeconds;

    @Option(names = "--ticket-ttl-seconds", defaultValue = "${env:PARTYLINE_TICKET_TTL_SECONDS:-30}",
            description = "How long a ticket stays good. Env PARTYLINE_TICKET_TTL_SECONDS. Default: ${DEFAULT-VALUE}.")
    long ticketTtlSeconds;

    @Option(names = "--io-threads", defaultValue = "${env:PARTYLINE_IO_THREADS:-0}",
            description = "Event loop threads; 0 = one per core. Env PARTYLINE_IO_THREADS. Default: ${DEFAULT-VALUE}.")
    int ioThreads;

    @Option(names = "--min-round-seconds", defaultValue = "${env:PARTYLINE_MIN_ROUND_SECONDS:-20}",
            description = "Shortest Switchonyms round a room may ask for, 1 to 300 (tests use short rounds). "
                    + "Env PARTYLINE_MIN_ROUND_SECONDS. Default: ${DEFAULT-VALUE}.")
    int minRoundSeconds;

    @Option(names = "--max-chat-members", defaultValue = "${env:PARTYLINE_MAX_CHAT_MEMBERS:-100}",
            description = "Most members a chat room admits (the bench's fanout needs 5,001). "
                    + "Env PARTYLINE_MAX_CHAT_MEMBERS. Default: ${DEFAULT-VALUE}.")
    int maxChatMembers;

    /** The server configuration these options describe. */
    public ServerConfig toConfig() {
        Limits limits = new Limits(maxFrameBytes, messagesPerSecond, messageBurst, maxRefusedMessages,
                Duration.ofMillis(authTimeoutMs), Duration.ofMillis(heartbeatMs), Limits.DEFAULTS.maxMissedPongs(),
                failedJoinsPerMinute, maxConnectionsPerIp, writeBufferBytes,
                Duration.ofSeconds(sessionGraceSeconds), Duration.ofSeconds(ticketTtlSeconds));
        List<String> origins = allowedOrigins == null ? List.of() : allowedOrigins;
        return new ServerConfig(host, port, origins, blankToNull(jwtSecret), limits,
                RoomSettings.DEFAULTS.withEmptyRoomGrace(Duration.ofSeconds(roomGraceSeconds))
                        .withEventLog(eventLogSize, Duration.ofSeconds(eventLogMaxAgeSeconds)),
                Duration.ofSeconds(2), ioThreads);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
