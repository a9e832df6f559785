package dev.partyline.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ClientMessageCodec;
import dev.partyline.protocol.DecodeException;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protocol codec on the two paths every chat line takes, in nanoseconds per call.
 *
 * <ul>
 *   <li>{@link #decodeSendFrame}: what the server does with each frame a client sends. The
 *       WebSocket decoder leaves the payload's UTF-8 bytes in a direct buffer;
 *       {@code TextWebSocketFrame.text()} makes a String of them and {@link ClientMessageCodec}
 *       turns it into a {@link ClientMessage.Send}. It runs once per frame received, so it bounds
 *       how many messages one event loop can take in.</li>
 *   <li>{@link #decodeSendText}: the same without the UTF-8 step, the JSON parse and checks alone.</li>
 *   <li>{@link #encodeChatEvent}: what a chat room does once per message, whatever the number of
 *       members: the {@code message} event, with the data {@code ChatRoom} builds, encoded by
 *       {@link ServerMessageCodec} into the frame bytes every member is then sent.</li>
 * </ul>
 *
 * <p>Single-threaded; the codecs are thread-safe and hold no per-call state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    /** The text frame a chat client sends for one line. */
    static final String SEND_FRAME =
            "{\"t\":\"send\",\"id\":7,\"room\":\"ABCD\",\"name\":\"message\",\"data\":{\"text\":\"hello there\"}}";

    private final ClientMessageCodec clientCodec = new ClientMessageCodec();
    private final ServerMessageCodec serverCodec = new ServerMessageCodec();
    private ByteBuf sendFrame;
    private ServerMessage.Event chatEvent;

    @Setup
    public void setUp() throws DecodeException {
        byte[] bytes = SEND_FRAME.getBytes(StandardCharsets.UTF_8);
        // Direct, from Netty's default allocator: where the WebSocket decoder puts a frame's payload.
        sendFrame = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        // The data as ChatRoom broadcasts it: the trimmed text, the sender's name, server time.
        JsonNode data = Json.nodes().objectNode().put("text", "hello there").put("name", "Ann").put("at", 1_767_225_600_000L);
        chatEvent = new ServerMessage.Event("ABCD", 42, "message", "pq3Xv9LmT0aBc", data);

        // A benchmark of the wrong thing measures nothing: check both inputs once.
        ClientMessage decoded = decodeSendFrame();
        if (!(decoded instanceof ClientMessage.Send send) || send.id() != 7 || !send.room().equals("ABCD")
                || !send.data().path("text").asText().equals("hello there")) {
            throw new IllegalStateException("the send frame did not decode as expected: " + decoded);
        }
        if (!serverCodec.decode(new String(encodeChatEvent(), StandardCharsets.UTF_8)).equals(chatEvent)) {
            throw new IllegalStateException("the chat event does not survive encoding");
        }
    }

    @TearDown
    public void tearDown() {
        sendFrame.release();
    }

    /** Payload bytes to message, as {@code SessionHandler} does for each text frame. */
    @Benchmark
    public ClientMessage decodeSendFrame() throws DecodeException {
        // ByteBuf.toString leaves the reader index alone, so the one buffer serves every call.
        return clientCodec.decode(sendFrame.toString(StandardCharsets.UTF_8));
    }

    /** The JSON decode alone, from a String already made. */
    @Benchmark
    public ClientMessage decodeSendText() throws DecodeException {
        return clientCodec.decode(SEND_FRAME);
    }

    /** The once-per-broadcast encode of a chat {@code message} event. */
    @Benchmark
    public byte[] encodeChatEvent() {
        return serverCodec.encode(chatEvent);
    }
}
