package dev.partyline.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web client's files, read from the class path under one folder and kept in memory after the
 * first read (they are small and never change while the node runs). {@code /} and
 * {@code /r/CODE} both serve {@code index.html}: the page itself reads the code from its URL.
 * Thread-safe.
 */
public final class StaticFiles {
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\\.[A-Za-z0-9]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "ico", "image/x-icon", "json", "application/json", "txt", "text/plain; charset=utf-8",
            "webmanifest", "application/manifest+json");

    private final String root;
    private final Map<String, File> cache = new ConcurrentHashMap<>();

    /** @param root the class path folder, for example {@code web} */
    public StaticFiles(String root) {
        this.root = root;
    }

    /** A file's bytes and content type. */
    public record File(byte[] bytes, String contentType) {}

    /** The file for a request path, or empty when there is none (or the path is not a plain file path). */
    public Optional<File> find(String path) {
        String resource = resourceFor(path);
        if (resource == null) {
            return Optional.empty();
        }
        File cached = cache.get(resource);
        if (cached != null) {
            return Optional.of(cached);
        }
        // Only found files are cached: caching misses would let random paths grow the heap.
        Optional<File> loaded = load(resource);
        loaded.ifPresent(file -> cache.put(resource, file));
        return loaded;
    }

    private static String resourceFor(String path) {
        if (path.equals("/") || path.matches("/r/[^/]{1,16}/?")) {
            return "/index.html";
        }
        return SAFE_PATH.matcher(path).matches() ? path : null;
    }

    private Optional<File> load(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + resource)) {
            if (in == null) {
                return Optional.empty();
            }
            String extension = resource.substring(resource.lastIndexOf('.') + 1);
            return Optional.of(new File(in.readAllBytes(), TYPES.getOrDefault(extension, "application/octet-stream")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
