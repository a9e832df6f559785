package dev.partyline.server;

import dev.partyline.core.limit.Limits;
import dev.partyline.server.http.ConnectionLimiter;
import dev.partyline.server.http.HttpHandler;
import dev.partyline.server.http.TicketEndpoint;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/** Builds each connection's pipeline: one named handler per concern. */
final class PartylineChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Largest HTTP request body (ticket requests are tiny). */
    private static final int MAX_HTTP_BODY = 16 * 1024;
    private static final String LIMIT = "limit";
    private static final String API = "api";

    private final ServerContext context;
    private final ConnectionLimiter connectionLimiter;
    private final TicketEndpoint ticketEndpoint;
    private final WebSocketServerProtocolConfig webSocket;

    PartylineChannelInitializer(ServerContext context) {
        this.context = context;
        Limits limits = context.config().limits();
        this.connectionLimiter = new ConnectionLimiter(limits.connectionsPerAddress());
        this.ticketEndpoint = new TicketEndpoint(context.authenticator(), context.tickets());
        this.webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(HttpHandler.WEBSOCKET_PATH)
                .checkStartsWith(true) // the ticket rides in the query string
                .handleCloseFrames(false) // SessionHandler reads the client's close code
                .dropPongFrames(false) // HeartbeatHandler counts pongs
                .handshakeTimeoutMillis(10_000)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(limits.maxFrameBytes())
                        .closeOnProtocolViolation(true)
                        .allowExtensions(false)
                        .build())
                .build();
    }

    /**
     * Drops the HTTP-only handlers from a pipeline whose WebSocket is up: no HTTP request can
     * reach them any more, and idle connections are many.
     */
    static void dropHttpHandlers(ChannelPipeline pipeline) {
        for (String name : new String[] {API, LIMIT}) {
            if (pipeline.get(name) != null) { // a test's pipeline may start at the WebSocket
                pipeline.remove(name);
            }
        }
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        Limits limits = context.config().limits();
        context.allChannels().add(channel); // removed by the group itself when the channel closes
        ChannelPipeline p = channel.pipeline();
        p.addLast("http", new HttpServerCodec());
        p.addLast("aggregate", new HttpObjectAggregator(MAX_HTTP_BODY));
        // After the codec: the limiter answers 429 to a request, so it must see (and write) HTTP messages.
        p.addLast(LIMIT, connectionLimiter);
        p.addLast(API, new HttpHandler(context.origins(), ticketEndpoint, context.staticFiles(), context.ready(),
                context.metrics()::scrape));
        p.addLast("ws", new WebSocketServerProtocolHandler(webSocket));
        p.addLast("fragments", new WebSocketFrameAggregator(limits.maxFrameBytes()));
        p.addLast("session", new SessionHandler(context));
    }
}
