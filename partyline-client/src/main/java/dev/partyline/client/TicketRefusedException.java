package dev.partyline.client;

/**
 * {@code POST /api/tickets} answered with an HTTP error. {@link #code()} and the message come
 * from the body's {@code error} object when it has one. Immutable.
 */
public final class TicketRefusedException extends PartylineException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status, for example 401 or 403
     * @param code the body's error code, or {@code http_<status>} when it had none; never null
     * @param message the body's message, or a sentence naming the status; never null
     */
    public TicketRefusedException(int status, String code, String message) {
        super(code, message);
        this.status = status;
    }

    /** The HTTP status of the refusal. */
    public int status() {
        return status;
    }
}
