package dev.partyline.bench;

/** What a worker process tells its {@link Coordinator}; see {@link WorkerProtocol} for the lines. */
sealed interface WorkerMessage {
    /** Its clients are set up; it waits for {@code go}. */
    record Ready() implements WorkerMessage {}

    /** Its send phase and drain (or its hold) are over, its clients still open; it waits for {@code finish}. */
    record Measured() implements WorkerMessage {}

    /** Its once-a-second reading. */
    record Ticked(Progress progress) implements WorkerMessage {}

    /** Its result, the last line it prints; server samples are null (the coordinator takes them). */
    record Finished(BenchResult result) implements WorkerMessage {}

    /** Not a message it sent: a protocol line of it that could not be read, and why. */
    record Unreadable(String problem) implements WorkerMessage {}

    /** Not a message it sent: its stdout ended and it exited with {@code status} (-1 when it did not exit in time). */
    record Exited(int status) implements WorkerMessage {}
}
