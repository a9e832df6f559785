package dev.partyline.client;

import dev.partyline.protocol.CloseCode;

/**
 * How a client ended for good. Immutable.
 *
 * @param code the WebSocket close code, for example 1000, 4001 or 1006
 * @param reason the close reason; empty, never null, when none was given
 */
public record CloseStatus(int code, String reason) {
    /** The protocol's name for the code, or null for a code it does not define (such as 1006). */
    public CloseCode closeCode() {
        return CloseCode.of(code);
    }
}
