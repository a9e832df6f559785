package dev.partyline.core.game;

import java.util.Objects;

/** An authenticated identity: a stable id and a display name. */
public record Player(PlayerId id, String name) {
    public Player {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
