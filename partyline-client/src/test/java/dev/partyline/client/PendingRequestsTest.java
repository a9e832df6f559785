package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void idsCountUpFromOneAndNeverRepeat() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        assertThat(pending.nextId()).isEqualTo(1);
        assertThat(pending.nextId()).isEqualTo(2);
        assertThat(pending.nextId()).isEqualTo(3);
    }

    @Test
    void replyCompletesTheWrittenRequestWithTheSameId() throws Exception {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        CompletableFuture<JsonNode> first = sent(pending, "ping");
        CompletableFuture<JsonNode> second = sent(pending, "join ABCD");

        boolean matched = pending.complete(ServerMessage.Reply.ok(2, Json.nodes().objectNode().put("room", "ABCD")));

        assertThat(matched).isTrue();
        assertThat(second.get(1, TimeUnit.SECONDS).path("room").asText()).isEqualTo("ABCD");
        assertThat(first).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void errorReplyFailsWithThePartylineExceptionOfItsCode() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        CompletableFuture<JsonNode> join = sent(pending, "join ZZZZ");

        pending.complete(ServerMessage.Reply.failure(1, "room_not_found", "No room has the code ZZZZ."));

        assertThatThrownBy(() -> join.get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(PartylineException.class)
                .hasMessage("No room has the code ZZZZ.")
                .extracting(failure -> ((PartylineException) failure).code()).isEqualTo("room_not_found");
        assertThat(pending.size()).isZero();
    }

    @Test
    void replyWithoutWaitingRequestIsNotMatched() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        assertThat(pending.complete(ServerMessage.Reply.ok(99, null))).isFalse();
    }

    @Test
    void aReplyForARequestNotWrittenYetIsNotMatched() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        CompletableFuture<JsonNode> queued = pending.add(pending.nextId(), "ping", "{}", false);

        assertThat(pending.complete(ServerMessage.Reply.ok(1, null))).isFalse();
        assertThat(queued).isNotDone();
    }

    @Test
    void requestWithoutReplyTimesOutWithAClearMessage() {
        PendingRequests pending = pending(Duration.ofMillis(50), 64);
        CompletableFuture<JsonNode> ping = sent(pending, "ping");

        assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessage("No reply to ping (#1) within 50 ms")
                .extracting(failure -> ((PartylineException) failure).code()).isEqualTo("timeout");
        assertThat(pending.size()).isZero();
    }

    @Test
    void aQueuedRequestTimesOutTooAndLeavesTheQueue() {
        PendingRequests pending = pending(Duration.ofMillis(50), 1);
        sent(pending, "ping");
        CompletableFuture<JsonNode> queued = pending.add(pending.nextId(), "ping", "{\"id\":2}", false);

        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(RequestTimeoutException.class);
        assertThat(pending.size()).isZero();
        assertThat(pending.takeWritable()).isEmpty();
    }

    @Test
    void lateReplyAfterTheTimeoutIsIgnored() {
        PendingRequests pending = pending(Duration.ofMillis(20), 64);
        CompletableFuture<JsonNode> ping = sent(pending, "ping");
        assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(RequestTimeoutException.class);

        assertThat(pending.complete(ServerMessage.Reply.ok(1, null))).isFalse();
        assertThat(ping).isCompletedExceptionally();
    }

    @Test
    void answeredRequestDoesNotTimeOutLater() throws Exception {
        PendingRequests pending = pending(Duration.ofMillis(30), 64);
        CompletableFuture<JsonNode> ping = sent(pending, "ping");
        pending.complete(ServerMessage.Reply.ok(1, null));

        // A timeout that fired anyway would find the entry gone; the schedule was cancelled too.
        assertThat(timer.schedule(() -> ping.isCompletedExceptionally(), 60, TimeUnit.MILLISECONDS).get()).isFalse();
        assertThat(ping.get()).isNull();
    }

    @Test
    void noMoreThanTheWindowIsWrittenAndEachReplyLetsTheNextOneOut() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 2);
        for (int i = 1; i <= 5; i++) {
            pending.add(pending.nextId(), "ping", "#" + i, false);
        }

        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::frame).containsExactly("#1", "#2");
        assertThat(pending.takeWritable()).isEmpty();
        pending.complete(ServerMessage.Reply.ok(2, null));
        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::frame).containsExactly("#3");
        pending.fail(1, new PartylineException("test", "gone"));
        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::frame).containsExactly("#4");
        assertThat(pending.writtenCount()).isEqualTo(2);
        assertThat(pending.size()).isEqualTo(3);
    }

    @Test
    void urgentRequestsGoAheadOfTheQueueInTheirOwnOrder() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        pending.add(pending.nextId(), "send", "send 1", false);
        pending.add(pending.nextId(), "send", "send 2", false);
        pending.add(pending.nextId(), "join", "join A", true);
        pending.add(pending.nextId(), "join", "join B", true);

        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::frame)
                .containsExactly("join A", "join B", "send 1", "send 2");
    }

    @Test
    void urgentOnlyLeavesTheOtherRequestsQueued() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        pending.add(pending.nextId(), "send", "send 1", false);
        pending.add(pending.nextId(), "join", "join A", true);

        assertThat(pending.takeWritable(true)).extracting(PendingRequests.Request::frame).containsExactly("join A");
        assertThat(pending.takeWritable(true)).isEmpty();
        assertThat(pending.takeWritable(false)).extracting(PendingRequests.Request::frame).containsExactly("send 1");
    }

    @Test
    void writtenRequestsAreListedForTheResendInTheOrderTheyWereWritten() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        pending.add(pending.nextId(), "send", "send 1", false);
        pending.add(pending.nextId(), "join", "join A", true);
        pending.takeWritable();
        pending.add(pending.nextId(), "send", "send 3", false);
        pending.complete(ServerMessage.Reply.ok(1, null));

        assertThat(pending.written()).extracting(PendingRequests.Request::id).containsExactly(2L);
        assertThat(pending.written()).as("listing does not take them").hasSize(1);
        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::id).containsExactly(3L);
        assertThat(pending.written()).extracting(PendingRequests.Request::id).containsExactly(2L, 3L);
    }

    @Test
    void failWrittenFailsOnlyWhatWasWritten() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 1);
        CompletableFuture<JsonNode> onTheWire = sent(pending, "send");
        CompletableFuture<JsonNode> waiting = pending.add(pending.nextId(), "send", "#2", false);

        pending.failWritten(new ConnectionClosedException(1006, ""));

        assertThatThrownBy(onTheWire::join).cause().isInstanceOf(ConnectionClosedException.class);
        assertThat(waiting).isNotDone();
        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::frame).containsExactly("#2");
    }

    @Test
    void failAllFailsEveryWaitingRequestQueuedOrWritten() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 1);
        CompletableFuture<JsonNode> first = sent(pending, "ping");
        CompletableFuture<JsonNode> second = pending.add(pending.nextId(), "ping", "{}", false);

        pending.failAll(new ConnectionClosedException(1006, ""));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThatThrownBy(first::join).cause().isInstanceOf(ConnectionClosedException.class);
        assertThatThrownBy(second::join).cause().isInstanceOf(ConnectionClosedException.class);
        assertThat(pending.size()).isZero();
        assertThat(pending.takeWritable()).isEmpty();
    }

    @Test
    void registeringAnIdTwiceIsABug() {
        PendingRequests pending = pending(Duration.ofSeconds(10), 64);
        pending.add(7, "ping", "{}", false);
        assertThatThrownBy(() -> pending.add(7, "ping", "{}", false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWindowBelowOneIsRefused() {
        assertThatThrownBy(() -> pending(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private PendingRequests pending(Duration timeout, int window) {
        return new PendingRequests(timer, timeout, window);
    }

    /** Adds a request under the next id and takes it as written. */
    private static CompletableFuture<JsonNode> sent(PendingRequests pending, String what) {
        long id = pending.nextId();
        CompletableFuture<JsonNode> reply = pending.add(id, what, "{\"id\":" + id + "}", false);
        assertThat(pending.takeWritable()).extracting(PendingRequests.Request::id).containsExactly(id);
        return reply;
    }
}
