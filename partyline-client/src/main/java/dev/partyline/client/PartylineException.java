package dev.partyline.client;

/**
 * A request or a connection the server refused or that could not complete. {@link #code()} is
 * the server's error code ({@code room_not_found}, {@code room_full}, … see {@code ErrorCode})
 * for an error reply, or one of the client's own codes below. {@link #getMessage()} is the
 * server's sentence for a person. Immutable; has no stack trace, since it is created on an
 * event loop where the trace would say nothing about the caller.
 */
public class PartylineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Client code: no reply within the request timeout ({@link RequestTimeoutException}). */
    public static final String TIMEOUT = "timeout";
    /** Client code: the connection closed before the reply ({@link ConnectionClosedException}). */
    public static final String CONNECTION_CLOSED = "connection_closed";
    /** Client code: a request while the client was not connected (before, between or after connections). */
    public static final String NOT_CONNECTED = "not_connected";
    /** Client code: opening the connection failed (network, TLS, refused upgrade); see the cause. */
    public static final String CONNECT_FAILED = "connect_failed";

    private final String code;

    /**
     * @param code a lower_snake_case error code; never null
     * @param message a sentence for a person; never null
     */
    public PartylineException(String code, String message) {
        this(code, message, null);
    }

    /**
     * @param code a lower_snake_case error code; never null
     * @param message a sentence for a person; never null
     * @param cause the underlying failure, or null
     */
    public PartylineException(String code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    /** The error code, for example {@code room_not_found}; never null. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
    }
}
