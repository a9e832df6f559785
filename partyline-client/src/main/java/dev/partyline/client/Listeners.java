package dev.partyline.client;

import dev.partyline.protocol.ServerMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one client and their dispatch. Adding and removing are thread-safe; each
 * {@code fire…} calls the listeners in the order they were added, and a listener that throws
 * is logged and does not stop the others.
 */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<Consumer<ServerMessage.Event>> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerMessage.State>> states = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerMessage.Error>> errors = new CopyOnWriteArrayList<>();
    private final List<CloseListener> closes = new CopyOnWriteArrayList<>();
    private final List<Consumer<Reconnected>> reconnects = new CopyOnWriteArrayList<>();

    Registration onEvent(Consumer<ServerMessage.Event> listener) {
        return add(events, listener);
    }

    Registration onState(Consumer<ServerMessage.State> listener) {
        return add(states, listener);
    }

    Registration onError(Consumer<ServerMessage.Error> listener) {
        return add(errors, listener);
    }

    Registration onClose(CloseListener listener) {
        return add(closes, listener);
    }

    Registration onReconnect(Consumer<Reconnected> listener) {
        return add(reconnects, listener);
    }

    void fireEvent(ServerMessage.Event event) {
        fire(events, event, "event");
    }

    void fireState(ServerMessage.State state) {
        fire(states, state, "state");
    }

    void fireError(ServerMessage.Error error) {
        fire(errors, error, "error");
    }

    void fireReconnect(Reconnected reconnected) {
        fire(reconnects, reconnected, "reconnect");
    }

    void fireClose(int code, String reason, boolean reconnecting) {
        for (CloseListener listener : closes) {
            try {
                listener.onClose(code, reason, reconnecting);
            } catch (RuntimeException e) {
                log.warn("A close listener failed", e);
            }
        }
    }

    private static <T> Registration add(List<T> list, T listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        list.add(listener);
        return () -> list.remove(listener);
    }

    private static <T> void fire(List<Consumer<T>> list, T value, String kind) {
        for (Consumer<T> listener : list) {
            try {
                listener.accept(value);
            } catch (RuntimeException e) {
                log.warn("A {} listener failed", kind, e);
            }
        }
    }
}
