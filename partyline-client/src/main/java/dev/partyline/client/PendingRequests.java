package dev.partyline.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests that wait for a reply, and the order they go out in. Hands out ids (1, 2, 3, …
 * for the client's whole life, across reconnects, so that a resumed session can send a request
 * again under its old id), matches each {@code reply} to its request, and fails requests that
 * time out. Exactly one of reply, timeout and failure completes each request.
 *
 * <p>A request is first <em>queued</em>; {@link #takeWritable()} hands out queued requests in
 * order for the caller to write, as long as at most {@code window} requests are <em>written</em>
 * and unanswered. The server remembers a session's last 64 replies: with no more than that many
 * requests unanswered, every reply lost with a dropped socket is still remembered when the
 * client sends its request again after resuming, so no request runs twice. A written request
 * stays written across a dropped connection ({@link #written()} lists them for the resend)
 * until it is answered, times out or fails.
 *
 * <p>Thread-safe; futures complete on the thread that delivers the reply, the failure or the
 * timeout, outside any lock.
 */
final class PendingRequests {
    /** The default of the window: the number of replies the server remembers per session. */
    static final int SERVER_REMEMBERED_REPLIES = 64;

    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final int window;
    private final AtomicLong lastId = new AtomicLong();
    // Guarded by this. Written requests in the order they were written: the resend keeps it.
    private final Map<Long, Request> written = new LinkedHashMap<>();
    private final Map<Long, Request> queuedById = new LinkedHashMap<>();
    private final Deque<Request> urgent = new ArrayDeque<>();
    private final Deque<Request> queue = new ArrayDeque<>();

    /** One request: its id, its encoded frame, and the future its reply completes. */
    record Request(long id, String what, String frame, CompletableFuture<JsonNode> reply) {}

    /**
     * @param timer runs the timeouts (the client's event loop)
     * @param timeout how long each request may wait for its reply, queued time included
     * @param window how many written requests may wait for a reply at once; at least 1
     */
    PendingRequests(ScheduledExecutorService timer, Duration timeout, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.timer = timer;
        this.timeout = timeout;
        this.window = window;
    }

    /** The next request id; never repeats. */
    long nextId() {
        return lastId.incrementAndGet();
    }

    /**
     * Queues request {@code id} and starts its timeout.
     *
     * @param what names the request in a timeout message, for example {@code "join ABCD"}
     * @param frame the encoded request, written by whoever {@link #takeWritable() takes} it
     * @param first whether it goes ahead of the requests queued so far (rejoining the rooms
     *     after a fresh session must precede what the app asked for meanwhile); the urgent ones
     *     keep their own order
     * @return completes with the reply's {@code data} (null when it had none), or exceptionally
     *     with {@link PartylineException} for an error reply, {@link RequestTimeoutException}, or
     *     whatever {@link #fail}, {@link #failWritten} or {@link #failAll} is given
     * @throws IllegalStateException when {@code id} is already waiting
     */
    CompletableFuture<JsonNode> add(long id, String what, String frame, boolean first) {
        Request request = new Request(id, what, frame, new CompletableFuture<>());
        synchronized (this) {
            if (written.containsKey(id) || queuedById.containsKey(id)) {
                throw new IllegalStateException("request id " + id + " is already waiting for a reply");
            }
            queuedById.put(id, request);
            (first ? urgent : queue).addLast(request);
        }
        ScheduledFuture<?> expiry = timer.schedule(
                () -> fail(id, new RequestTimeoutException("reply to " + what + " (#" + id + ")", timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        request.reply().whenComplete((data, failure) -> expiry.cancel(false));
        return request.reply();
    }

    /**
     * Moves queued requests, urgent ones first, to written, as many as the window allows, and
     * returns them in order; the caller writes them now.
     */
    List<Request> takeWritable() {
        return takeWritable(false);
    }

    /**
     * As {@link #takeWritable()}; with {@code urgentOnly} the other queued requests stay queued
     * (while the rooms are joined again, what the app asked for must wait for the joins).
     */
    synchronized List<Request> takeWritable(boolean urgentOnly) {
        List<Request> taken = new ArrayList<>();
        while (written.size() < window) {
            Request next = !urgent.isEmpty() ? urgent.pollFirst() : urgentOnly ? null : queue.pollFirst();
            if (next == null) {
                break;
            }
            queuedById.remove(next.id());
            written.put(next.id(), next);
            taken.add(next);
        }
        return taken;
    }

    /** The written requests still waiting for their reply, in the order they were written: the resend after a resume. */
    synchronized List<Request> written() {
        return new ArrayList<>(written.values());
    }

    /**
     * Completes the request this reply answers.
     *
     * @return false when no written request waits for its id (never sent, timed out, or answered twice)
     */
    boolean complete(ServerMessage.Reply reply) {
        Request request;
        synchronized (this) {
            request = written.remove(reply.id());
        }
        if (request == null) {
            return false;
        }
        if (reply.ok()) {
            request.reply().complete(reply.data());
        } else {
            ServerMessage.ErrorBody error = reply.error();
            request.reply().completeExceptionally(error == null
                    ? new PartylineException("internal_error", "The server refused the request without saying why")
                    : new PartylineException(error.code(), error.message()));
        }
        return true;
    }

    /** Fails one request, queued or written; false when it no longer waits. */
    boolean fail(long id, Throwable cause) {
        Request request;
        synchronized (this) {
            request = written.remove(id);
            if (request == null) {
                request = queuedById.remove(id);
                if (request != null) {
                    urgent.remove(request);
                    queue.remove(request);
                }
            }
        }
        return request != null && request.reply().completeExceptionally(cause);
    }

    /**
     * Fails every written request, for example when the session they were written on has ended
     * and nobody can tell whether they ran. Queued requests stay queued.
     */
    void failWritten(Throwable cause) {
        List<Request> failed;
        synchronized (this) {
            failed = new ArrayList<>(written.values());
            written.clear();
        }
        failed.forEach(request -> request.reply().completeExceptionally(cause));
    }

    /** Fails every waiting request, queued or written, for example when the client ends. */
    void failAll(Throwable cause) {
        List<Request> failed;
        synchronized (this) {
            failed = new ArrayList<>(written.values());
            failed.addAll(queuedById.values());
            written.clear();
            queuedById.clear();
            urgent.clear();
            queue.clear();
        }
        failed.forEach(request -> request.reply().completeExceptionally(cause));
    }

    /** How many requests wait for a reply, queued or written. */
    synchronized int size() {
        return written.size() + queuedById.size();
    }

    /** How many written requests wait for a reply. */
    synchronized int writtenCount() {
        return written.size();
    }
}
