package dev.partyline.server;

import dev.partyline.core.game.Player;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.limit.MessageRateGuard;
import dev.partyline.core.limit.TokenBucket;
import dev.partyline.core.session.Connection;
import dev.partyline.core.session.Session;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.DecodeException;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.server.http.RemoteAddress;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection after its upgrade: authenticates it (ticket in the URL, or an
 * {@code auth} frame within the timeout), then decodes its frames and hands requests to core.
 * Bad frames get an {@code error} or error {@code reply} and the connection stays open; a client
 * that keeps misbehaving is closed with 1008. Runs on the channel's event loop only.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    /** Malformed frames tolerated in a burst, and per second after it, before close 1008. */
    private static final int BAD_FRAME_BURST = 20;
    private static final double BAD_FRAMES_PER_SECOND = 1;

    private final ServerContext services;
    private final Limits limits;
    private final MessageRateGuard rateGuard;
    private TokenBucket badFrameBudget; // made on the first bad frame: most connections never send one
    private Connection connection;
    private Session session;
    private String remoteAddress;
    private ScheduledFuture<?> authTimeout;
    private boolean clientSaidGoodbye;
    private boolean heardSinceWelcome;

    public SessionHandler(ServerContext services) {
        this.services = services;
        this.limits = services.config().limits();
        this.rateGuard = new MessageRateGuard(services.clock(), limits);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            remoteAddress = RemoteAddress.of(ctx.channel());
            connection = new NettyConnection(ctx.channel(), services.serverCodec(),
                    services.deliveryGroup(ctx.channel().eventLoop()), remoteAddress, services.metrics());
            services.metrics().connectionOpened();
            // From the HTTP group to the WebSocket group: one entry per connection, of many thousands.
            services.allChannels().remove(ctx.channel());
            services.webSockets().add(ctx.channel());
            // Heartbeats start with the WebSocket: plain HTTP keep-alive connections get none.
            ctx.pipeline().addBefore(ctx.name(), "heartbeat",
                    new HeartbeatHandler(limits.heartbeatInterval(), limits.maxMissedPongs()));
            PartylineChannelInitializer.dropHttpHandlers(ctx.pipeline());
            List<String> tickets = new QueryStringDecoder(handshake.requestUri()).parameters().get("ticket");
            if (tickets != null && !tickets.isEmpty()) {
                redeemTicket(tickets.get(0));
            } else {
                authTimeout = ctx.executor().schedule(this::authTimedOut,
                        limits.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (NettyConnection.isClosing(ctx.channel())) {
                // Our close frame is out: drop what the client still sends, close on its answer.
                if (msg instanceof CloseWebSocketFrame) {
                    ctx.close();
                }
            } else if (msg instanceof TextWebSocketFrame text) {
                services.metrics().messageIn();
                onText(text.text());
            } else if (msg instanceof CloseWebSocketFrame close) {
                clientSaidGoodbye = close.statusCode() == CloseCode.NORMAL.code();
                ctx.channel().attr(NettyConnection.CLOSING).set(Boolean.TRUE);
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (msg instanceof BinaryWebSocketFrame) {
                services.metrics().messageIn();
                refuse(null, ErrorCode.BINARY_NOT_SUPPORTED,
                        "Binary frames are not part of protocol v1; send JSON as text frames.");
            } else if (!(msg instanceof WebSocketFrame)) {
                log.debug("unexpected message {} on a WebSocket", msg.getClass().getSimpleName());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(String text) {
        MessageRateGuard.Verdict verdict = rateGuard.check();
        if (verdict == MessageRateGuard.Verdict.DISCONNECT) {
            connection.close(CloseCode.POLICY_VIOLATION, "Message rate limit exceeded again and again.");
            return;
        }
        ClientMessage message;
        try {
            message = services.clientCodec().decode(text);
        } catch (DecodeException e) {
            refuse(e.requestId(), e.code(), e.getMessage());
            return;
        }
        if (verdict == MessageRateGuard.Verdict.REFUSE) {
            answer(message instanceof ClientMessage.Request request ? request.id() : null, ErrorCode.RATE_LIMITED,
                    "Too many messages: at most " + (int) limits.messagesPerSecond() + " per second.");
            return;
        }
        if (message instanceof ClientMessage.Auth auth) {
            if (session != null) {
                refuse(null, ErrorCode.ALREADY_AUTHENTICATED, "This connection is authenticated already.");
            } else if (auth.ticket() != null) {
                redeemTicket(auth.ticket());
            } else {
                resume(auth.resume(), auth.rooms());
            }
        } else if (message instanceof ClientMessage.Request request) {
            if (session == null) {
                refuse(request.id(), ErrorCode.NOT_AUTHENTICATED,
                        "Authenticate first: connect with ?ticket= or send {\"t\":\"auth\",\"ticket\":...}.");
            } else {
                if (!heardSinceWelcome) {
                    heardSinceWelcome = true;
                    services.sessions().confirm(session); // it has its welcome: the old token is spent
                }
                services.router().route(session, remoteAddress, request);
            }
        }
    }

    private void redeemTicket(String ticket) {
        if (session != null) {
            return;
        }
        Player player = services.tickets().redeem(ticket).orElse(null);
        if (player == null) {
            connection.close(CloseCode.UNAUTHORIZED, "Ticket unknown, expired or already used; get a new one.");
            return;
        }
        cancelAuthTimeout();
        session = services.sessions().open(player, connection);
        welcome(false);
    }

    private void resume(String token, Map<String, ClientMessage.RoomPosition> positions) {
        Session resumed = services.sessions().resume(token, connection).orElse(null);
        if (resumed == null) {
            connection.close(CloseCode.UNAUTHORIZED, "Resume token unknown or expired; start a new session.");
            return;
        }
        cancelAuthTimeout();
        session = resumed;
        welcome(true);
        services.sessions().announceBack(session, positions);
    }

    private void welcome(boolean resumed) {
        Player player = session.player();
        connection.send(new ServerMessage.Welcome(new ServerMessage.PlayerInfo(player.id().value(), player.name()),
                session.id().value(), services.sessions().resumeToken(session), limits.heartbeatInterval().toMillis(),
                services.nodeId(), services.clock().millis(), resumed));
    }

    /** A bad frame: answered, and counted against the client's budget of mistakes. */
    private void refuse(Long requestId, ErrorCode code, String message) {
        if (badFrameBudget == null) {
            badFrameBudget = new TokenBucket(services.clock(), BAD_FRAMES_PER_SECOND, BAD_FRAME_BURST);
        }
        if (!badFrameBudget.tryTake()) {
            connection.close(CloseCode.POLICY_VIOLATION, "Too many malformed frames.");
            return;
        }
        answer(requestId, code, message);
    }

    private void answer(Long requestId, ErrorCode code, String message) {
        connection.send(requestId == null
                ? new ServerMessage.Error(code.wire(), message)
                : ServerMessage.Reply.failure(requestId, code.wire(), message));
    }

    private void authTimedOut() {
        if (session == null) {
            connection.close(CloseCode.AUTH_TIMEOUT, "No auth frame within " + limits.authTimeout().toMillis() + " ms.");
        }
    }

    private void cancelAuthTimeout() {
        if (authTimeout != null) {
            authTimeout.cancel(false);
            authTimeout = null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable() && connection != null) {
            // A client that stops reading must not grow our heap: cut it off now. The close frame
            // would queue behind the backlog it is not reading, so close the socket directly.
            log.info("closing slow consumer {} (session {}): over {} bytes unsent", remoteAddress,
                    session == null ? "-" : session.id(), limits.writeBufferHighWaterBytes());
            services.metrics().closed(CloseCode.POLICY_VIOLATION);
            ctx.close();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelAuthTimeout();
        if (connection != null) {
            services.metrics().connectionClosed();
        }
        if (session != null) {
            if (clientSaidGoodbye) {
                services.sessions().end(session, connection);
            } else {
                services.sessions().dropped(session, connection);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException) {
            // Netty's decoder has already sent the close frame (1002 or 1009) for a bad or oversized frame.
            log.debug("protocol violation from {}: {}", remoteAddress, cause.getMessage());
            if (cause instanceof TooLongFrameException && connection != null) {
                connection.close(CloseCode.MESSAGE_TOO_BIG, "Message larger than " + limits.maxFrameBytes() + " bytes.");
            } else {
                ctx.close();
            }
            return;
        }
        if (cause instanceof java.io.IOException) {
            log.debug("I/O error on {}: {}", remoteAddress, cause.toString()); // peers reset sockets; routine
            ctx.close();
            return;
        }
        log.error("internal error on connection {} (session {})", remoteAddress, session == null ? "-" : session.id(), cause);
        if (connection != null) {
            connection.close(CloseCode.INTERNAL_ERROR, "Internal server error.");
        } else {
            ctx.close();
        }
    }
}
