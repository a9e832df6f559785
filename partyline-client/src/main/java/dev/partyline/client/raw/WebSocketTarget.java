package dev.partyline.client.raw;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how to open one WebSocket.
 *
 * @param url a {@code ws://} or {@code wss://} URL, with path and query; never null
 * @param origin the {@code Origin} header to send, or null to send none
 * @param maxFramePayload the largest frame payload accepted from the server, in bytes;
 *     larger frames close the connection with 1009
 * @param timeout how long the TCP connect and the upgrade may take together; never null
 */
public record WebSocketTarget(URI url, String origin, int maxFramePayload, Duration timeout) {
    /** 1 MiB: room for large snapshots; the server's own limit on what it accepts is 64 KiB. */
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 1 << 20;
    /** The default for {@link #timeout()}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the fields; throws {@link IllegalArgumentException} for a URL that is not ws or wss. */
    public WebSocketTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("A WebSocket URL starts with ws:// or wss://, not " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("A WebSocket URL needs a host: " + url);
        }
        if (maxFramePayload < 1024) {
            throw new IllegalArgumentException("maxFramePayload must be at least 1024 bytes, was " + maxFramePayload);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** A target with the default frame limit and timeout; {@code origin} may be null. */
    public static WebSocketTarget of(URI url, String origin) {
        return new WebSocketTarget(url, origin, DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_TIMEOUT);
    }

    /** Whether the URL asks for TLS. */
    public boolean secure() {
        return url.getScheme().equalsIgnoreCase("wss");
    }

    /** The port of the URL, or the scheme's default port when the URL names none. */
    public int port() {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return secure() ? 443 : 80;
    }
}
