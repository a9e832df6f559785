package dev.partyline.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The URLs a client derives from a server's base URL. Stateless, thread-safe. */
final class Endpoints {
    private Endpoints() {}

    /** {@code http://host:port/base} with no trailing slash, query or fragment. */
    static URI normalize(URI base) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The base URL must start with http:// or https://, was " + base);
        }
        if (base.getHost() == null) {
            throw new IllegalArgumentException("The base URL needs a host, was " + base);
        }
        return URI.create(scheme + "://" + base.getRawAuthority() + trimmedPath(base));
    }

    /** {@code POST} here for a ticket. */
    static URI tickets(URI base) {
        return URI.create(normalize(base) + "/api/tickets");
    }

    /** The WebSocket URL, with {@code ?ticket=…} when {@code ticket} is not null. */
    static URI webSocket(URI base, String ticket) {
        URI normal = normalize(base);
        String scheme = normal.getScheme().equals("https") ? "wss" : "ws";
        String query = ticket == null ? "" : "?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
        return URI.create(scheme + "://" + normal.getRawAuthority() + trimmedPath(normal) + "/ws" + query);
    }

    /** The origin of the base URL, {@code scheme://host[:port]}, as a browser page there would send. */
    static String origin(URI base) {
        URI normal = normalize(base);
        return normal.getScheme() + "://" + normal.getRawAuthority();
    }

    private static String trimmedPath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }
}
