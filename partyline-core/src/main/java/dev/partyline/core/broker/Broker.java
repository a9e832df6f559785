package dev.partyline.core.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Carries opaque payloads between nodes by topic.
 *
 * <p>At-most-once, ordered per topic per publisher. A publish reaches every subscriber on every
 * node, this node included, through {@link BrokerListener}, so one node runs the same code path
 * as a cluster. Listeners run on a broker thread and must not block.
 */
public interface Broker extends AutoCloseable {

    /**
     * Thread-safe. Completes when the payload was handed to the transport; after {@link #close}
     * the future fails with {@link IllegalStateException}.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload);

    /** Thread-safe. The listener gets every payload published on {@code topic} until unsubscribed. */
    Subscription subscribe(String topic, BrokerListener listener);

    @Override
    void close();
}
