package dev.partyline.client;

/**
 * The connection closed before an answer arrived: a request in flight when it dropped, or a
 * connect the server ended before {@code welcome} (4001 for a bad ticket). Immutable.
 */
public final class ConnectionClosedException extends PartylineException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;
    private final String reason;

    /**
     * @param closeCode the WebSocket close code (1006 when the connection just dropped)
     * @param reason the close reason, empty when none; never null
     */
    public ConnectionClosedException(int closeCode, String reason) {
        super(CONNECTION_CLOSED, "The connection closed with " + closeCode + (reason.isEmpty() ? "" : " (" + reason + ")"));
        this.closeCode = closeCode;
        this.reason = reason;
    }

    /** The WebSocket close code, for example 4001 or 1006. */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason the server gave; empty, never null, when none. */
    public String reason() {
        return reason;
    }
}
