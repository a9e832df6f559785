package dev.partyline.app;

import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.games.Games;
import dev.partyline.server.PartylineServer;
import dev.partyline.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The real node as the app wires it (every room type of {@link Games}, {@link LocalBroker}) on a
 * loopback port, serving the web client from the class path. Port 0 picks a free port;
 * {@link #restart} brings a new node up on the port of a stopped one.
 */
public final class AppServer implements AutoCloseable {
    private final PartylineServer server;
    private final int port;

    private final UnaryOperator<ServerConfig> tuning;

    private AppServer(int port, UnaryOperator<ServerConfig> tuning) throws InterruptedException {
        ServerConfig config = tuning.apply(new ServerConfig("127.0.0.1", port, List.of(), null, Limits.DEFAULTS,
                RoomSettings.DEFAULTS, Duration.ofSeconds(2), 2));
        server = new PartylineServer(config, new RoomTypeRegistry(Games.all()), new LocalBroker()).start();
        this.port = server.port();
        this.tuning = tuning;
    }

    /** A node on a free loopback port. */
    public static AppServer start() throws InterruptedException {
        return new AppServer(0, UnaryOperator.identity());
    }

    /**
     * A node on a free loopback port with a configuration changed by {@code tuning} (for example
     * {@code c -> c.withRooms(c.rooms().withEmptyRoomGrace(Duration.ofMillis(300)))}); host and
     * port are the fixture's to choose.
     */
    public static AppServer start(UnaryOperator<ServerConfig> tuning) throws InterruptedException {
        return new AppServer(0, tuning);
    }

    /** A fresh node (no rooms, no sessions) on the port {@code stopped} had, configured alike. */
    public static AppServer restart(AppServer stopped) throws InterruptedException {
        return new AppServer(stopped.port, stopped.tuning);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}, for example {@code /r/ABCD}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Drains (WebSockets get close 1001) and stops; idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
