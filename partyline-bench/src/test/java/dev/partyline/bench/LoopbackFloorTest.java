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
    void floorCommandRefusesMoreSocketsThanTheOpenFileCapAllows() {
        int status = new CommandLine(new BenchMain()).execute("floor", "--sockets", "20000");

        assertThat(status).isNotZero();
    }
}
