package dev.partyline.games.switchonyms;

import java.util.Locale;

/** Where a Switchonyms game stands: {@code lobby → round → between → round → … → over}. */
public enum Phase {
    /** Players gather; nothing has been played yet. */
    LOBBY,
    /** A round is running: words are dealt, the timer counts down. */
    ROUND,
    /** A round ended and the next has not started; the host moves on. */
    BETWEEN,
    /** The third round ended: the final scoreboard; the host may start a new game. */
    OVER;

    /** The wire form, for example {@code between}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
