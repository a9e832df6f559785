package dev.partyline.core.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do, on one node. An implementation's test extends this class
 * and supplies fresh brokers; delivery may be asynchronous, so the suite waits on queues with a
 * timeout ({@link #TIMEOUT_SECONDS}) and never sleeps. "Not delivered" is checked by publishing
 * a later payload that must arrive, which proves the earlier one had its chance.
 */
public abstract class BrokerContract {
    /** How long a test waits for a payload that must arrive. */
    protected static final int TIMEOUT_SECONDS = 5;

    /** A new broker, not yet closed; each test closes it. */
    protected abstract Broker newBroker();

    @Test
    void publishReachesSubscriberOnSameNode() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> received.add(new String(payload, UTF_8)));

            broker.publish("room:1", "hi".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(received.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("hi");
        }
    }

    @Test
    void listenerIsToldTheTopic() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> topics = new LinkedBlockingQueue<>();
            broker.subscribe("room:ABCD", (topic, payload) -> topics.add(topic));

            broker.publish("room:ABCD", new byte[] {1}).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(topics.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("room:ABCD");
        }
    }

    @Test
    void payloadBytesArriveUnchanged() throws Exception {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i; // not valid UTF-8: payloads are opaque bytes
        }
        try (Broker broker = newBroker()) {
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> received.add(payload.clone()));

            broker.publish("room:1", every.clone()).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(received.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo(every);
        }
    }

    @Test
    void publishReachesEverySubscriberOfTheTopic() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> first = new LinkedBlockingQueue<>();
            BlockingQueue<String> second = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> first.add(new String(payload, UTF_8)));
            broker.subscribe("room:1", (topic, payload) -> second.add(new String(payload, UTF_8)));

            broker.publish("room:1", "hi".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(first.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("hi");
            assertThat(second.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("hi");
        }
    }

    @Test
    void payloadsOfOnePublisherArriveInOrder() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> received.add(new String(payload, UTF_8)));

            List<String> sent = new ArrayList<>();
            CompletableFuture<?> last = null;
            for (int i = 0; i < 500; i++) {
                sent.add("m" + i);
                last = broker.publish("room:1", ("m" + i).getBytes(UTF_8));
            }
            last.get(TIMEOUT_SECONDS, SECONDS);

            List<String> got = new ArrayList<>();
            while (got.size() < sent.size()) {
                String next = received.poll(TIMEOUT_SECONDS, SECONDS);
                assertThat(next).as("payload %d of %d", got.size(), sent.size()).isNotNull();
                got.add(next);
            }
            assertThat(got).isEqualTo(sent);
        }
    }

    @Test
    void eachOfSeveralConcurrentPublishersKeepsItsOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 250;
        try (Broker broker = newBroker()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> received.add(new String(payload, UTF_8)));

            ExecutorService pool = Executors.newFixedThreadPool(publishers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int publisher = p;
                    done.add(CompletableFuture.runAsync(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        for (int i = 0; i < perPublisher; i++) {
                            broker.publish("room:1", (publisher + ":" + i).getBytes(UTF_8));
                        }
                    }, pool));
                }
                start.countDown();
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS, SECONDS);
            } finally {
                pool.shutdownNow();
            }

            Map<Integer, Integer> lastSeen = new ConcurrentHashMap<>();
            for (int n = 0; n < publishers * perPublisher; n++) {
                String next = received.poll(TIMEOUT_SECONDS, SECONDS);
                assertThat(next).as("payload %d", n).isNotNull();
                int publisher = Integer.parseInt(next.substring(0, next.indexOf(':')));
                int index = Integer.parseInt(next.substring(next.indexOf(':') + 1));
                assertThat(index).as("next payload of publisher %d", publisher)
                        .isEqualTo(lastSeen.getOrDefault(publisher, -1) + 1);
                lastSeen.put(publisher, index);
            }
        }
    }

    @Test
    void closedSubscriptionGetsNothingMore() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> closed = new LinkedBlockingQueue<>();
            BlockingQueue<String> witness = new LinkedBlockingQueue<>();
            Subscription subscription = broker.subscribe("room:1",
                    (topic, payload) -> closed.add(new String(payload, UTF_8)));
            broker.subscribe("room:1", (topic, payload) -> witness.add(new String(payload, UTF_8)));
            broker.publish("room:1", "before".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);
            assertThat(closed.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("before");
            assertThat(witness.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("before");

            subscription.close();
            broker.publish("room:1", "after".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(witness.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("after");
            assertThat(closed).isEmpty();
        }
    }

    @Test
    void closingASubscriptionTwiceLeavesOtherSubscriptionsOfTheSameListenerAlone() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            BrokerListener listener = (topic, payload) -> received.add(new String(payload, UTF_8));
            Subscription first = broker.subscribe("room:1", listener);
            broker.subscribe("room:1", listener);

            first.close();
            first.close();
            broker.publish("room:1", "still".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(received.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("still");
        }
    }

    @Test
    void subscriberOfAnotherTopicGetsNothing() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> mine = new LinkedBlockingQueue<>();
            BlockingQueue<String> other = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> mine.add(topic + "=" + new String(payload, UTF_8)));
            broker.subscribe("room:2", (topic, payload) -> other.add(new String(payload, UTF_8)));

            broker.publish("room:2", "theirs".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);
            assertThat(other.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("theirs");
            broker.publish("room:1", "mine".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(mine.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("room:1=mine");
            assertThat(mine).isEmpty();
        }
    }

    @Test
    void topicsThatShareAPrefixAreDistinct() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            broker.subscribe("room:AB", (topic, payload) -> received.add(topic));
            broker.subscribe("room:ABCD", (topic, payload) -> received.add(topic));

            broker.publish("room:ABCD", new byte[] {1}).get(TIMEOUT_SECONDS, SECONDS);
            assertThat(received.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("room:ABCD");
            broker.publish("room:AB", new byte[] {2}).get(TIMEOUT_SECONDS, SECONDS);
            assertThat(received.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("room:AB");

            assertThat(received).isEmpty();
        }
    }

    @Test
    void publishWithoutSubscribersSucceeds() throws Exception {
        try (Broker broker = newBroker()) {
            assertThat(broker.publish("room:nobody", new byte[] {1}).get(TIMEOUT_SECONDS, SECONDS)).isNull();
        }
    }

    @Test
    void aFailingListenerDoesNotKeepThePayloadFromTheOthers() throws Exception {
        try (Broker broker = newBroker()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            broker.subscribe("room:1", (topic, payload) -> {
                throw new IllegalStateException("a listener with a bug");
            });
            broker.subscribe("room:1", (topic, payload) -> received.add(new String(payload, UTF_8)));

            broker.publish("room:1", "hi".getBytes(UTF_8)).get(TIMEOUT_SECONDS, SECONDS);

            assertThat(received.poll(TIMEOUT_SECONDS, SECONDS)).isEqualTo("hi");
        }
    }

    @Test
    void publishAfterCloseFails() {
        Broker broker = newBroker();
        broker.close();

        Throwable failure = catchThrowable(
                () -> broker.publish("room:1", new byte[] {1}).get(TIMEOUT_SECONDS, SECONDS));

        assertThat(failure).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeIsIdempotent() {
        Broker broker = newBroker();
        broker.close();
        broker.close();
    }
}
