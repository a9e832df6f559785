package dev.partyline.client;

/** A listener added to a client; {@link #remove()} takes it off again. */
@FunctionalInterface
public interface Registration {
    /** Stops calls to the listener; idempotent, thread-safe. A call under way may still finish. */
    void remove();
}
