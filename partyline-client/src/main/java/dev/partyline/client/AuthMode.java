package dev.partyline.client;

/** How a client presents its ticket when it opens the WebSocket. */
public enum AuthMode {
    /** In the upgrade URL: {@code /ws?ticket=…}. The default. */
    URL_TICKET,
    /**
     * In the first frame, {@code {"t":"auth","ticket":"…"}}, on a {@code /ws} URL without a
     * ticket: the ticket stays out of URLs and access logs.
     */
    FIRST_FRAME
}
