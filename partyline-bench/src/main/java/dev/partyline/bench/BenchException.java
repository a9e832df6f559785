package dev.partyline.bench;

/** A refusal or failure the bench counts under {@link #code()}: a wire error code or a bench one. */
public final class BenchException extends RuntimeException {
    private final String code;

    /** @param code the code errors are counted under; never null */
    public BenchException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The code errors are counted under. */
    public String code() {
        return code;
    }
}
