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

/**
 * What one delivery costs the kernel on this machine, with no server at all: one thread writes
 * {@code messageBytes} at a time, one {@code write} system call each, round-robin to
 * {@code sockets} loopback TCP connections, while another thread reads them all. The writer's
 * CPU time per write is the floor under any server that sends each delivery in its own system
 * call: on loopback, the sender's call also runs the receiving side of TCP.
 */
final class LoopbackFloor {
    /** The result: writes done and the writer thread's CPU time per write. */
    record Result(long writes, Duration elapsed, double writerCpuMicrosPerWrite, double readerCpuMicrosPerWrite) {}

    private LoopbackFloor() {}

    /**
     * Runs for {@code duration}, bounded by it.
     *
     * @param sockets connections to write to in turn, at least 1
     * @param messageBytes bytes per write, at least 1
     */
    static Result measure(int sockets, int messageBytes, Duration duration) throws IOException, InterruptedException {
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
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long started = System.nanoTime();
                ByteBuffer message = ByteBuffer.allocateDirect(messageBytes);
                long writes = 0;
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < sockets; i++) {
                        message.clear();
                        writers.get(i).write(message);
                        writes++;
                    }
                }
                long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                reader.join();
                return new Result(writes, elapsed, cpu / 1000.0 / writes, readerCpu[0] / 1000.0 / writes);
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
