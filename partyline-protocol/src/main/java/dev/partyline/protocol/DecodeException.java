package dev.partyline.protocol;

/**
 * A client frame that breaks protocol v1. Carries the request {@code id} when the frame had a
 * readable one, so the server can answer with an error {@code reply} instead of an {@code error}.
 */
public final class DecodeException extends Exception {
    private final ErrorCode code;
    private final Long requestId;

    public DecodeException(ErrorCode code, String message, Long requestId) {
        super(message, null, false, false); // no stack trace: bad input is routine, not a bug
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The request id of the offending frame, or null when it had none that could be read. */
    public Long requestId() {
        return requestId;
    }
}
