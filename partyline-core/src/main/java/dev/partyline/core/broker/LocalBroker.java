package dev.partyline.core.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory broker for a single node: {@link #publish} calls the topic's listeners on the
 * publisher's own thread, so per-publisher order is kept and a single node pays no
 * serialisation. Single node only; use the Redis broker to scale out.
 */
public final class LocalBroker implements Broker {
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
                listener.onMessage(topic, payload);
            }
        }
        return DONE;
    }

    @Override
    public Subscription subscribe(String topic, BrokerListener listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(topic, (t, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
