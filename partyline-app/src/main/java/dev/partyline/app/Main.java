package dev.partyline.app;

import ch.qos.logback.classic.Level;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.games.Games;
import dev.partyline.server.PartylineServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar partyline.jar}: runs one node with the in-memory broker. Every option can also
 * come from an environment variable ({@code PARTYLINE_PORT}, …), which {@code --help} names.
 */
@Command(name = "partyline", mixinStandardHelpOptions = true, version = "Partyline 0.1.0",
        sortOptions = false, usageHelpWidth = 110,
        description = "Real-time room server for browser party games and chat.%n"
                + "Serves the web client on http://localhost:PORT/ and WebSockets on /ws.%n")
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Mixin
    private NodeOptions node = new NodeOptions();

    @Option(names = "--log-level", defaultValue = "${env:PARTYLINE_LOG_LEVEL:-INFO}",
            description = "TRACE, DEBUG, INFO, WARN or ERROR. Env PARTYLINE_LOG_LEVEL. Default: ${DEFAULT-VALUE}.")
    private String logLevel;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.toLevel(logLevel, Level.INFO));
        RoomTypeRegistry types = new RoomTypeRegistry(Games.all(node.minRoundSeconds, node.maxChatMembers));
        PartylineServer server = new PartylineServer(node.toConfig(), types, new LocalBroker()).start();
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C: drain (readiness false, close 1001), then exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "partyline-shutdown"));
        log.info("open http://localhost:{}/ to play", server.port());
        stopped.await();
        return 0;
    }
}
