package dev.partyline.protocol;

/** WebSocket close codes of protocol v1; the numbers are the protocol's (DESIGN.md). */
public enum CloseCode {
    NORMAL(1000), GOING_AWAY(1001), POLICY_VIOLATION(1008), MESSAGE_TOO_BIG(1009),
    INTERNAL_ERROR(1011), SERVICE_RESTART(1012),
    UNAUTHORIZED(4001), AUTH_TIMEOUT(4002), SESSION_REPLACED(4004), TRANSFERRED(4005);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    /** The number sent in the close frame. */
    public int code() {
        return code;
    }

    /** Whether a client should reconnect (and resume) on its own after this close. */
    public boolean reconnect() {
        return this == GOING_AWAY || this == SERVICE_RESTART || this == INTERNAL_ERROR;
    }

    /** The close code with this number, or {@code null} when the protocol defines none. */
    public static CloseCode of(int code) {
        for (CloseCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
