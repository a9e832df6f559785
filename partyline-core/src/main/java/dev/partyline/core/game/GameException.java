package dev.partyline.core.game;

import dev.partyline.protocol.ErrorCode;
import java.util.regex.Pattern;

/**
 * Refuses one request of a room's logic. The request gets an error reply with this code and
 * message; the connection and the room go on. Thrown on the room's mailbox.
 */
public class GameException extends Exception {
    private static final Pattern WIRE_CODE = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    private final String code;

    /**
     * @param code lower_snake_case, for example {@code too_fast}
     * @param message a sentence for a person
     */
    public GameException(String code, String message) {
        super(message, null, false, false); // refusals are routine, not bugs: no stack trace
        if (!WIRE_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("error codes are lower_snake_case: " + code);
        }
        this.code = code;
    }

    public GameException(ErrorCode code, String message) {
        this(code.wire(), message);
    }

    /** The wire form of the error code. */
    public String code() {
        return code;
    }
}
