package dev.partyline.client.raw;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bare WebSocket for tests and tools: no protocol, no authentication, no reconnect. It sends
 * whatever it is given (text, binary, any frame, raw bytes past the frame encoder) and collects
 * what arrives: text frames in {@link #texts()}, binary frames in {@link #binaries()}, and the
 * server's close code and reason. It can stop reading, to play a slow consumer.
 *
 * <pre>{@code
 * try (RawWebSocket ws = RawWebSocket.open(URI.create("ws://127.0.0.1:" + port + "/ws"), "http://127.0.0.1:" + port)) {
 *     ws.sendText("not json at all");
 *     assertThat(ws.nextText(Duration.ofSeconds(5))).contains("bad_request");
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe. Received frames are queued on the channel's event loop. By
 * default every socket shares one small daemon event-loop group that is never shut down.
 */
public final class RawWebSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RawWebSocket.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final Channel channel;
    private final ControlFrameHandler control;
    private final BlockingQueue<String> texts;
    private final BlockingQueue<byte[]> binaries;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    private RawWebSocket(Channel channel, BlockingQueue<String> texts, BlockingQueue<byte[]> binaries) {
        this.channel = channel;
        this.control = channel.pipeline().get(ControlFrameHandler.class);
        this.texts = texts;
        this.binaries = binaries;
        channel.closeFuture().addListener(closed -> closeFuture.complete(null));
    }

    /**
     * Opens a socket with the default frame limit and a 10 s timeout, blocking until upgraded.
     *
     * @param url a {@code ws://} or {@code wss://} URL, query included; never null
     * @param origin the {@code Origin} header, or null to send none
     * @throws UpgradeRefusedException when the server answered the upgrade with another status
     * @throws IOException when the connection failed or timed out
     */
    public static RawWebSocket open(URI url, String origin) throws IOException {
        return open(WebSocketTarget.of(url, origin), null);
    }

    /**
     * Opens a socket, blocking until upgraded.
     *
     * @param target where and how to connect; never null
     * @param group the event loops to use, or null for the shared daemon group
     * @throws UpgradeRefusedException when the server answered the upgrade with another status
     * @throws IOException when the connection failed or timed out, or the thread was interrupted
     */
    public static RawWebSocket open(WebSocketTarget target, EventLoopGroup group) throws IOException {
        try {
            return openAsync(target, group).get(target.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("No WebSocket upgrade within " + target.timeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening " + target.url());
        }
    }

    /**
     * Opens a socket without blocking.
     *
     * @param group the event loops to use, or null for the shared daemon group
     * @return completes on the channel's event loop, exceptionally as {@link #open(WebSocketTarget, EventLoopGroup)} throws
     */
    public static CompletableFuture<RawWebSocket> openAsync(WebSocketTarget target, EventLoopGroup group) {
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        return WebSocketConnector.connect(group == null ? SharedGroup.GROUP : group, target,
                        pipeline -> pipeline.addLast("collect", new Collector(texts, binaries)))
                .thenApply(channel -> new RawWebSocket(channel, texts, binaries));
    }

    /** The underlying channel, for what this class does not offer (its config, its pipeline). */
    public Channel channel() {
        return channel;
    }

    /** Sends one text frame. The text need not be JSON or even sensible. */
    public ChannelFuture sendText(String text) {
        return channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Sends one binary frame with a copy of {@code data}. */
    public ChannelFuture sendBinary(byte[] data) {
        return channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer(data)));
    }

    /**
     * Sends any frame: a fragment, a continuation, a ping, a close with an odd payload.
     * Ownership of the frame passes to this method (it is released after writing).
     */
    public ChannelFuture sendFrame(WebSocketFrame frame) {
        return channel.writeAndFlush(frame);
    }

    /**
     * Writes bytes straight to the socket, past the frame encoder: a hand-made (even malformed or
     * unmasked) frame, or garbage.
     */
    public ChannelFuture sendRaw(byte[] bytes) {
        return channel.writeAndFlush(Unpooled.copiedBuffer(bytes));
    }

    /** Text frames received so far, in order; poll it, or use {@link #nextText(Duration)}. */
    public BlockingQueue<String> texts() {
        return texts;
    }

    /** Binary frames received so far, in order. */
    public BlockingQueue<byte[]> binaries() {
        return binaries;
    }

    /**
     * Waits for the next text frame.
     *
     * @return the text, or null when none arrived within {@code timeout}
     */
    public String nextText(Duration timeout) throws InterruptedException {
        return texts.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The close code the server sent: -1 until its close frame arrived (also when the connection
     * ended without one), {@link ControlFrameHandler#NO_STATUS} for a close frame without a code.
     */
    public int closeCode() {
        return control.closeCode();
    }

    /** The reason in the server's close frame; null until one arrived. */
    public String closeReason() {
        return control.closeReason();
    }

    /** Completes (on the event loop) when the connection has closed, for whatever reason. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /**
     * Stops reading from the socket ({@code autoRead=false}): the server's frames pile up in the
     * kernel buffers and then in the server, as with a client that hangs. Pings go unanswered.
     */
    public void stopReading() {
        channel.config().setAutoRead(false);
    }

    /** Reads again after {@link #stopReading()}. */
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /** Whether to answer pings with pongs (on by default); off lets a test miss heartbeats. */
    public void autoPong(boolean enabled) {
        control.autoPong(enabled);
    }

    /** How many pings the server has sent. */
    public int pingsReceived() {
        return control.pingsReceived();
    }

    /**
     * Starts the closing handshake with this code and reason; the channel closes when the server
     * answers or after 2 s.
     *
     * @throws IllegalArgumentException for a code that may not be sent on the wire
     */
    public ChannelFuture sendClose(int code, String reason) {
        return control.sendClose(code, reason, CLOSE_WAIT);
    }

    /**
     * Closes with 1000 (unless a close frame was already exchanged) and waits up to 2 s for the
     * channel to close. Idempotent. Must not be called on the channel's event loop.
     */
    @Override
    public void close() {
        if (channel.isActive()) {
            sendClose(1000, "");
        }
        if (!channel.closeFuture().awaitUninterruptibly(CLOSE_WAIT.toMillis() + 500)) {
            log.warn("Raw WebSocket to {} did not close in time; closing it", channel.remoteAddress());
            channel.close().awaitUninterruptibly(CLOSE_WAIT.toMillis());
        }
    }

    /** Queues data frames; everything runs on the event loop. */
    private static final class Collector extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final BlockingQueue<String> texts;
        private final BlockingQueue<byte[]> binaries;

        Collector(BlockingQueue<String> texts, BlockingQueue<byte[]> binaries) {
            this.texts = texts;
            this.binaries = binaries;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                texts.add(text.text());
            } else if (frame instanceof BinaryWebSocketFrame binary) {
                binaries.add(ByteBufUtil.getBytes(binary.content()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Raw WebSocket {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** One daemon group for every raw socket that is not given one: tests need no cleanup. */
    private static final class SharedGroup {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2,
                new DefaultThreadFactory("raw-websocket", true), NioIoHandler.newFactory());
    }
}
