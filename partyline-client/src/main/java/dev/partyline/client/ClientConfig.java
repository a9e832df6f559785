package dev.partyline.client;

import dev.partyline.client.raw.WebSocketTarget;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one {@link PartylineClient}. Build it with {@link #builder(String)}; only
 * the base URL is required. Immutable and thread-safe.
 *
 * @param baseUrl the server, {@code http://host:port} (or https, optionally with a path prefix);
 *     never null
 * @param name the display name asked for with the ticket, or null to let the server choose
 *     (a guest name, or the name in the bearer token)
 * @param bearerToken a JWT sent as {@code Authorization: Bearer …} with the ticket request, or null
 * @param authMode where the ticket goes: the URL or the first frame; never null
 * @param origin the {@code Origin} header for the ticket request and the upgrade, or null for
 *     the origin of {@code baseUrl}
 * @param requestTimeout how long each request, the ticket request, the connect and the wait
 *     for {@code welcome} may take; positive, never null
 * @param reconnect what to do when the connection drops; never null
 * @param eventLoopGroup the Netty event loops to share with other clients, or null for a
 *     one-thread group owned (and shut down) by the client
 * @param maxFramePayload the largest frame accepted from the server, in bytes; at least 64 KiB
 * @param httpClient the JDK client for the ticket request, or null for a shared HTTP/1.1 client
 * @param maxInFlight how many requests may wait for their reply on the wire at once; more wait
 *     in the client, in order, until replies come. The server remembers a session's last 64
 *     replies, which is what makes a request sent again after a resume run exactly once: above
 *     64 that no longer holds. At least 1
 */
public record ClientConfig(URI baseUrl, String name, String bearerToken, AuthMode authMode, String origin,
                           Duration requestTimeout, ReconnectPolicy reconnect, EventLoopGroup eventLoopGroup,
                           int maxFramePayload, HttpClient httpClient, int maxInFlight) {
    /** The default of {@link #requestTimeout()}: 10 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The smallest {@link #maxFramePayload()}: the server's own frame limit, 64 KiB. */
    public static final int MIN_FRAME_PAYLOAD = 64 * 1024;
    /**
     * The default of {@link #maxInFlight()}: 64, the replies the server remembers per session
     * (DESIGN.md, "Sessions and resume").
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = PendingRequests.SERVER_REMEMBERED_REPLIES;

    /** Validates and normalises; throws {@link IllegalArgumentException} for values out of range. */
    public ClientConfig {
        baseUrl = Endpoints.normalize(Objects.requireNonNull(baseUrl, "baseUrl"));
        Objects.requireNonNull(authMode, "authMode");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(reconnect, "reconnect");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxFramePayload < MIN_FRAME_PAYLOAD) {
            throw new IllegalArgumentException("maxFramePayload must be at least " + MIN_FRAME_PAYLOAD
                    + " bytes, was " + maxFramePayload);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
    }

    /** A builder for a server at {@code baseUrl}, for example {@code "http://127.0.0.1:8080"}. */
    public static Builder builder(String baseUrl) {
        return new Builder(URI.create(baseUrl));
    }

    /** A builder for a server at {@code baseUrl}. */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** A builder holding these settings, to derive a variant (another name, say). */
    public Builder toBuilder() {
        return new Builder(baseUrl).name(name).bearerToken(bearerToken).authMode(authMode).origin(origin)
                .requestTimeout(requestTimeout).reconnect(reconnect).eventLoopGroup(eventLoopGroup)
                .maxFramePayload(maxFramePayload).httpClient(httpClient).maxInFlight(maxInFlight);
    }

    /** The {@code Origin} header to send: {@link #origin()} or the origin of the base URL. */
    public String effectiveOrigin() {
        return origin != null ? origin : Endpoints.origin(baseUrl);
    }

    /** Collects settings; not thread-safe. Setters return the builder. */
    public static final class Builder {
        private final URI baseUrl;
        private String name;
        private String bearerToken;
        private AuthMode authMode = AuthMode.URL_TICKET;
        private String origin;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private ReconnectPolicy reconnect = ReconnectPolicy.defaults();
        private EventLoopGroup eventLoopGroup;
        private int maxFramePayload = WebSocketTarget.DEFAULT_MAX_FRAME_PAYLOAD;
        private HttpClient httpClient;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

        private Builder(URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** The display name to ask for; null lets the server choose. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** A JWT for {@code Authorization: Bearer}; null for none. */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken = bearerToken;
            return this;
        }

        /** Ticket in the URL (default) or in the first frame. */
        public Builder authMode(AuthMode authMode) {
            this.authMode = authMode;
            return this;
        }

        /** Overrides the {@code Origin} header; null (default) uses the base URL's origin. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** The timeout of each request, and of connecting; default 10 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** The reconnect policy; default {@link ReconnectPolicy#defaults()}. */
        public Builder reconnect(ReconnectPolicy reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** Shorthand for {@code reconnect(ReconnectPolicy.disabled())}. */
        public Builder noReconnect() {
            return reconnect(ReconnectPolicy.disabled());
        }

        /** Event loops shared with other clients (the caller shuts them down); null for an own group. */
        public Builder eventLoopGroup(EventLoopGroup eventLoopGroup) {
            this.eventLoopGroup = eventLoopGroup;
            return this;
        }

        /** The largest frame accepted from the server; default 1 MiB, at least 64 KiB. */
        public Builder maxFramePayload(int maxFramePayload) {
            this.maxFramePayload = maxFramePayload;
            return this;
        }

        /** The JDK HTTP client for tickets; null (default) for a shared one. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** How many requests may wait for their reply on the wire at once; default 64, at least 1. */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** The settings; throws {@link IllegalArgumentException} when one is out of range. */
        public ClientConfig build() {
            return new ClientConfig(baseUrl, name, bearerToken, authMode, origin, requestTimeout, reconnect,
                    eventLoopGroup, maxFramePayload, httpClient, maxInFlight);
        }
    }
}
