package dev.partyline.core.game;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server-side logic of one room type. One instance serves one room.
 *
 * <p>Every method runs on the room's mailbox, one at a time, in order: the logic never needs
 * locks and must never block. A {@link GameException} refuses the request that caused the call
 * (with its code); any other exception is logged and answered with {@code internal_error}, and
 * the room goes on. Keep state a plain value that Jackson can serialise.
 */
public interface RoomLogic {

    /** The room was created by its host, with the create request's options (an object, or null). */
    void onCreate(RoomContext room, JsonNode options) throws GameException;

    /**
     * A player asks to join. Throw to refuse ({@code room_full}, {@code name_taken}, …); the
     * player is not a member then. The {@code joined} presence event is sent after this returns.
     */
    void onJoin(RoomContext room, Player player) throws GameException;

    /** A member left for good; it is no longer in {@link RoomContext#members()}. */
    void onLeave(RoomContext room, Player player, LeaveReason reason);

    /** A member's connection dropped; it keeps its seat until it is back or times out. */
    default void onAway(RoomContext room, Player player) {}

    /** A member that was away is connected again. */
    default void onBack(RoomContext room, Player player) {}

    /** A member sent {@code name} with {@code data} (any JSON value, or null). */
    void onMessage(RoomContext room, Player from, String name, JsonNode data) throws GameException;

    /** A timer set with {@link RoomContext#schedule} fired. */
    default void onTimer(RoomContext room, String timer) {}

    /** This player's snapshot of the state: what it may see and nothing else. */
    JsonNode view(Player player);
}
