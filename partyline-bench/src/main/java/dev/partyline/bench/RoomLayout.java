package dev.partyline.bench;

/**
 * How a run's clients sit in rooms.
 *
 * @param rooms at least 1
 * @param clientsPerRoom at least 1
 */
record RoomLayout(int rooms, int clientsPerRoom) {

    /** {@code connections} in rooms of 8 (one smaller room when fewer), rounded up to whole rooms. */
    static RoomLayout inRoomsOf8(int connections) {
        int perRoom = Math.min(8, connections);
        return new RoomLayout((connections + perRoom - 1) / perRoom, perRoom);
    }

    /** Every client of the run. */
    int clients() {
        return rooms * clientsPerRoom;
    }
}
