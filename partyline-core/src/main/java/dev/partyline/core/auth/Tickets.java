package dev.partyline.core.auth;

import dev.partyline.core.game.Player;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-use, short-lived tickets that carry a player's identity onto a WebSocket. A ticket is
 * 32 random bytes; redeeming it removes it, so a reused ticket fails; an expired one fails too.
 * Outstanding tickets are bounded so that a flood of requests cannot grow the heap. Thread-safe.
 */
public final class Tickets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Issued> outstanding = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final int maxOutstanding;

    public Tickets(Clock clock, Duration ttl, int maxOutstanding) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxOutstanding = maxOutstanding;
    }

    /**
     * A new ticket for {@code player}.
     *
     * @throws IllegalStateException when too many tickets are outstanding even after expired ones were dropped
     */
    public String issue(Player player) {
        if (outstanding.size() >= maxOutstanding) {
            sweep();
            if (outstanding.size() >= maxOutstanding) {
                throw new IllegalStateException("too many outstanding tickets");
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        outstanding.put(ticket, new Issued(player, clock.millis() + ttl.toMillis()));
        return ticket;
    }

    /** The player of a valid ticket, which is used up by this call; empty when unknown, used or expired. */
    public Optional<Player> redeem(String ticket) {
        Issued issued = ticket == null ? null : outstanding.remove(ticket);
        if (issued == null || issued.expiresAt < clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(issued.player);
    }

    public Duration ttl() {
        return ttl;
    }

    /** Drops expired tickets. */
    public void sweep() {
        long now = clock.millis();
        for (Iterator<Issued> it = outstanding.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt < now) {
                it.remove();
            }
        }
    }

    private record Issued(Player player, long expiresAt) {}
}
