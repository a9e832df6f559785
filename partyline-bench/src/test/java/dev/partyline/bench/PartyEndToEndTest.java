package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CI smoke of the bench: each scenario, small and short, against a real in-process node. */
class PartyEndToEndTest {
    private static PartylineServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, List.of(), null, Limits.DEFAULTS, RoomSettings.DEFAULTS,
                Duration.ofSeconds(2), 2);
        server = new PartylineServer(config, new RoomTypeRegistry(Games.all()), new LocalBroker()).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static BenchSettings settings() {
        return new BenchSettings(URI.create("http://127.0.0.1:" + server.port()), 4, 8, Duration.ofSeconds(10), 2,
                ProcessHandle.current().pid());
    }

    @Test
    void partyDeliversEveryMessageToEveryMemberExactlyOnce() throws Exception {
        BenchResult result = new Party(settings(), System.err).party(4, 3, 5, Duration.ofSeconds(2), Duration.ofSeconds(5));

        Report.table(result, System.out);
        assertThat(result.connected()).isEqualTo(12);
        DeliveryCounts counts = result.counts();
        assertThat(counts.sent()).isEqualTo(12 * 10);
        assertThat(counts.expected()).isEqualTo(12 * 10 * 3);
        assertThat(counts.delivered()).isEqualTo(counts.expected());
        assertThat(counts.lost()).isZero();
        assertThat(counts.duplicated()).isZero();
        assertThat(result.errors()).isEmpty();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(counts.expected());
        assertThat(result.serverCpu()).isNotNull();
        assertThat(Report.json(result).path("lost").asLong()).isZero();
    }

    @Test
    void fanoutDeliversEveryPublishedMessageToEverySubscriberExactlyOnce() throws Exception {
        BenchResult result = new Party(settings(), null).fanout(20, 10, Duration.ofSeconds(2), Duration.ofSeconds(5));

        Report.table(result, System.out);
        assertThat(result.connected()).isEqualTo(21);
        DeliveryCounts counts = result.counts();
        assertThat(counts.sent()).isEqualTo(20);
        assertThat(counts.expected()).isEqualTo(20 * 21);
        assertThat(counts.delivered()).isEqualTo(counts.expected());
        assertThat(counts.lost()).isZero();
        assertThat(counts.duplicated()).isZero();
        assertThat(result.errors()).isEmpty();
        assertThat(result.parameters()).containsEntry("subscribers", 20);
    }

    @Test
    void connectJoinsEveryConnectionAndTimesItsHandshake() throws Exception {
        BenchResult result = new Party(settings(), null).connect(20);

        assertThat(result.connected()).isEqualTo(24);
        assertThat(result.handshakeMicros().getTotalCount()).isEqualTo(24);
        assertThat(result.connectionsPerSecond()).isPositive();
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void aTargetThatIsNotLoopbackIsRefusedWithoutAllowRemote() {
        BenchSettings remote = new BenchSettings(URI.create("http://192.0.2.1:8080"), 0, 1, Duration.ofSeconds(1), 1, null);
        assertThatThrownBy(() -> remote.checkTarget(false)).hasMessageContaining("--allow-remote");
        remote.checkTarget(true);
    }
}
