package dev.partyline.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Several headless Chromiums started at once (each takes about a second to start) and closed
 * together, even when some failed to start.
 */
final class BrowserGroup implements AutoCloseable {
    private final List<CompletableFuture<HeadlessChromium>> browsers = new ArrayList<>();

    private BrowserGroup(int count) {
        for (int i = 0; i < count; i++) {
            browsers.add(CompletableFuture.supplyAsync(HeadlessChromium::start));
        }
    }

    /** Starts {@code count} browsers in parallel; {@link #get} waits for one. */
    static BrowserGroup start(int count) {
        return new BrowserGroup(count);
    }

    /** Browser {@code index}, once it has started. */
    HeadlessChromium get(int index) {
        return browsers.get(index).join();
    }

    @Override
    public void close() {
        for (CompletableFuture<HeadlessChromium> browser : browsers) {
            browser.thenAccept(HeadlessChromium::close).exceptionally(e -> null).join();
        }
        browsers.clear();
    }
}
