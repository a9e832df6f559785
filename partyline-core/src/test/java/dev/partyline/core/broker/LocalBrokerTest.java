package dev.partyline.core.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalBrokerTest extends BrokerContract {

    @Override
    protected Broker newBroker() {
        return new LocalBroker();
    }

    @Test
    void listenersRunOnThePublishersThreadBeforePublishReturns() {
        try (LocalBroker broker = new LocalBroker()) {
            List<String> seen = new ArrayList<>();
            broker.subscribe("room:1", (topic, payload) -> seen.add(Thread.currentThread().getName()));

            broker.publish("room:1", "hi".getBytes(UTF_8));

            assertThat(seen).containsExactly(Thread.currentThread().getName());
        }
    }

    @Test
    void aListenerMayUnsubscribeWhileBeingCalled() {
        try (LocalBroker broker = new LocalBroker()) {
            List<String> seen = new ArrayList<>();
            Subscription[] self = new Subscription[1];
            self[0] = broker.subscribe("room:1", (topic, payload) -> {
                seen.add(new String(payload, UTF_8));
                self[0].close();
            });

            broker.publish("room:1", "one".getBytes(UTF_8));
            broker.publish("room:1", "two".getBytes(UTF_8));

            assertThat(seen).containsExactly("one");
        }
    }
}
