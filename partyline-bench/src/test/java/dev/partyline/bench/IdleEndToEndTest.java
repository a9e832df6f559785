package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.games.Games;
import dev.partyline.server.PartylineServer;
import dev.partyline.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code idle} against a real node whose heartbeat is fast (a ping every 200 ms, closing after one
 * unanswered): the held connections survive only if the bench answers the pings.
 */
class IdleEndToEndTest {

    @Test
    void idleConnectionsAnswerHeartbeatsAndStayOpenForTheHold() throws Exception {
        Limits d = Limits.DEFAULTS;
        Limits fastHeartbeat = new Limits(d.maxFrameBytes(), d.messagesPerSecond(), d.messageBurst(),
                d.maxRefusedMessages(), d.authTimeout(), Duration.ofMillis(200), 1, d.failedJoinsPerMinute(),
                d.connectionsPerAddress(), d.writeBufferHighWaterBytes(), d.sessionGrace(), d.ticketTtl());
        ServerConfig config = new ServerConfig("127.0.0.1", 0, List.of(), null, fastHeartbeat, RoomSettings.DEFAULTS,
                Duration.ofSeconds(2), 2);
        PartylineServer server = new PartylineServer(config, new RoomTypeRegistry(Games.all()), new LocalBroker()).start();
        try {
            BenchSettings settings = new BenchSettings(URI.create("http://127.0.0.1:" + server.port()), 4, 8,
                    Duration.ofSeconds(10), 2, ProcessHandle.current().pid());

            BenchResult result = new Party(settings, null).idle(16, Duration.ofSeconds(1));

            Report.table(result, System.out);
            assertThat(result.scenario()).isEqualTo("idle");
            assertThat(result.connected()).isEqualTo(16);
            assertThat(result.errors()).isEmpty();
            assertThat(result.measured()).isGreaterThanOrEqualTo(Duration.ofMillis(990));
            assertThat(result.counts().sent()).isZero();
            assertThat(result.serverRssBytesPerConnection()).isNotNaN();
            assertThat(Report.json(result).path("server").has("rssBytesPerConnection")).isTrue();
        } finally {
            server.close();
        }
    }
}
