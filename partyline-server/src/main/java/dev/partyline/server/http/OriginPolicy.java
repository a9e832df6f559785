package dev.partyline.server.http;

import dev.partyline.protocol.PrintableText;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open WebSockets and call the API: the server's own host, localhost,
 * and the configured allowlist ({@code *} allows all). A request without an {@code Origin}
 * header is not from a browser page and is allowed: the check protects users' browsers, it is
 * not authentication. Thread-safe.
 */
public final class OriginPolicy {
    /** The flag and variable that extend the allowlist, named in every refusal. */
    public static final String SETTING = "--allowed-origin (or PARTYLINE_ALLOWED_ORIGINS)";

    private final Set<String> allowed;
    private final boolean allowAll;

    public OriginPolicy(Iterable<String> allowedOrigins) {
        Set<String> normalized = new java.util.HashSet<>();
        boolean all = false;
        for (String origin : allowedOrigins) {
            if (origin.strip().equals("*")) {
                all = true;
            } else if (!origin.isBlank()) {
                normalized.add(normalize(origin.strip()));
            }
        }
        this.allowed = Set.copyOf(normalized);
        this.allowAll = all;
    }

    /**
     * Whether a request from {@code origin} to this server (reached as {@code hostHeader}) is allowed.
     *
     * @param origin the Origin header, or null
     * @param hostHeader the Host header, or null
     */
    public boolean allows(String origin, String hostHeader) {
        if (origin == null || allowAll) {
            return true;
        }
        String normalized = normalize(origin);
        if (allowed.contains(normalized)) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(normalized);
        } catch (Exception e) {
            return false;
        }
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")) {
            return true;
        }
        return hostHeader != null && uri.getAuthority() != null
                && uri.getAuthority().equalsIgnoreCase(hostHeader.strip());
    }

    /** The sentence a refused client and the log get: names the origin and the setting that allows it. */
    public String refusal(String origin) {
        return "Origin " + printable(origin) + " is not allowed to use this Partyline server. To allow it, start the "
                + "server with " + SETTING.replace("--allowed-origin", "--allowed-origin " + printable(origin)) + ".";
    }

    /** The allowed origins besides same-host and localhost, for the start-up log. */
    public String describe() {
        return allowAll ? "*" : allowed.stream().sorted().collect(Collectors.joining(", "));
    }

    private static String normalize(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String printable(String text) {
        return PrintableText.of(text, 200);
    }
}
