package dev.partyline.client.raw;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server answered the WebSocket upgrade with something other than {@code 101 Switching
 * Protocols}, for example {@code 403} for an origin it does not allow. Carries the status, the
 * headers and the body, so a test can assert what the server told the client. Immutable.
 */
public final class UpgradeRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private static final int MESSAGE_BODY_CHARS = 200;

    private final int status;
    private final String body;
    private final Map<String, List<String>> headers;

    /**
     * @param status the HTTP status code
     * @param body the response body as UTF-8 text, never null (empty when there was none)
     * @param headers the response headers, names lower-cased; never null
     */
    public UpgradeRefusedException(int status, String body, Map<String, List<String>> headers) {
        super("WebSocket upgrade refused with HTTP " + status + (body.isEmpty() ? "" : ": " + shorten(body)));
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    /** The HTTP status code of the refusal, for example 403. */
    public int status() {
        return status;
    }

    /** The response body as text; empty, never null, when the response had none. */
    public String body() {
        return body;
    }

    /** All response headers, names lower-cased; never null. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a response header (name case-insensitive), or null when absent. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String shorten(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > MESSAGE_BODY_CHARS ? flat.substring(0, MESSAGE_BODY_CHARS) + "…" : flat;
    }
}
