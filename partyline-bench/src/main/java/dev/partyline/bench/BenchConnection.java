package dev.partyline.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.partyline.protocol.Json;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One bench client: the last handler of its channel's pipeline. It completes {@link #upgraded()}
 * and {@link #welcomed()}, answers requests by {@code id}, sends chat messages on a fixed schedule
 * and records every chat {@code message} event it receives in its {@link DeliveryLedger} and in
 * the run's {@link Metrics}.
 *
 * <p>A message's text is {@code b<sender>.<seq>.<intended>}, the intended send time in
 * nanoseconds after the run's epoch ({@link System#nanoTime()} of this process, which holds both
 * sender and receivers). Latency counts from that intended time, not from the actual write, so a
 * late send does not hide the delay that made it late (coordinated omission).
 *
 * <p>Frame handling and sending run on the channel's event loop; the ledger and the send state
 * are confined to it. The request methods are thread-safe.
 */
public final class BenchConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** Reads one value in the middle of a frame: the rest of the frame is no trailing garbage. */
    private static final ObjectReader TREES = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int id;
    private final int room;
    private final long epochNanos;
    private final Metrics metrics;
    private final AtomicLongArray sentPerRoom;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final CompletableFuture<BenchConnection> upgraded = new CompletableFuture<>();
    private final CompletableFuture<BenchConnection> welcomed = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong();
    private volatile Channel channel;
    private volatile String roomCode;
    private volatile boolean closing;
    private volatile int closeCode = -1;

    // Send schedule: event loop only.
    private long firstIntended;
    private long interval;
    private int seqBase;
    private int seqEnd;
    private int nextSeq;
    private int schedule;
    private Steps.Stats step;
    private long sent;

    /**
     * @param id this client's bench-wide id, at least 0
     * @param room the index of its room
     * @param epochNanos the run's {@link System#nanoTime()} origin
     * @param metrics the run's counters
     * @param sentPerRoom messages sent per room index, incremented on every send
     */
    public BenchConnection(int id, int room, long epochNanos, Metrics metrics, AtomicLongArray sentPerRoom) {
        this.id = id;
        this.room = room;
        this.epochNanos = epochNanos;
        this.metrics = metrics;
        this.sentPerRoom = sentPerRoom;
    }

    public int id() {
        return id;
    }

    public int room() {
        return room;
    }

    /** The channel, or null before it was registered. */
    public Channel channel() {
        return channel;
    }

    /** The code of the room this client is in, or null before its create or join succeeded. */
    public String roomCode() {
        return roomCode;
    }

    /** Completes (on the event loop) once the WebSocket upgrade is done; exceptionally if it failed. */
    public CompletableFuture<BenchConnection> upgraded() {
        return upgraded;
    }

    /** Completes (on the event loop) when {@code welcome} arrived; exceptionally if the socket closed first. */
    public CompletableFuture<BenchConnection> welcomed() {
        return welcomed;
    }

    /** The text a message carries; see the class comment. */
    static String messageText(int sender, int seq, long intendedNanos) {
        return "b" + sender + "." + seq + "." + intendedNanos;
    }

    /**
     * Reads {@link #messageText}: {@code {sender, seq, intended}}, or null for a text this bench
     * did not write.
     */
    static long[] parseMessageText(String text) {
        if (text == null || text.length() < 6 || text.charAt(0) != 'b') {
            return null;
        }
        int first = text.indexOf('.');
        int second = first < 0 ? -1 : text.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new long[] {Integer.parseInt(text, 1, first, 10), Integer.parseInt(text, first + 1, second, 10),
                    Long.parseLong(text, second + 1, text.length(), 10)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Creates a room of {@code type} (plain ASCII); completes with its code. Thread-safe. */
    public CompletableFuture<String> create(String type) {
        long requestId = nextRequestId.incrementAndGet();
        return request(requestId, "{\"t\":\"create\",\"id\":" + requestId + ",\"type\":\"" + type + "\"}")
                .thenApply(room -> {
                    roomCode = room;
                    return room;
                });
    }

    /** Joins room {@code code}; completes with the code. Thread-safe. */
    public CompletableFuture<String> join(String code) {
        long requestId = nextRequestId.incrementAndGet();
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(code));
        return request(requestId, "{\"t\":\"join\",\"id\":" + requestId + ",\"room\":\"" + quoted + "\"}")
                .thenApply(room -> {
                    roomCode = code;
                    return code;
                });
    }

    /**
     * Sends one request, JSON built by hand (set up thousands of times), and completes with the
     * reply's {@code data.room} (null when it has none), or exceptionally with a
     * {@link BenchException} carrying the reply's error code. Thread-safe.
     */
    private CompletableFuture<String> request(long requestId, String json) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(requestId, reply);
        channel.writeAndFlush(new TextWebSocketFrame(json)).addListener(written -> {
            if (!written.isSuccess()) {
                pending.remove(requestId);
                reply.completeExceptionally(new BenchException("write_failed", String.valueOf(written.cause())));
            }
        });
        return reply;
    }

    /**
     * Starts sending {@code count} chat messages to this client's room with sequence numbers
     * {@code baseSeq}, {@code baseSeq + 1}, …, the k-th intended at {@code firstIntended + k ×
     * interval} (nanoseconds after the epoch). A later call replaces a schedule not finished yet.
     * Thread-safe.
     *
     * @param step the find-max step that counts these sends, or null
     */
    public void startSending(long firstIntended, long interval, int count, int baseSeq, Steps.Stats step) {
        channel.eventLoop().execute(() -> {
            this.firstIntended = firstIntended;
            this.interval = interval;
            this.seqBase = baseSeq;
            this.nextSeq = baseSeq;
            this.seqEnd = baseSeq + count;
            this.step = step;
            int schedule = ++this.schedule;
            sendDue(schedule);
        });
    }

    /** Sends every message whose intended time has come, then sleeps until the next one. */
    private void sendDue(int schedule) {
        Channel ch = channel;
        if (closing || !ch.isActive() || schedule != this.schedule) {
            return;
        }
        long now = System.nanoTime() - epochNanos;
        boolean wrote = false;
        while (nextSeq < seqEnd && intended(nextSeq) <= now) {
            // Built by hand, not by Jackson: the hot path; the code and the text are plain ASCII.
            String frame = "{\"t\":\"send\",\"id\":" + nextRequestId.incrementAndGet() + ",\"room\":\"" + roomCode
                    + "\",\"name\":\"message\",\"data\":{\"text\":\"" + messageText(id, nextSeq, intended(nextSeq))
                    + "\"}}";
            ch.write(new TextWebSocketFrame(frame), ch.voidPromise());
            nextSeq++;
            sent++;
            metrics.sent.increment();
            sentPerRoom.incrementAndGet(room);
            if (step != null) {
                step.sentPerRoom.incrementAndGet(room);
            }
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
        if (nextSeq < seqEnd) {
            ch.eventLoop().schedule(() -> sendDue(schedule), intended(nextSeq) - now, TimeUnit.NANOSECONDS);
        }
    }

    private long intended(int seq) {
        return firstIntended + (seq - seqBase) * interval;
    }

    /** Messages this client has sent; call on its event loop (see {@link #snapshot()}). */
    long sent() {
        return sent;
    }

    /**
     * A copy of this client's ledger counts taken on its event loop: {@code {delivered, unique,
     * duplicated, sent}}, or zeros when it never connected.
     */
    public CompletableFuture<DeliveryLedger> ledgerOnLoop() {
        Channel ch = channel;
        if (ch == null) {
            return CompletableFuture.completedFuture(new DeliveryLedger());
        }
        CompletableFuture<DeliveryLedger> result = new CompletableFuture<>();
        try {
            ch.eventLoop().execute(() -> result.complete(ledger));
        } catch (RuntimeException e) {
            result.complete(ledger);
        }
        return result;
    }

    /** Closes with 1000 and does not count the close as an error. Thread-safe, idempotent. */
    public void close() {
        closing = true;
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        if (upgraded.isDone() && !upgraded.isCompletedExceptionally()) {
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "bench done")).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close(); // still asking for its ticket or upgrading: no WebSocket to close yet
        }
    }

    void failUpgrade(Throwable cause) {
        upgraded.completeExceptionally(cause);
        welcomed.completeExceptionally(cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel(); // so that close() reaches a connection still asking for its ticket
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel();
            upgraded.complete(this);
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            failUpgrade(new BenchException("upgrade_timeout", "no WebSocket upgrade in time"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!upgraded.isDone()) {
            String code = cause instanceof WebSocketClientHandshakeException refused && refused.response() != null
                    ? "http_" + refused.response().status().code() : "upgrade_failed";
            failUpgrade(new BenchException(code, String.valueOf(cause.getMessage())));
        } else {
            metrics.error("exception");
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        BenchException closed = new BenchException(closeCode == -1 ? "close_1006" : "close_" + closeCode,
                "the connection closed");
        boolean wasUp = upgraded.isDone() && !upgraded.isCompletedExceptionally();
        failUpgrade(closed);
        pending.values().forEach(reply -> reply.completeExceptionally(closed));
        pending.clear();
        if (wasUp && !closing) {
            metrics.connected.decrementAndGet();
            metrics.error(closed.code());
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            handleText(frame);
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            ctx.close();
        } else {
            metrics.error("unexpected_frame");
        }
    }

    /**
     * Reads one frame with Jackson's streaming parser, not into a tree: every frame of a run
     * passes here, a chat message many times over. It stops as soon as it knows what it needs; a
     * reply's {@code data} is read (for its {@code room}) only when a request waits for it.
     */
    private void handleText(WebSocketFrame frame) {
        try (JsonParser parser = Json.mapper().createParser((InputStream) new ByteBufInputStream(frame.content()))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                metrics.error("bad_json");
                return;
            }
            String type = null;
            String code = null;
            long replyId = -1;
            boolean ok = false;
            String room = null;
            JsonNode error = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("t")) {
                    type = parser.getText();
                    if (type.equals("welcome")) {
                        welcomed.complete(this);
                        return;
                    }
                    if (!type.equals("event") && !type.equals("reply") && !type.equals("error")) {
                        return; // state, transfer: nothing the bench counts
                    }
                } else if (type == null) {
                    parser.skipChildren(); // the server writes "t" first; fields before it are not read
                } else if (type.equals("event")) {
                    if (field.equals("name") && !"message".equals(parser.getText())) {
                        return; // a member joined or left
                    }
                    if (field.equals("data")) {
                        onMessage(value == JsonToken.START_OBJECT ? stringField(parser, "text") : null);
                        return;
                    }
                    parser.skipChildren();
                } else if (field.equals("id") && value == JsonToken.VALUE_NUMBER_INT) {
                    replyId = parser.getLongValue();
                } else if (field.equals("ok")) {
                    ok = value == JsonToken.VALUE_TRUE;
                } else if (field.equals("code") && value == JsonToken.VALUE_STRING) {
                    code = parser.getText();
                } else if (field.equals("data") && value == JsonToken.START_OBJECT && pending.containsKey(replyId)) {
                    room = stringField(parser, "room");
                } else if (field.equals("error")) {
                    error = TREES.readTree(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if ("reply".equals(type)) {
                onReply(replyId, ok, room, error);
            } else if ("error".equals(type)) {
                metrics.error(code == null ? "error" : code);
            }
        } catch (IOException e) {
            metrics.error("bad_json");
        }
    }

    /**
     * The string field {@code name} of the object the parser is at (its start), or null; leaves
     * the parser after the object.
     */
    private static String stringField(JsonParser parser, String name) throws IOException {
        String text = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals(name) && value == JsonToken.VALUE_STRING) {
                text = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return text;
    }

    private void onReply(long replyId, boolean ok, String room, JsonNode error) {
        CompletableFuture<String> waiting = pending.remove(replyId);
        if (ok) {
            if (waiting != null) {
                waiting.complete(room);
            }
            return;
        }
        JsonNode body = error == null ? MissingNode.getInstance() : error;
        String code = body.path("code").asText("error");
        metrics.error(code);
        if (waiting != null) {
            waiting.completeExceptionally(new BenchException(code, body.path("message").asText("")));
        }
    }

    /** Called with the text of one chat {@code message} event. */
    void onMessage(String text) {
        long[] parsed = parseMessageText(text);
        if (parsed == null) {
            metrics.error("foreign_message");
            return;
        }
        long latency = System.nanoTime() - epochNanos - parsed[2];
        metrics.delivered.increment();
        boolean first = ledger.record((int) parsed[0], (int) parsed[1]);
        if (first) {
            metrics.unique.increment();
            metrics.recordLatencyNanos(latency);
        } else {
            metrics.duplicated.increment();
        }
        Steps steps = metrics.steps;
        Steps.Stats sentIn = steps == null ? null : steps.of(parsed[1]);
        if (sentIn != null) {
            sentIn.delivered(first, latency);
        }
    }
}
