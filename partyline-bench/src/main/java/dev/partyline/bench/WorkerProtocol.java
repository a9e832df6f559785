package dev.partyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/**
 * The lines a worker process and its {@link Coordinator} exchange, one message a line. A worker
 * prints {@code @bench ready}, {@code @bench progress JSON}, {@code @bench measured} and
 * {@code @bench result JSON} on its stdout; every other line there is not the protocol's. The
 * coordinator writes {@code go} and {@code finish} to the worker's stdin. Histograms travel in
 * HdrHistogram's compressed encoding, base64, so that merging them loses nothing. Stateless.
 */
final class WorkerProtocol {
    /** Coordinator to worker: begin the send phase (or the hold). */
    static final String GO = "go";
    /** Coordinator to worker: count, close and report. */
    static final String FINISH = "finish";
    private static final String PREFIX = "@bench ";
    private static final String READY = PREFIX + "ready";
    private static final String MEASURED = PREFIX + "measured";
    private static final String PROGRESS = PREFIX + "progress ";
    private static final String RESULT = PREFIX + "result ";

    private WorkerProtocol() {}

    static String ready() {
        return READY;
    }

    static String measured() {
        return MEASURED;
    }

    static String progress(Progress progress) {
        ObjectNode node = Json.nodes().objectNode()
                .put("seconds", progress.seconds())
                .put("connected", progress.connected())
                .put("clients", progress.clients())
                .put("sent", progress.sent())
                .put("delivered", progress.delivered())
                .put("expected", progress.expected())
                .put("errors", progress.errors())
                .put("latency", encode(progress.latencyMicros()));
        return PROGRESS + node;
    }

    /** A worker's result: everything of it but its parameters, which the coordinator knows. */
    static String result(BenchResult result) {
        DeliveryCounts c = result.counts();
        ObjectNode node = Json.nodes().objectNode()
                .put("scenario", result.scenario())
                .put("transport", result.transport())
                .put("clients", result.clients())
                .put("connected", result.connected())
                .put("connectNanos", result.connectTime().toNanos())
                .put("measuredNanos", result.measured().toNanos())
                .put("sent", c.sent())
                .put("expected", c.expected())
                .put("delivered", c.delivered())
                .put("unique", c.unique())
                .put("lost", c.lost())
                .put("duplicated", c.duplicated())
                .put("latency", encode(result.latencyMicros()))
                .put("handshake", encode(result.handshakeMicros()));
        ObjectNode errors = node.putObject("errors");
        result.errors().forEach(errors::put);
        if (result.ownCpu() == null) {
            node.putNull("ownCpuNanos");
        } else {
            node.put("ownCpuNanos", result.ownCpu().toNanos());
        }
        return RESULT + node;
    }

    /**
     * Reads one line of a worker's stdout.
     *
     * @return the message, or null for a line that is not the protocol's
     * @throws IllegalArgumentException for a protocol line that cannot be read
     */
    static WorkerMessage parse(String line) {
        if (line.equals(READY)) {
            return new WorkerMessage.Ready();
        }
        if (line.equals(MEASURED)) {
            return new WorkerMessage.Measured();
        }
        try {
            if (line.startsWith(PROGRESS)) {
                JsonNode n = Json.mapper().readTree(line.substring(PROGRESS.length()));
                return new WorkerMessage.Ticked(new Progress(n.path("seconds").asLong(), n.path("connected").asInt(),
                        n.path("clients").asInt(), n.path("sent").asLong(), n.path("delivered").asLong(),
                        n.path("expected").asLong(), n.path("errors").asLong(), decode(n.path("latency").asText())));
            }
            if (line.startsWith(RESULT)) {
                return new WorkerMessage.Finished(readResult(Json.mapper().readTree(line.substring(RESULT.length()))));
            }
        } catch (IOException | DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable worker line: " + abbreviate(line), e);
        }
        if (line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("unknown worker line: " + abbreviate(line));
        }
        return null;
    }

    private static BenchResult readResult(JsonNode n) throws DataFormatException {
        DeliveryCounts counts = new DeliveryCounts(n.path("sent").asLong(), n.path("expected").asLong(),
                n.path("delivered").asLong(), n.path("unique").asLong(), n.path("lost").asLong(),
                n.path("duplicated").asLong());
        Map<String, Long> errors = new TreeMap<>();
        n.path("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asLong()));
        JsonNode ownCpu = n.path("ownCpuNanos");
        return new BenchResult(n.path("scenario").asText(), Map.of(), n.path("transport").asText(),
                n.path("clients").asInt(), n.path("connected").asInt(), Duration.ofNanos(n.path("connectNanos").asLong()),
                Duration.ofNanos(n.path("measuredNanos").asLong()), counts, decode(n.path("latency").asText()),
                decode(n.path("handshake").asText()), errors, null, null,
                ownCpu.isNumber() ? Duration.ofNanos(ownCpu.asLong()) : null, List.of(), null, null);
    }

    /** A histogram in HdrHistogram's compressed encoding, base64. */
    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer, Deflater.BEST_SPEED);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /**
     * Reads {@link #encode}'s form.
     *
     * @throws DataFormatException when the bytes are no compressed histogram
     * @throws IllegalArgumentException when the text is not base64
     */
    static Histogram decode(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
