package dev.partyline.server;

import dev.partyline.core.RequestRouter;
import dev.partyline.core.auth.Authenticator;
import dev.partyline.core.auth.GuestAuthenticator;
import dev.partyline.core.auth.Tickets;
import dev.partyline.core.broker.Broker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.FailedJoinThrottle;
import dev.partyline.core.room.JoinCodes;
import dev.partyline.core.room.LocalFanout;
import dev.partyline.core.room.Mailbox;
import dev.partyline.core.room.RoomRegistry;
import dev.partyline.core.session.SessionRegistry;
import dev.partyline.protocol.ClientMessageCodec;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.ServerMessageCodec;
import dev.partyline.server.auth.JwtAuthenticator;
import dev.partyline.server.http.OriginPolicy;
import dev.partyline.server.http.StaticFiles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Partyline node: binds the port, serves HTTP and WebSockets on Netty event loops (native
 * epoll on Linux, NIO elsewhere), and gives each room one of those loops as its mailbox.
 * {@link #start} and {@link #close} are called from one thread (main or a test).
 */
public final class PartylineServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartylineServer.class);

    private final ServerConfig config;
    private final RoomTypeRegistry types;
    private final Broker broker;
    private final Clock clock;
    private final String nodeId = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private ServerContext context;
    private RoomRegistry rooms;

    public PartylineServer(ServerConfig config, RoomTypeRegistry types, Broker broker) {
        this(config, types, broker, Clock.systemUTC());
    }

    public PartylineServer(ServerConfig config, RoomTypeRegistry types, Broker broker, Clock clock) {
        this.config = config;
        this.types = types;
        this.broker = broker;
        this.clock = clock;
    }

    /** Binds and starts serving; returns when the port is open. */
    public PartylineServer start() throws InterruptedException {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> channelType =
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        workerGroup = new MultiThreadIoEventLoopGroup(config.eventLoops(), io);

        LocalFanout fanout = new LocalFanout(broker);
        rooms = new RoomRegistry(new JoinCodes(), () -> new EventLoopMailbox(workerGroup.next()), broker, fanout,
                new ServerMessageCodec(), clock, config.rooms());
        SessionRegistry sessions = new SessionRegistry(rooms, () -> new EventLoopMailbox(workerGroup.next()),
                config.limits().sessionGrace());
        Tickets tickets = new Tickets(clock, config.limits().ticketTtl(), 100_000);
        Authenticator authenticator = config.jwtSecret() == null ? new GuestAuthenticator()
                : new JwtAuthenticator(config.jwtSecret());
        RequestRouter router = new RequestRouter(types, rooms,
                new FailedJoinThrottle(clock, config.limits().failedJoinsPerMinute()), clock);
        context = new ServerContext(config, nodeId, clock, tickets, authenticator, sessions, router,
                new ServerMetrics(rooms::size, sessions::size), new ClientMessageCodec(), new ServerMessageCodec(),
                new OriginPolicy(config.allowedOrigins()), new StaticFiles("web"), ready,
                new DefaultChannelGroup("websockets", GlobalEventExecutor.INSTANCE),
                new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE), ServerContext.newDeliveryGroups());
        workerGroup.scheduleAtFixedRate(tickets::sweep, 10, 10, TimeUnit.SECONDS);

        int highWater = config.limits().writeBufferHighWaterBytes();
        serverChannel = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // One sizing policy for all (each channel still keeps its own guess): by default each has its own.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(highWater / 2, highWater))
                .childHandler(new PartylineChannelInitializer(context))
                .bind(config.host(), config.port()).sync().channel();
        ready.set(true);
        log.info("node {} serving on port {} ({}), room types {}, extra origins [{}]", nodeId, port(),
                Epoll.isAvailable() ? "epoll" : "nio", types.names(), context.origins().describe());
        return this;
    }

    /** The bound port (useful after binding port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String nodeId() {
        return nodeId;
    }

    /** Whether the node takes new connections (false while draining). */
    public boolean isReady() {
        return ready.get();
    }

    /** Live rooms on this node. */
    public int roomCount() {
        return rooms.size();
    }

    /**
     * Drains and stops: readiness goes false, every WebSocket gets close 1001 (there is no other
     * node to send it to), then the port closes and the loops stop. Idempotent.
     */
    @Override
    public void close() {
        if (serverChannel == null) {
            return;
        }
        ready.set(false);
        log.info("node {} shutting down: closing {} WebSockets with 1001", nodeId, context.webSockets().size());
        for (Channel channel : context.webSockets()) {
            NettyConnection.closeChannel(channel, CloseCode.GOING_AWAY, "Server shutting down.");
        }
        context.webSockets().newCloseFuture().awaitUninterruptibly(config.shutdownGrace().toMillis());
        serverChannel.close().awaitUninterruptibly();
        // Idle HTTP keep-alive sockets too: a browser would otherwise reuse one after a restart. And a
        // WebSocket whose upgrade finished during the loop above.
        context.allChannels().close().awaitUninterruptibly(config.shutdownGrace().toMillis());
        context.webSockets().close().awaitUninterruptibly(config.shutdownGrace().toMillis());
        long quietMs = 0;
        long timeoutMs = config.shutdownGrace().toMillis();
        workerGroup.shutdownGracefully(quietMs, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        bossGroup.shutdownGracefully(quietMs, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        broker.close();
        serverChannel = null;
        log.info("node {} stopped", nodeId);
    }
}
