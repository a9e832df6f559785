package dev.partyline.client;

import java.time.Duration;

/** No answer within the timeout: to a request, to the ticket request, or no {@code welcome}. Immutable. */
public final class RequestTimeoutException extends PartylineException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /**
     * @param what what was waited for, for example {@code "reply to join #4"}; never null
     * @param timeout how long was waited; never null
     */
    public RequestTimeoutException(String what, Duration timeout) {
        super(TIMEOUT, "No " + what + " within " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** How long the client waited. */
    public Duration timeout() {
        return timeout;
    }
}
