package dev.partyline.core.session;

import java.util.List;

/**
 * Connections that share one I/O thread. A broadcast hands each group one task with the encoded
 * frame, never one task per recipient; the transport writes that one buffer to all of them.
 */
public interface DeliveryGroup {

    /**
     * Thread-safe. Writes {@code frame[offset, offset+length)} as one text frame to each
     * connection, in the order calls were made. The array is shared and must not be modified.
     */
    void deliver(byte[] frame, int offset, int length, List<Connection> recipients);
}
