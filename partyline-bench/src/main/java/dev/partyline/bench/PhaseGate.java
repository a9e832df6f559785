package dev.partyline.bench;

/**
 * Where a run waits between its phases. Alone, it does not wait; as one worker of several
 * processes it waits for its coordinator, so that every worker sends (or holds) at the same time
 * and the server is sampled while all of them are in the same phase. Called from the run's thread.
 */
interface PhaseGate {
    /** A run that waits for nobody. */
    PhaseGate NONE = new PhaseGate() {
        @Override
        public void ready() {}

        @Override
        public void measured() {}
    };

    /** Every client is set up (or failed); returns when the send phase or the hold may begin. */
    void ready() throws InterruptedException;

    /**
     * The send phase and its drain (or the hold) are over, every client still open; returns when
     * the clients may be counted and closed.
     */
    void measured() throws InterruptedException;
}
