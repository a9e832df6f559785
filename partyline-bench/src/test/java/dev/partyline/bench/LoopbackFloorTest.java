package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoopbackFloorTest {

    @Test
    void measuresTheKernelCostOfEachWrite() throws Exception {
        LoopbackFloor.Result result = LoopbackFloor.measure(4, 120, Duration.ofMillis(300));

        assertThat(result.writes()).isPositive();
        // A loopback write is a system call plus TCP on both ends: never free, never a millisecond.
        assertThat(result.writerCpuMicrosPerWrite()).isGreaterThan(0.05).isLessThan(1000);
        assertThat(result.readerCpuMicrosPerWrite()).isGreaterThan(0);
    }

    @Test
    void pacedBurstsKeepTheirRateAndAreTimed() throws Exception {
        // 8 sockets in bursts of 4, 200 bursts a second for 0.5 s: about 100 bursts, 400 writes.
        LoopbackFloor.Result result = LoopbackFloor.measure(8, 120, Duration.ofMillis(500), 4, 200);

        assertThat(result.writes() % 4).isZero();
        assertThat(result.writes()).isBetween(4L * 80, 4L * 101);
        assertThat(result.burstMicros().getTotalCount()).isEqualTo(result.writes() / 4);
        // Four writes on loopback: more than nothing, far less than the 5 ms between bursts.
        assertThat(result.burstMicros().getValueAtPercentile(50)).isPositive().isLessThan(5_000);
    }

    @Test
    void floorCommandWritesItsJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("floor.json");

        int status = new CommandLine(new BenchMain()).execute("floor", "--sockets", "16", "--duration", "1",
                "--json", json.toString());

        assertThat(status).isZero();
        JsonNode node = Json.mapper().readTree(Files.readString(json));
        assertThat(node.get("scenario").asText()).isEqualTo("floor");
        assertThat(node.get("sockets").asInt()).isEqualTo(16);
        assertThat(node.get("writes").asLong()).isPositive();
        assertThat(node.get("writerCpuMicrosPerWrite").asDouble()).isPositive();
    }

    @Test
    void floorCommandRefusesABurstLargerThanItsSockets() {
        int status = new CommandLine(new BenchMain()).execute("floor", "--sockets", "4", "--burst", "5");

        assertThat(status).isNotZero();
    }

    @Test
    void floorCommandRefusesMoreSocketsThanTheOpenFileCapAllows() {
        int status = new CommandLine(new BenchMain()).execute("floor", "--sockets", "20000");

        assertThat(status).isNotZero();
    }
}
