package dev.partyline.games.switchonyms;

import java.util.Locale;

/** The kind of word a round deals: round 1 nouns, round 2 verbs, round 3 adjectives. */
public enum Category {
    NOUNS,
    VERBS,
    ADJECTIVES;

    /** The wire form and resource name, for example {@code nouns}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The category of a round.
     *
     * @param round 1 to {@link SwitchonymsRoom#ROUNDS}
     * @throws IllegalArgumentException for any other round
     */
    public static Category ofRound(int round) {
        if (round < 1 || round > values().length) {
            throw new IllegalArgumentException("rounds are 1 to " + values().length + ": " + round);
        }
        return values()[round - 1];
    }
}
