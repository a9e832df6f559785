package dev.partyline.core.auth;

/** A ticket request refused; the message is a sentence for the person, never a secret. */
public final class AuthException extends Exception {
    private final boolean badInput;

    private AuthException(String message, boolean badInput) {
        super(message, null, false, false);
        this.badInput = badInput;
    }

    /** The request itself is malformed (HTTP 400), for example an empty name. */
    public static AuthException badRequest(String message) {
        return new AuthException(message, true);
    }

    /** The identity could not be proven (HTTP 401), for example a bad token. */
    public static AuthException unauthorized(String message) {
        return new AuthException(message, false);
    }

    public boolean isBadRequest() {
        return badInput;
    }
}
