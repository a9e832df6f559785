package dev.partyline.core.limit;

import java.time.Duration;

/**
 * Every configurable limit of a node (DESIGN.md, "Limits").
 *
 * @param maxFrameBytes largest WebSocket frame accepted (close 1009 beyond)
 * @param messagesPerSecond sustained messages per connection
 * @param messageBurst messages a connection may send at once
 * @param maxRefusedMessages refusals in a row after which the connection is closed with 1008
 * @param authTimeout how long a connection without a ticket has to send {@code auth} (close 4002)
 * @param heartbeatInterval how often the server pings; a connection missing
 *     {@code maxMissedPongs} pongs in a row is closed
 * @param maxMissedPongs see above
 * @param failedJoinsPerMinute joins with a wrong code allowed per IP address per minute
 * @param connectionsPerAddress open connections allowed per IP address
 * @param writeBufferHighWaterBytes unsent bytes after which a connection counts as a slow consumer (close 1008)
 * @param sessionGrace how long a dropped session keeps its seats and may resume
 * @param ticketTtl how long a ticket stays good
 */
public record Limits(int maxFrameBytes, double messagesPerSecond, int messageBurst, int maxRefusedMessages,
                     Duration authTimeout, Duration heartbeatInterval, int maxMissedPongs,
                     int failedJoinsPerMinute, int connectionsPerAddress, int writeBufferHighWaterBytes,
                     Duration sessionGrace, Duration ticketTtl) {

    public static final Limits DEFAULTS = new Limits(64 * 1024, 30, 60, 30,
            Duration.ofSeconds(5), Duration.ofSeconds(20), 2,
            20, 500, 1024 * 1024,
            Duration.ofSeconds(120), Duration.ofSeconds(30));

    public Limits {
        if (maxFrameBytes < 1024 || messagesPerSecond <= 0 || messageBurst < 1 || maxRefusedMessages < 0
                || failedJoinsPerMinute < 1 || connectionsPerAddress < 1 || writeBufferHighWaterBytes < 1024
                || maxMissedPongs < 1) {
            throw new IllegalArgumentException("limits out of range: " + this);
        }
    }
}
