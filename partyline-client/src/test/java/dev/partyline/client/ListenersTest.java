package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatch to a client's listeners. How frames reach them from the real server is in the
 * app module's {@code JavaClientEndToEndTest}; this covers the kinds that server only sends to
 * other clients than the SDK ({@code error} frames answer frames the SDK never sends).
 */
class ListenersTest {
    private final Listeners listeners = new Listeners();
    private final List<String> heard = new ArrayList<>();

    @Test
    void eachKindReachesItsOwnListenersInTheOrderTheyWereAdded() {
        listeners.onEvent(event -> heard.add("event 1 " + event.name()));
        listeners.onEvent(event -> heard.add("event 2 " + event.name()));
        listeners.onState(state -> heard.add("state " + state.room()));
        listeners.onError(error -> heard.add("error " + error.code()));
        listeners.onClose((code, reason, reconnecting) -> heard.add("close " + code + " " + reason + " " + reconnecting));
        listeners.onReconnect(reconnected -> heard.add("reconnect " + reconnected.attempts()));

        listeners.fireEvent(new ServerMessage.Event("ABCD", 1, "said", "p1", null));
        listeners.fireState(new ServerMessage.State("ABCD", "chat", "e1", 1, List.of(), null, "p1"));
        listeners.fireError(new ServerMessage.Error("bad_request", "Not JSON."));
        listeners.fireClose(1006, "", true);
        listeners.fireReconnect(new Reconnected(welcome(), 2, List.of(), java.util.Map.of()));

        assertThat(heard).containsExactly("event 1 said", "event 2 said", "state ABCD", "error bad_request",
                "close 1006  true", "reconnect 2");
    }

    @Test
    void aRemovedListenerIsNoLongerCalled() {
        Registration first = listeners.onError(error -> heard.add("first"));
        listeners.onError(error -> heard.add("second"));

        first.remove();
        listeners.fireError(new ServerMessage.Error("bad_request", "Not JSON."));

        assertThat(heard).containsExactly("second");
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        listeners.onEvent(event -> {
            throw new IllegalStateException("a bug in the app");
        });
        listeners.onEvent(event -> heard.add("still called"));
        listeners.onClose((code, reason, reconnecting) -> {
            throw new IllegalStateException("another bug");
        });
        listeners.onClose((code, reason, reconnecting) -> heard.add("close still called"));

        listeners.fireEvent(new ServerMessage.Event("ABCD", 1, "said", "p1", null));
        listeners.fireClose(1000, "", false);

        assertThat(heard).containsExactly("still called", "close still called");
    }

    @Test
    void aNullListenerIsRefused() {
        assertThatThrownBy(() -> listeners.onEvent(null)).isInstanceOf(NullPointerException.class);
    }

    private static ServerMessage.Welcome welcome() {
        return new ServerMessage.Welcome(new ServerMessage.PlayerInfo("p1", "Alice"), "s1", "r1", 20_000, "n1", 0, false);
    }
}
