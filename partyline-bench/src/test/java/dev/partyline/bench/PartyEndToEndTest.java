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
import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
        // The bench and the in-process server ran for seconds: the machine was busy for some of it.
        assertThat(result.machine().busyCores()).isPositive();
        assertThat(Report.json(result).path("machine").path("cores").asInt()).isEqualTo(result.machine().cores());
        assertThat(Report.machineRow(result)).contains(" cores busy over ", ", steal ");
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
    void connectWarmsUpOnConnectionsItDoesNotReport(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("connect.json");
        double framesBefore = framesReceivedByServer();

        int status = new CommandLine(new BenchMain()).execute("connect", "--url", "http://127.0.0.1:" + server.port(),
                "--connections", "16", "--warmup", "8", "--source-addresses", "4", "--quiet", "--json", json.toString());

        assertThat(status).isZero();
        JsonNode report = Json.mapper().readTree(Files.readString(json));
        assertThat(report.get("connected").asInt()).isEqualTo(16);
        assertThat(report.get("handshakeMs").get("count").asInt()).isEqualTo(16);
        // Each connection sends the server one frame (its create or join): the warm-up's 8 came too.
        assertThat(framesReceivedByServer() - framesBefore).isEqualTo(24);
    }

    /** The server's count of frames received from clients, from /metrics. */
    private static double framesReceivedByServer() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("partyline_messages_in_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void findMaxRunsItsStepsOnTheSameClientsAndReportsTheLastPassingRate() throws Exception {
        // Rates 2, 4 and 8 per client (under the server's 30/s) for 1 s each: every step passes.
        FindMax plan = new FindMax(2, 2, Duration.ofSeconds(1), Duration.ofSeconds(5), Double.MAX_VALUE, 3, 0.999,
                Duration.ofSeconds(2));

        BenchResult result = new Party(settings(), System.err).findMax(3, 3, plan);

        Report.table(result, System.out);
        assertThat(result.connected()).isEqualTo(9);
        assertThat(result.steps()).hasSize(3);
        long sentInSteps = 0;
        for (StepResult step : result.steps()) {
            double rate = 2 << (step.step() - 1);
            DeliveryCounts counts = step.counts();
            assertThat(step.rate()).isEqualTo(rate);
            assertThat(counts.sent()).isEqualTo(9 * (long) rate);
            assertThat(counts.expected()).isEqualTo(counts.sent() * 3);
            assertThat(counts.unique()).isEqualTo(counts.expected());
            assertThat(counts.lost()).isZero();
            assertThat(counts.duplicated()).isZero();
            assertThat(step.latencyMicros().getTotalCount()).isEqualTo(counts.expected());
            assertThat(step.passed()).as(step.failure()).isTrue();
            sentInSteps += counts.sent();
        }
        assertThat(result.counts().sent()).isEqualTo(sentInSteps);
        assertThat(result.counts().lost()).isZero();
        assertThat(result.stopReason()).isEqualTo("--max-steps 3 reached");
        StepResult best = result.lastPassingStep();
        assertThat(best.step()).isEqualTo(3);
        assertThat(best.deliveriesPerSecond()).isCloseTo(9 * 8 * 3, org.assertj.core.api.Assertions.within(0.5));
        var json = Report.json(result).path("findMax");
        assertThat(json.path("steps")).hasSize(3);
        assertThat(json.path("maxPassingDeliveriesPerSecond").asDouble()).isEqualTo(best.deliveriesPerSecond());
        assertThat(json.path("steps").get(2).path("passed").asBoolean()).isTrue();
    }

    @Test
    void findMaxStopsAtTheStepTheServerRateLimits() throws Exception {
        Limits d = Limits.DEFAULTS;
        Limits fourPerSecond = new Limits(d.maxFrameBytes(), 4, 4, d.maxRefusedMessages(), d.authTimeout(),
                d.heartbeatInterval(), d.maxMissedPongs(), d.failedJoinsPerMinute(), d.connectionsPerAddress(),
                d.writeBufferHighWaterBytes(), d.sessionGrace(), d.ticketTtl());
        ServerConfig config = new ServerConfig("127.0.0.1", 0, List.of(), null, fourPerSecond, RoomSettings.DEFAULTS,
                Duration.ofSeconds(2), 2);
        PartylineServer limited = new PartylineServer(config, new RoomTypeRegistry(Games.all()), new LocalBroker()).start();
        try {
            BenchSettings settings = new BenchSettings(URI.create("http://127.0.0.1:" + limited.port()), 4, 8,
                    Duration.ofSeconds(10), 2, null);
            FindMax plan = new FindMax(2, 4, Duration.ofSeconds(1), Duration.ofSeconds(2), Double.MAX_VALUE, 5, 0.999,
                    Duration.ofSeconds(2));

            BenchResult result = new Party(settings, null).findMax(2, 3, plan);

            Report.table(result, System.out);
            assertThat(result.steps()).hasSize(2);
            assertThat(result.steps().get(0).passed()).isTrue();
            StepResult refused = result.steps().get(1);
            assertThat(refused.rate()).isEqualTo(8);
            assertThat(refused.passed()).isFalse();
            assertThat(refused.errors()).containsKey("rate_limited");
            assertThat(refused.counts().lost()).isEqualTo(refused.errors().get("rate_limited") * 3);
            assertThat(refused.failure()).startsWith("delivered").contains("rate_limited").contains("--messages-per-second");
            assertThat(result.stopReason()).startsWith("step 2: delivered");
            assertThat(result.lastPassingStep().step()).isEqualTo(1);
        } finally {
            limited.close();
        }
    }

    @Test
    void aTargetThatIsNotLoopbackIsRefusedWithoutAllowRemote() {
        BenchSettings remote = new BenchSettings(URI.create("http://192.0.2.1:8080"), 0, 1, Duration.ofSeconds(1), 1, null);
        assertThatThrownBy(() -> remote.checkTarget(false)).hasMessageContaining("--allow-remote");
        remote.checkTarget(true);
    }
}
