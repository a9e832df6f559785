package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.games.Games;
import dev.partyline.protocol.Json;
import dev.partyline.server.PartylineServer;
import dev.partyline.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --processes 2} against a real in-process node: the command line as a user runs it, with
 * two worker JVMs started from this JVM's java binary and class path, and one combined report.
 */
class SeveralProcessesEndToEndTest {
    private static PartylineServer server;

    @TempDir
    Path dir;

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

    /** Runs the bench's command line with small, bounded settings; returns its exit status. */
    private static int bench(StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + server.port(), "--source-addresses", "4", "--concurrency", "8",
                "--io-threads", "1", "--connect-timeout", "10"));
        CommandLine command = new CommandLine(new BenchMain());
        command.setErr(new PrintWriter(err, true));
        return command.execute(all.toArray(String[]::new));
    }

    private static JsonNode read(Path json) throws Exception {
        return Json.mapper().readTree(json.toFile());
    }

    @Test
    void partySplitOverTwoProcessesDeliversEveryMessageExactlyOnceInOneReport() throws Exception {
        Path json = dir.resolve("party.json");

        int status = bench(new StringWriter(), "party", "--processes", "2", "--rooms", "10", "--clients", "4",
                "--rate", "2", "--duration", "2", "--drain", "5", "--server-pid", Long.toString(ProcessHandle.current().pid()),
                "--json", json.toString());

        JsonNode result = read(json);
        assertThat(status).isZero();
        assertThat(result.path("parameters").path("processes").asInt()).isEqualTo(2);
        assertThat(result.path("parameters").path("rooms").asInt()).isEqualTo(10);
        assertThat(result.path("clients").asInt()).isEqualTo(40);
        assertThat(result.path("connected").asInt()).isEqualTo(40);
        assertThat(result.path("sent").asLong()).isEqualTo(40 * 4); // 2 msg/s for 2 s each
        assertThat(result.path("expected").asLong()).isEqualTo(40 * 4 * 4);
        assertThat(result.path("delivered").asLong()).isEqualTo(result.path("expected").asLong());
        assertThat(result.path("unique").asLong()).isEqualTo(result.path("expected").asLong());
        assertThat(result.path("lost").asLong()).isZero();
        assertThat(result.path("duplicated").asLong()).isZero();
        assertThat(result.path("latencyMs").path("count").asLong()).isEqualTo(result.path("unique").asLong());
        assertThat(result.path("handshakeMs").path("count").asLong()).isEqualTo(40);
        assertThat(result.path("errors").size()).isZero();
        assertThat(result.path("measuredSeconds").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(result.path("server").path("cpuSeconds").isNumber()).isTrue();
        assertThat(result.path("benchCpuSeconds").asDouble()).isPositive();
    }

    @Test
    void idleSplitOverTwoProcessesHoldsEveryConnection() throws Exception {
        Path json = dir.resolve("idle.json");

        int status = bench(new StringWriter(), "idle", "--processes", "2", "--connections", "40", "--duration", "1",
                "--server-pid", Long.toString(ProcessHandle.current().pid()), "--json", json.toString(), "--quiet");

        JsonNode result = read(json);
        assertThat(status).isZero();
        assertThat(result.path("parameters").path("processes").asInt()).isEqualTo(2);
        assertThat(result.path("clients").asInt()).isEqualTo(40);
        assertThat(result.path("connected").asInt()).isEqualTo(40);
        assertThat(result.path("measuredSeconds").asDouble()).isGreaterThanOrEqualTo(0.99);
        assertThat(result.path("errors").size()).isZero();
        assertThat(result.path("server").has("rssBytesPerConnection")).isTrue();
    }

    @Test
    void connectSplitOverTwoProcessesJoinsEveryConnection() throws Exception {
        Path json = dir.resolve("connect.json");

        int status = bench(new StringWriter(), "connect", "--processes", "2", "--connections", "24", "--json",
                json.toString(), "--quiet");

        JsonNode result = read(json);
        assertThat(status).isZero();
        assertThat(result.path("parameters").path("processes").asInt()).isEqualTo(2);
        assertThat(result.path("connected").asInt()).isEqualTo(24);
        assertThat(result.path("handshakeMs").path("count").asLong()).isEqualTo(24);
        assertThat(result.path("errors").size()).isZero();
    }

    @Test
    void fanoutIsRefusedAsSeveralProcessesAndSaysWhy() {
        StringWriter err = new StringWriter();

        int status = bench(err, "fanout", "--processes", "2", "--subscribers", "10", "--duration", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("fanout cannot be split over processes").contains("its one room");
    }

    @Test
    void findMaxIsRefusedAsSeveralProcessesAndSaysWhy() {
        StringWriter err = new StringWriter();

        int status = bench(err, "party", "--find-max", "--processes", "2", "--rooms", "4");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("party --find-max cannot be split over processes").contains("fixed --rate");
    }

    @Test
    void moreProcessesThanRoomsAreRefused() {
        StringWriter err = new StringWriter();

        int status = bench(err, "connect", "--processes", "3", "--connections", "16");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--processes 3 needs at least 3 rooms");
    }

    @Test
    void aWorkerThatDiesFailsTheRunAtOnceKillingTheOthersAndIsNamed() throws Exception {
        BenchSettings settings = new BenchSettings(URI.create("http://127.0.0.1:" + server.port()), 4, 8,
                Duration.ofSeconds(10), 1, null);
        var plan = new Coordinator.Plan("connect", new LinkedHashMap<>(), new RoomLayout(2, 8), 2, false, Duration.ZERO,
                Duration.ZERO);
        String java = ProcessHandle.current().info().command().orElseThrow();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long started = System.nanoTime();

        // Worker 1 would hang for 30 s without a word; worker 2 exits at once without one.
        BenchResult result = new Coordinator(settings, null, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(plan, share -> share.number() == 1 ? List.of("sleep", "30") : List.of(java, "-version"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(result.clients()).isEqualTo(16);
        assertThat(result.connected()).isZero();
        assertThat(result.errors()).containsEntry(CombinedResult.WORKER_FAILED, 2L);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("worker 2/2 failed: exited with status 0 before its ready")
                .contains("worker 1/2 failed: stopped when another worker failed");
    }
}
