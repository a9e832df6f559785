package dev.partyline.core.session;

import dev.partyline.protocol.ServerMessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DeliveryGroup} that delivers on the caller's thread at once, in call order. A
 * {@link FakeConnection} gets the frame bytes as they are; any other connection gets the
 * decoded message through {@link Connection#send}. Counts its calls, so a test can check that a
 * broadcast hands each group one delivery, not one per recipient. Thread-safe.
 */
public final class InlineDeliveryGroup implements DeliveryGroup {
    private final ServerMessageCodec codec = new ServerMessageCodec();
    private final AtomicInteger deliveries = new AtomicInteger();

    @Override
    public void deliver(byte[] frame, int offset, int length, List<Connection> recipients) {
        deliveries.incrementAndGet();
        for (Connection recipient : recipients) {
            if (recipient instanceof FakeConnection fake) {
                fake.receive(frame, offset, length);
            } else {
                recipient.send(codec.decode(new String(frame, offset, length, StandardCharsets.UTF_8)));
            }
        }
    }

    /** How many times {@link #deliver} was called. */
    public int deliveries() {
        return deliveries.get();
    }
}
