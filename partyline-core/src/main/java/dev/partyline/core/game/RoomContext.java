package dev.partyline.core.game;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a room's logic may do. Only call it on the room's mailbox, that is from inside a
 * {@link RoomLogic} callback.
 */
public interface RoomContext {

    /** The room's join code, for example {@code "BCDF"}. */
    String code();

    /** Sends event {@code name} to every member, with {@code from} set to null (the room). */
    void broadcast(String name, JsonNode data);

    /** Sends event {@code name} to every member, attributed to {@code from}. */
    void broadcast(String name, Player from, JsonNode data);

    /** Sends event {@code name} privately to one member; no one else sees it. */
    void send(Player to, String name, JsonNode data);

    /** Calls {@link RoomLogic#onTimer} with {@code timer} after {@code delay}; replaces a timer of that name. */
    void schedule(String timer, Duration delay);

    /** Cancels the timer of that name, if set. */
    void cancel(String timer);

    /** The members in join order, away ones included. */
    List<Player> members();

    /** Whether this member's connection is up (not away). */
    boolean isOnline(Player player);

    /** The host: the creator, or the earliest-joined member after it left; empty when no one is in. */
    Optional<Player> host();

    /** Server time in epoch milliseconds. */
    long now();
}
