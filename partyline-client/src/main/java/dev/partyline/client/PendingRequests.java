package dev.partyline.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests that wait for a reply: hands out ids (1, 2, 3, … for the client's whole life,
 * across reconnects, so that a resumed session can retry a request under its old id), matches
 * each {@code reply} to its request, and fails requests that time out. Exactly one of reply,
 * timeout and failure completes each request. Thread-safe; futures complete on the thread that
 * delivers the reply, the failure or the timeout.
 */
final class PendingRequests {
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

    /**
     * @param timer runs the timeouts (the client's event loop)
     * @param timeout how long each request may wait for its reply
     */
    PendingRequests(ScheduledExecutorService timer, Duration timeout) {
        this.timer = timer;
        this.timeout = timeout;
    }

    /** The next request id; never repeats. */
    long nextId() {
        return lastId.incrementAndGet();
    }

    /**
     * Waits for the reply to request {@code id}.
     *
     * @param what names the request in a timeout message, for example {@code "join ABCD"}
     * @return completes with the reply's {@code data} (null when it had none), or exceptionally
     *     with {@link PartylineException} for an error reply, {@link RequestTimeoutException}, or
     *     whatever {@link #fail} or {@link #failAll} is given
     * @throws IllegalStateException when {@code id} is already waiting
     */
    CompletableFuture<JsonNode> register(long id, String what) {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        if (waiting.putIfAbsent(id, reply) != null) {
            throw new IllegalStateException("request id " + id + " is already waiting for a reply");
        }
        ScheduledFuture<?> expiry = timer.schedule(
                () -> fail(id, new RequestTimeoutException("reply to " + what + " (#" + id + ")", timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((data, failure) -> expiry.cancel(false));
        return reply;
    }

    /**
     * Completes the request this reply answers.
     *
     * @return false when no request waits for its id (never sent, timed out, or answered twice)
     */
    boolean complete(ServerMessage.Reply reply) {
        CompletableFuture<JsonNode> request = waiting.remove(reply.id());
        if (request == null) {
            return false;
        }
        if (reply.ok()) {
            request.complete(reply.data());
        } else {
            ServerMessage.ErrorBody error = reply.error();
            request.completeExceptionally(error == null
                    ? new PartylineException("internal_error", "The server refused the request without saying why")
                    : new PartylineException(error.code(), error.message()));
        }
        return true;
    }

    /** Fails one request; false when it no longer waits. */
    boolean fail(long id, Throwable cause) {
        CompletableFuture<JsonNode> request = waiting.remove(id);
        return request != null && request.completeExceptionally(cause);
    }

    /** Fails every waiting request, for example when the connection dropped. */
    void failAll(Throwable cause) {
        List<Long> ids = new ArrayList<>(waiting.keySet());
        for (Long id : ids) {
            fail(id, cause);
        }
    }

    /** How many requests wait for a reply. */
    int size() {
        return waiting.size();
    }
}
