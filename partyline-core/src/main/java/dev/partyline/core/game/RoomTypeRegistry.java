package dev.partyline.core.game;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The room types this server hosts, by name. Filled at start-up, read-only after; thread-safe. */
public final class RoomTypeRegistry {
    private final Map<String, RoomType> types;

    public RoomTypeRegistry(Iterable<RoomType> types) {
        Map<String, RoomType> byName = new TreeMap<>();
        for (RoomType type : types) {
            if (byName.putIfAbsent(type.name(), type) != null) {
                throw new IllegalArgumentException("room type registered twice: " + type.name());
            }
        }
        this.types = Map.copyOf(byName);
    }

    public Optional<RoomType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The names, for error messages and {@code --help}. */
    public Set<String> names() {
        return new TreeMap<>(types).keySet();
    }
}
