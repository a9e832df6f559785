package dev.partyline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * What one delivery costs the kernel on this machine, with no server at all: one thread writes
 * {@code messageBytes} at a time, one {@code write} system call each, round-robin to
 * {@code sockets} loopback TCP connections, while another thread reads them all. The writer's
 * CPU time per write is the floor under any server that sends each delivery in its own system
 * call: on loopback, the sender's call also runs the receiving side of TCP.
 *
 * <p>Flat out, the reader is always busy and never has to be woken. A server under a party's
 * load is not: paced mode writes bursts (one broadcast: {@code burst} sockets in a row) at a fixed
 * rate, so that the reader sleeps between them and each burst pays for waking it, as a real
 * load does. It also times each burst from its first write to its last: the least time one thread
 * needs to hand a broadcast to that many sockets.
 */
final class LoopbackFloor {
    /**
     * The result.
     *
     * @param writes writes done
     * @param writerCpuMicrosPerWrite the writer thread's CPU time per write
     * @param readerCpuMicrosPerWrite the reader thread's CPU time per write
     * @param burstMicros wall time from the first to the last write of each burst, in µs
     */
    record Result(long writes, Duration elapsed, double writerCpuMicrosPerWrite, double readerCpuMicrosPerWrite,
                  Histogram burstMicros) {}

    private LoopbackFloor() {}

    /** Flat out: writes round-robin for {@code duration} with no pause (see the class comment). */
    static Result measure(int sockets, int messageBytes, Duration duration) throws IOException, InterruptedException {
        return measure(sockets, messageBytes, duration, sockets, 0);
    }

    /**
     * Runs for {@code duration}, bounded by it.
     *
     * @param sockets connections to write to in turn, at least 1
     * @param messageBytes bytes per write, at least 1
     * @param burst writes in a row before the writer may pause, 1 to {@code sockets}
     * @param burstsPerSecond bursts started per second, on a fixed schedule; 0 for no pause at all
     */
    static Result measure(int sockets, int messageBytes, Duration duration, int burst, double burstsPerSecond)
            throws IOException, InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             Selector selector = Selector.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), sockets);
            List<SocketChannel> writers = new ArrayList<>(sockets);
            List<SocketChannel> readers = new ArrayList<>(sockets);
            try {
                for (int i = 0; i < sockets; i++) {
                    SocketChannel writer = SocketChannel.open(listener.getLocalAddress());
                    writer.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    writers.add(writer);
                    SocketChannel reader = listener.accept();
                    reader.configureBlocking(false);
                    reader.register(selector, SelectionKey.OP_READ);
                    readers.add(reader);
                }
                long[] readerCpu = new long[1];
                long deadline = System.nanoTime() + duration.toNanos();
                Thread reader = new Thread(() -> readerCpu[0] = drain(selector, deadline + 500_000_000L, threads),
                        "floor-reader");
                reader.start();
                Histogram bursts = new Histogram(3);
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long started = System.nanoTime();
                long interval = burstsPerSecond > 0 ? (long) (1e9 / burstsPerSecond) : 0;
                ByteBuffer message = ByteBuffer.allocateDirect(messageBytes);
                long writes = 0;
                int next = 0;
                for (long burstStart = started; System.nanoTime() < deadline; burstStart += interval) {
                    pauseUntil(burstStart);
                    long first = System.nanoTime();
                    for (int k = 0; k < burst; k++) {
                        message.clear();
                        writers.get(next).write(message);
                        next = next + 1 == sockets ? 0 : next + 1;
                        writes++;
                    }
                    bursts.recordValue((System.nanoTime() - first) / 1000);
                }
                long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                reader.join();
                return new Result(writes, elapsed, cpu / 1000.0 / writes, readerCpu[0] / 1000.0 / writes, bursts);
            } finally {
                for (SocketChannel channel : writers) {
                    channel.close();
                }
                for (SocketChannel channel : readers) {
                    channel.close();
                }
            }
        }
    }

    /** Parks until {@code nanoTime}; returns at once when it has passed (a late burst is not skipped). */
    private static void pauseUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Reads everything until {@code deadline}; returns this thread's CPU time in nanoseconds. */
    private static long drain(Selector selector, long deadline, ThreadMXBean threads) {
        long before = threads.getCurrentThreadCpuTime();
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (System.nanoTime() < deadline) {
                if (selector.select(50) == 0) {
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    buffer.clear();
                    ((SocketChannel) key.channel()).read(buffer);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            // A socket closed under us at the end: what was read is enough.
        }
        return threads.getCurrentThreadCpuTime() - before;
    }
}
