package dev.partyline.server;

import dev.partyline.protocol.CloseCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The node's Prometheus metrics: open connections, rooms and sessions, messages in and out,
 * errors by code and closes by code. Thread-safe.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<CloseCode, Counter> closes = new ConcurrentHashMap<>();

    ServerMetrics(IntSupplier rooms, IntSupplier sessions) {
        Gauge.builder("partyline.connections", connections, AtomicInteger::get)
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("partyline.rooms", rooms::getAsInt).description("Live rooms").register(registry);
        Gauge.builder("partyline.sessions", sessions::getAsInt)
                .description("Player sessions, connected or away").register(registry);
        messagesIn = Counter.builder("partyline.messages.in").description("Frames received from clients").register(registry);
        messagesOut = Counter.builder("partyline.messages.out").description("Frames sent to clients").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void messageIn() {
        messagesIn.increment();
    }

    void messagesOut(int count) {
        messagesOut.increment(count);
    }

    /** One error sent to a client, by its wire code. */
    void error(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("partyline.errors").tag("code", c)
                .description("Errors answered to clients, by code").register(registry)).increment();
    }

    void closed(CloseCode code) {
        closes.computeIfAbsent(code, c -> Counter.builder("partyline.closes").tag("code", Integer.toString(c.code()))
                .description("Connections closed by the server, by close code").register(registry)).increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
