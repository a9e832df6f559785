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
        PendingRequests pending = new PendingRequests(timer, Duration.ofSeconds(10));
        assertThat(pending.nextId()).isEqualTo(1);
        assertThat(pending.nextId()).isEqualTo(2);
        assertThat(pending.nextId()).isEqualTo(3);
    }

    @Test
    void replyCompletesTheRequestWithTheSameId() throws Exception {
        PendingRequests pending = new PendingRequests(timer, Duration.ofSeconds(10));
        CompletableFuture<JsonNode> first = pending.register(pending.nextId(), "ping");
        CompletableFuture<JsonNode> second = pending.register(pending.nextId(), "join ABCD");

        boolean matched = pending.complete(ServerMessage.Reply.ok(2, Json.nodes().objectNode().put("room", "ABCD")));

        assertThat(matched).isTrue();
        assertThat(second.get(1, TimeUnit.SECONDS).path("room").asText()).isEqualTo("ABCD");
        assertThat(first).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void errorReplyFailsWithThePartylineExceptionOfItsCode() {
        PendingRequests pending = new PendingRequests(timer, Duration.ofSeconds(10));
        CompletableFuture<JsonNode> join = pending.register(pending.nextId(), "join ZZZZ");

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
        PendingRequests pending = new PendingRequests(timer, Duration.ofSeconds(10));
        assertThat(pending.complete(ServerMessage.Reply.ok(99, null))).isFalse();
    }

    @Test
    void requestWithoutReplyTimesOutWithAClearMessage() {
        PendingRequests pending = new PendingRequests(timer, Duration.ofMillis(50));
        CompletableFuture<JsonNode> ping = pending.register(pending.nextId(), "ping");

        assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessage("No reply to ping (#1) within 50 ms")
                .extracting(failure -> ((PartylineException) failure).code()).isEqualTo("timeout");
        assertThat(pending.size()).isZero();
    }

    @Test
    void lateReplyAfterTheTimeoutIsIgnored() {
        PendingRequests pending = new PendingRequests(timer, Duration.ofMillis(20));
        CompletableFuture<JsonNode> ping = pending.register(pending.nextId(), "ping");
        assertThatThrownBy(() -> ping.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(RequestTimeoutException.class);

        assertThat(pending.complete(ServerMessage.Reply.ok(1, null))).isFalse();
        assertThat(ping).isCompletedExceptionally();
    }

    @Test
    void answeredRequestDoesNotTimeOutLater() throws Exception {
        PendingRequests pending = new PendingRequests(timer, Duration.ofMillis(30));
        CompletableFuture<JsonNode> ping = pending.register(pending.nextId(), "ping");
        pending.complete(ServerMessage.Reply.ok(1, null));

        // A timeout that fired anyway would find the entry gone; the schedule was cancelled too.
        assertThat(timer.schedule(() -> ping.isCompletedExceptionally(), 60, TimeUnit.MILLISECONDS).get()).isFalse();
        assertThat(ping.get()).isNull();
    }

    @Test
    void failAllFailsEveryWaitingRequest() {
        PendingRequests pending = new PendingRequests(timer, Duration.ofSeconds(10));
        CompletableFuture<JsonNode> first = pending.register(pending.nextId(), "ping");
        CompletableFuture<JsonNode> second = pending.register(pending.nextId(), "ping");

        pending.failAll(new ConnectionClosedException(1006, ""));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThatThrownBy(first::join).cause().isInstanceOf(ConnectionClosedException.class);
        assertThat(pending.size()).isZero();
    }

    @Test
    void registeringAnIdTwiceIsABug() {
        PendingRequests pending = new PendingRequests(timer, Duration.ofSeconds(10));
        pending.register(7, "ping");
        assertThatThrownBy(() -> pending.register(7, "ping")).isInstanceOf(IllegalStateException.class);
    }
}
