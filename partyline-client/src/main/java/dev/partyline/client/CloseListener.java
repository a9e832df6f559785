package dev.partyline.client;

/**
 * Told each time the client's connection closes. Called on the client's event loop; must not
 * block. A plain functional interface, so a Java or Kotlin lambda will do.
 */
@FunctionalInterface
public interface CloseListener {
    /**
     * @param code the WebSocket close code: the server's, 1000 after {@link PartylineClient#close()},
     *     or 1006 when the connection dropped without a close frame
     * @param reason the close reason; empty, never null, when none was given
     * @param reconnecting whether the client will now try to reconnect (and later calls
     *     {@code onReconnect} listeners, or this listener again when the new connection drops)
     */
    void onClose(int code, String reason, boolean reconnecting);
}
