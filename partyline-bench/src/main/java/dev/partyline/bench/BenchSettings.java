package dev.partyline.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * What every scenario shares: where the server is and how to reach it.
 *
 * @param server {@code http://host:port} of the server
 * @param sourceAddresses K: client i binds 127.0.0.(1 + i % K); 0 lets the kernel choose
 * @param concurrency connections being set up at once (ticket to join)
 * @param connectTimeout how long setting up all connections may take
 * @param ioThreads event loops; 0 for one per core
 * @param serverPid the server's process id for CPU and RSS readings, or null
 */
public record BenchSettings(URI server, int sourceAddresses, int concurrency, Duration connectTimeout,
                            int ioThreads, Long serverPid) {

    /**
     * Refuses a target that is not loopback unless {@code allowRemote}: a load generator aimed at
     * someone else's server by a typo is an attack.
     *
     * @throws IllegalArgumentException for a remote target without {@code allowRemote}, or an unknown host
     */
    public void checkTarget(boolean allowRemote) {
        try {
            InetAddress address = InetAddress.getByName(server.getHost());
            if (!address.isLoopbackAddress() && !allowRemote) {
                throw new IllegalArgumentException(server.getHost() + " is not a loopback address; pass --allow-remote"
                        + " to load a server you own on another host");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Unknown host " + server.getHost(), e);
        }
    }

    /** The server as {@code host:port}: the {@code Host} header and the authority of the WebSocket URL. */
    String hostHeader() {
        return server.getHost() + ":" + port();
    }

    /** The server's socket address, resolved now. */
    InetSocketAddress remote() {
        return new InetSocketAddress(server.getHost(), port());
    }

    int port() {
        return server.getPort() == -1 ? 80 : server.getPort();
    }

    /** The source address of client {@code i}, or null when not spreading (or not on loopback). */
    InetSocketAddress sourceAddress(int i) {
        if (sourceAddresses <= 0 || !server.getHost().startsWith("127.") && !server.getHost().equals("localhost")) {
            return null;
        }
        int last = 1 + i % Math.min(sourceAddresses, 254);
        return new InetSocketAddress("127.0.0." + last, 0);
    }
}
