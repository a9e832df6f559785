package dev.partyline.core.session;

import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.ServerMessage;

/** One client socket, as core sees it. Implemented by the transport; all methods thread-safe. */
public interface Connection {

    /** Sends one message; dropped silently when the socket is already closed. */
    void send(ServerMessage message);

    /** Sends one frame encoded already (a replayed event, a remembered reply); the array is not modified. */
    void sendFrame(byte[] frame);

    /** Sends {@code reply}, of which {@code frame} is the encoding; the array is not modified. */
    void sendReply(ServerMessage.Reply reply, byte[] frame);

    /** Closes with a protocol close code and a short reason (at most 123 UTF-8 bytes, no secrets). */
    void close(CloseCode code, String reason);

    /** The I/O thread group this connection belongs to, for batched broadcasts. */
    DeliveryGroup deliveryGroup();

    /** The client's IP address, for per-IP limits and logs. */
    String remoteAddress();
}
