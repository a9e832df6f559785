package dev.partyline.core.broker;

/** Receives a topic's payloads; runs on a broker thread and must not block. */
@FunctionalInterface
public interface BrokerListener {
    /** {@code payload} must not be modified: every subscriber shares it. */
    void onMessage(String topic, byte[] payload);
}
