package dev.partyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.protocol.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The first step of a bench connection: {@code POST /api/tickets} with {@code {"name": …}} over
 * the connection's own keep-alive HTTP/1.1 exchange, so that the WebSocket upgrade that follows
 * reuses the same TCP connection (the server's HTTP handler keeps a keep-alive connection open and
 * serves the upgrade on it). One ticket costs no extra socket, no extra thread and no hop between
 * threads.
 *
 * <p>It sits after the HTTP codec and aggregator and holds {@code channelActive} back from the
 * handlers after it: when the ticket arrives it calls {@code upgrade} (which adds the WebSocket
 * handlers after this one), removes itself and only then lets {@code channelActive} through, which
 * starts Netty's client handshake. A refusal fails the connection with a {@link BenchException}
 * whose code is {@code ticket_} plus the server's error code ({@code ticket_rate_limited},
 * {@code ticket_unauthorized}) or {@code ticket_http_<status>} when the body names none;
 * {@code ticket_malformed} for a 2xx without a ticket string, {@code ticket_timeout} when no answer
 * came in time, {@code ticket_closed} when the server closed first.
 *
 * <p>One instance per channel; runs on its event loop.
 */
final class TicketHandler extends ChannelInboundHandlerAdapter {
    /** The path of the server's ticket endpoint. */
    static final String PATH = "/api/tickets";

    private final String hostHeader;
    private final String name;
    private final long timeoutMillis;
    private final BenchConnection connection;
    private final BiConsumer<ChannelHandlerContext, String> upgrade;
    private ScheduledFuture<?> timeout;
    private boolean done;

    /**
     * @param hostHeader the {@code Host} header, {@code host:port}
     * @param name the display name asked for; plain ASCII without quotes or backslashes
     * @param timeoutMillis how long the server may take to answer
     * @param connection the bench client this channel belongs to; told of a refusal
     * @param upgrade adds the WebSocket handlers after this handler's context, for the ticket
     */
    TicketHandler(String hostHeader, String name, long timeoutMillis, BenchConnection connection,
                  BiConsumer<ChannelHandlerContext, String> upgrade) {
        this.hostHeader = hostHeader;
        this.name = name;
        this.timeoutMillis = timeoutMillis;
        this.connection = connection;
        this.upgrade = upgrade;
    }

    /** The request: small, fixed, built without Jackson. */
    FullHttpRequest request(ChannelHandlerContext ctx) {
        ByteBuf body = ByteBufUtil.writeAscii(ctx.alloc(), "{\"name\":\"" + name + "\"}");
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, PATH, body);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return request;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back from the handlers after this one until the ticket is here (see the class comment).
        ctx.writeAndFlush(request(ctx)).addListener(written -> {
            if (!written.isSuccess()) {
                fail(ctx, new BenchException("ticket_write_failed", String.valueOf(written.cause())));
            }
        });
        timeout = ctx.executor().schedule(() -> fail(ctx, new BenchException("ticket_timeout",
                "no ticket within " + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse response)) {
            ReferenceCountUtil.release(msg);
            fail(ctx, new BenchException("ticket_malformed", "expected an HTTP response to the ticket request"));
            return;
        }
        String ticket;
        try {
            ticket = ticketOf(response.status().code(), response.content());
        } catch (BenchException refused) {
            fail(ctx, refused);
            return;
        } finally {
            response.release();
        }
        if (done) {
            return;
        }
        done = true;
        timeout.cancel(false);
        upgrade.accept(ctx, ticket);
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new BenchException("ticket_closed", "the server closed the connection before answering the ticket request"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new BenchException("ticket_failed", String.valueOf(cause)));
    }

    private void fail(ChannelHandlerContext ctx, BenchException failure) {
        if (done) {
            return;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        connection.failUpgrade(failure);
        ctx.close();
    }

    /**
     * Reads the server's answer.
     *
     * @return the ticket of a 2xx answer
     * @throws BenchException with a {@code ticket_…} code for anything else (see the class comment)
     */
    static String ticketOf(int status, ByteBuf content) {
        JsonNode root = readOrNull(content);
        if (status / 100 != 2) {
            JsonNode error = root == null ? null : root.get("error");
            String code = error != null && error.path("code").isTextual() ? error.path("code").asText() : "http_" + status;
            String message = error != null && error.path("message").isTextual() ? error.path("message").asText()
                    : "the ticket request was refused with HTTP " + status;
            throw new BenchException("ticket_" + code, message);
        }
        if (root == null || !root.path("ticket").isTextual()) {
            throw new BenchException("ticket_malformed", "the ticket response (HTTP " + status + ") has no \"ticket\" string");
        }
        return root.get("ticket").asText();
    }

    private static JsonNode readOrNull(ByteBuf content) {
        if (!content.isReadable()) {
            return null;
        }
        try {
            return Json.mapper().readTree(new ByteBufInputStream(content));
        } catch (IOException e) {
            return null;
        }
    }
}
