package dev.partyline.bench;

/**
 * Which part of a run one process holds when the run is split over several ({@code --processes}):
 * worker {@code number} of {@code count} gets a contiguous block of whole rooms, the blocks
 * differing in size by at most one. A room's senders and receivers are all in one process, so its
 * latencies compare {@link System#nanoTime()} readings of a single clock.
 *
 * @param number 1 to {@code count}
 * @param count the workers of the run, at least 1
 */
record WorkerShare(int number, int count) {
    /** The whole run, in this process. */
    static final WorkerShare ALONE = new WorkerShare(1, 1);
    /** The most workers a run is split over. */
    static final int MAX_WORKERS = 64;

    /** @throws IllegalArgumentException unless {@code 1 <= number <= count <= MAX_WORKERS} */
    WorkerShare {
        if (count < 1 || count > MAX_WORKERS || number < 1 || number > count) {
            throw new IllegalArgumentException("need 1 <= worker <= workers <= " + MAX_WORKERS + ", was " + number + "/" + count);
        }
    }

    /**
     * Reads {@link #toString()}'s form, {@code I/N}.
     *
     * @throws IllegalArgumentException for any other text
     */
    static WorkerShare parse(String text) {
        int slash = text.indexOf('/');
        try {
            return new WorkerShare(Integer.parseInt(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--worker takes I/N, was " + text, e);
        }
    }

    /** The rooms this worker holds of {@code totalRooms}. */
    int rooms(int totalRooms) {
        return totalRooms / count + (number - 1 < totalRooms % count ? 1 : 0);
    }

    /** The index, in the whole run, of this worker's first room. */
    int firstRoom(int totalRooms) {
        int before = number - 1;
        return before * (totalRooms / count) + Math.min(before, totalRooms % count);
    }

    /** {@code I/N}, as {@code --worker} takes it. */
    @Override
    public String toString() {
        return number + "/" + count;
    }
}
