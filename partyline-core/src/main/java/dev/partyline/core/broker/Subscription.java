package dev.partyline.core.broker;

/** A live subscription; closing it stops delivery. Idempotent and thread-safe. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
