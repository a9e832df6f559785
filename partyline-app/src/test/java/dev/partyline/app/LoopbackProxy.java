package dev.partyline.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on a loopback port in front of a real server: a network fault injector for the
 * client's end-to-end tests, not a stand-in for the server. Everything it relays is the real
 * server's. A test can hold every byte in flight ({@link #pause()}), add latency ({@link
 * #delay}), cut every connection without a closing handshake ({@link #cutAll()}), and read what
 * clients sent on the wire ({@link #upgrade()}). Two daemon threads per connection; thread-safe.
 */
final class LoopbackProxy implements AutoCloseable {
    /** How much of what each client sends is kept for {@link #upgrade()}. */
    private static final int TAP_LIMIT = 256 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicLong held = new AtomicLong();
    private boolean paused; // guarded by gate
    private boolean downstreamPaused; // guarded by gate
    private volatile boolean closed;
    private volatile long delayNanos;

    private LoopbackProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay to {@code 127.0.0.1:targetPort}. */
    static LoopbackProxy to(int targetPort) throws IOException {
        return new LoopbackProxy(targetPort);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT}: the server as seen through the relay. */
    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** How many connections the relay has accepted so far. */
    int accepted() {
        return links.size();
    }

    /** Bytes read from one side and not yet written to the other (held by {@link #pause()} or {@link #delay}). */
    long heldBytes() {
        return held.get();
    }

    /** Holds every byte, both ways, on open and new connections, until {@link #resume()}. */
    void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    /**
     * Holds only what the server sends, on open and new connections, until {@link #resume()}:
     * requests reach the server, their replies and events wait (and are lost with a cut).
     */
    void pauseDownstream() {
        synchronized (gate) {
            downstreamPaused = true;
        }
    }

    /** Relays what was held, in order, and everything after it. */
    void resume() {
        synchronized (gate) {
            paused = false;
            downstreamPaused = false;
            gate.notifyAll();
        }
    }

    /** Holds each chunk this long before relaying it, both ways; zero for none. */
    void delay(Duration latency) {
        delayNanos = latency.toNanos();
    }

    /**
     * Resets every open connection on both sides (RST, no FIN, no WebSocket close frame), as a
     * crashed router or a pulled cable would. New connections are relayed as before.
     *
     * @return how many connections were still open and are cut now
     */
    int cutAll() {
        int cut = 0;
        for (Link link : links) {
            if (link.cut()) {
                cut++;
            }
        }
        return cut;
    }

    /** What the client of the first connection that asked for {@code /ws} sent, decoded. */
    Upgrade upgrade() {
        for (Link link : links) {
            byte[] sent = link.sent();
            String start = new String(sent, 0, Math.min(sent.length, 8), StandardCharsets.ISO_8859_1);
            if (start.startsWith("GET /ws")) {
                return Upgrade.parse(sent);
            }
        }
        throw new AssertionError("no client has asked for /ws through the proxy yet");
    }

    /** What each client that asked for {@code /ws} sent, decoded, in the order the connections came. */
    List<Upgrade> upgrades() {
        List<Upgrade> upgrades = new ArrayList<>();
        for (Link link : links) {
            byte[] sent = link.sent();
            String start = new String(sent, 0, Math.min(sent.length, 8), StandardCharsets.ISO_8859_1);
            if (start.startsWith("GET /ws")) {
                upgrades.add(Upgrade.parse(sent));
            }
        }
        return upgrades;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        cutAll();
        resume();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server = new Socket();
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            links.add(link);
            start(() -> pump(link, client, server, true), "proxy-up-" + client.getPort());
            start(() -> pump(link, server, client, false), "proxy-down-" + client.getPort());
        }
    }

    private void pump(Link link, Socket from, Socket to, boolean upstream) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (upstream) {
                    link.record(buffer, n);
                }
                held.addAndGet(n);
                try {
                    hold(upstream);
                    out.write(buffer, 0, n);
                    out.flush();
                } finally {
                    held.addAndGet(-n);
                }
            }
            to.shutdownOutput(); // pass the FIN on: a half-closed stream stays half-closed
        } catch (IOException e) {
            link.close(); // a reset or a closed socket on one side ends both
        } finally {
            link.pumpDone();
        }
    }

    /** Waits while paused (this direction), then for the delay. */
    private void hold(boolean upstream) throws IOException {
        try {
            synchronized (gate) {
                while ((paused || (downstreamPaused && !upstream)) && !closed) {
                    gate.wait();
                }
            }
            long delay = delayNanos;
            if (delay > 0) {
                TimeUnit.NANOSECONDS.sleep(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while holding bytes");
        }
        if (closed) {
            throw new IOException("proxy closed");
        }
    }

    private static void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** One relayed connection. */
    private static final class Link {
        private final Socket client;
        private final Socket server;
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        private int pumpsRunning = 2; // guarded by this

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        synchronized void record(byte[] bytes, int length) {
            sent.write(bytes, 0, Math.max(0, Math.min(length, TAP_LIMIT - sent.size())));
        }

        synchronized byte[] sent() {
            return sent.toByteArray();
        }

        /** Resets both sockets; true when the client's side was still open. */
        boolean cut() {
            boolean open = !client.isClosed();
            for (Socket socket : List.of(client, server)) {
                try {
                    socket.setSoLinger(true, 0); // close() then sends RST
                } catch (IOException e) {
                    // already closed
                }
                closeQuietly(socket);
            }
            return open;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }

        synchronized void pumpDone() {
            if (--pumpsRunning == 0) {
                close();
            }
        }
    }

    /**
     * What a WebSocket client sent: the upgrade request's head, then its frames (unmasked), as
     * far as they had arrived.
     */
    record Upgrade(String requestHead, List<Frame> frames) {
        static Upgrade parse(byte[] sent) {
            String text = new String(sent, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return new Upgrade(text, List.of());
            }
            List<Frame> frames = new ArrayList<>();
            ByteBuffer wire = ByteBuffer.wrap(sent, end + 4, sent.length - end - 4);
            while (wire.remaining() >= 2) {
                int start = wire.position();
                int first = wire.get() & 0xFF;
                int second = wire.get() & 0xFF;
                long length = second & 0x7F;
                int header = (length == 126 ? 2 : length == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
                if (wire.remaining() < header) {
                    break;
                }
                length = length == 126 ? wire.getShort() & 0xFFFF : length == 127 ? wire.getLong() : length;
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    wire.get(mask);
                }
                if (wire.remaining() < length) {
                    wire.position(start);
                    break;
                }
                byte[] payload = new byte[(int) length];
                wire.get(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                frames.add(new Frame(first & 0x0F, payload));
            }
            return new Upgrade(text.substring(0, end), List.copyOf(frames));
        }

        /** The request line, for example {@code GET /ws?ticket=… HTTP/1.1}. */
        String requestLine() {
            return requestHead.lines().findFirst().orElse("");
        }

        /** The value of a request header (name case-insensitive), or null. */
        String header(String name) {
            return requestHead.lines().skip(1)
                    .filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).strip())
                    .findFirst().orElse(null);
        }
    }

    /**
     * One WebSocket frame a client sent.
     *
     * @param opcode 1 text, 2 binary, 8 close, 9 ping, 10 pong, 0 continuation
     * @param payload unmasked
     */
    record Frame(int opcode, byte[] payload) {
        static final int TEXT = 1;
        static final int CLOSE = 8;

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or -1 when it carries none. */
        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        @Override
        public String toString() {
            return "Frame[" + opcode + ", " + (opcode == CLOSE ? closeCode() : text()) + "]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Frame frame && frame.opcode == opcode && Arrays.equals(frame.payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * opcode + Arrays.hashCode(payload);
        }
    }
}
