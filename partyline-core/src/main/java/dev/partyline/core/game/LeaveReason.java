package dev.partyline.core.game;

/** Why a player left a room. */
public enum LeaveReason {
    /** The player asked to leave. */
    LEFT,
    /** The player's connection stayed away past the session grace period. */
    TIMED_OUT,
    /** The room is closing. */
    ROOM_CLOSED
}
