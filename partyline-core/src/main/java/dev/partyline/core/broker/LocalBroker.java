package dev.partyline.core.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory broker for a single node: {@link #publish} calls the topic's listeners on the
 * publisher's own thread, so per-publisher order is kept and a single node pays no
 * serialisation. Single node only; use the Redis broker to scale out.
 */
public final class LocalBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(LocalBroker.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Map<String, List<BrokerListener>> listeners = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        }
        List<BrokerListener> subscribers = listeners.get(topic);
        if (subscribers != null) {
            for (BrokerListener listener : subscribers) {
                try {
                    listener.onMessage(topic, payload);
                } catch (RuntimeException e) {
                    // The listener runs on the publisher's thread: its bug must not reach the
                    // publishing room, nor keep the payload from the other subscribers.
                    log.error("listener of {} failed", topic, e);
                }
            }
        }
        return DONE;
    }

    @Override
    public Subscription subscribe(String topic, BrokerListener listener) {
        // Add inside compute: a concurrent last unsubscribe could otherwise drop the list we add to.
        listeners.compute(topic, (t, list) -> {
            List<BrokerListener> target = list == null ? new CopyOnWriteArrayList<>() : list;
            target.add(listener);
            return target;
        });
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            // Idempotent: a second close must not remove another subscription of the same listener.
            if (open.compareAndSet(true, false)) {
                listeners.computeIfPresent(topic, (t, list) -> {
                    list.remove(listener);
                    return list.isEmpty() ? null : list;
                });
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
