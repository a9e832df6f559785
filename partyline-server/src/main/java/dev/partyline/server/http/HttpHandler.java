package dev.partyline.server.http;

import dev.partyline.protocol.PrintableText;
import dev.partyline.core.room.RoomCode;
import dev.partyline.protocol.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes plain HTTP requests: the API, health, metrics and static files. A WebSocket upgrade on
 * {@code /ws} from an allowed origin is passed on to the WebSocket handler; one from another
 * origin gets 403 with a body that names the setting to change.
 */
public final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
    public static final String WEBSOCKET_PATH = "/ws";
    private static final String QR_PREFIX = "/qr/";

    private final OriginPolicy origins;
    private final TicketEndpoint tickets;
    private final StaticFiles files;
    private final AtomicBoolean ready;
    private final Supplier<String> metrics;
    private final JoinLinkQrCode qrCodes = new JoinLinkQrCode();

    public HttpHandler(OriginPolicy origins, TicketEndpoint tickets, StaticFiles files, AtomicBoolean ready,
                       Supplier<String> metrics) {
        super(false); // requests passed on to the WebSocket handler keep their reference
        this.origins = origins;
        this.tickets = tickets;
        this.files = files;
        this.ready = ready;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            request.release();
            Responses.send(ctx, null, Responses.text(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request.\n"));
            return;
        }
        String path;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            path = uri.path();
            uri.parameters(); // decoded again after a WebSocket upgrade (the ticket): fail here, as a 400
        } catch (IllegalArgumentException e) { // a bad %-escape such as /%zz or ?ticket=%
            request.release();
            Responses.send(ctx, null, Responses.text(HttpResponseStatus.BAD_REQUEST, "Malformed request URI.\n"));
            return;
        }
        if (path.equals(WEBSOCKET_PATH)) {
            upgrade(ctx, request);
            return;
        }
        try {
            Responses.send(ctx, request, respond(ctx, request, path));
        } finally {
            request.release();
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            String message = origins.refusal(origin);
            log.warn("refused a WebSocket from {}: {}", RemoteAddress.of(ctx.channel()), message);
            request.release();
            Responses.send(ctx, null, Responses.text(HttpResponseStatus.FORBIDDEN, message + "\n"));
            return;
        }
        if (!ready.get()) {
            request.release();
            Responses.send(ctx, null, Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "This node is shutting down; connect again to reach another one.\n"));
            return;
        }
        ctx.fireChannelRead(request); // the WebSocket handshaker takes it from here
    }

    private FullHttpResponse respond(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        if (path.startsWith("/api/")) {
            return api(ctx, request, path, method);
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Only GET here.\n");
        }
        if (path.startsWith(QR_PREFIX)) {
            return joinLinkQrCode(request, path);
        }
        return switch (path) {
            case "/healthz" -> Responses.text(HttpResponseStatus.OK, "ok\n");
            case "/readyz" -> ready.get()
                    ? Responses.text(HttpResponseStatus.OK, "ready\n")
                    : Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining\n");
            case "/metrics" -> Responses.of(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> files.find(path)
                    .map(file -> {
                        FullHttpResponse response = Responses.of(HttpResponseStatus.OK, file.contentType(), file.bytes());
                        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                        return response;
                    })
                    .orElseGet(() -> Responses.text(HttpResponseStatus.NOT_FOUND, "Not found: " + printable(path) + "\n"));
        };
    }

    /** {@code /qr/CODE.svg}: the QR code of the room's join link, as this request reached the server. */
    private FullHttpResponse joinLinkQrCode(FullHttpRequest request, String path) {
        String name = path.substring(QR_PREFIX.length());
        Optional<RoomCode> code = name.endsWith(".svg")
                ? RoomCode.parse(name.substring(0, name.length() - 4)) : Optional.empty();
        if (code.isEmpty()) {
            return Responses.text(HttpResponseStatus.NOT_FOUND, "QR codes are at /qr/CODE.svg for a 4-letter room code.\n");
        }
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        String scheme = "https".equalsIgnoreCase(request.headers().get("X-Forwarded-Proto")) ? "https" : "http";
        String link = scheme + "://" + PrintableText.of(host, 255) + "/r/" + code.get().value();
        FullHttpResponse response = Responses.of(HttpResponseStatus.OK, "image/svg+xml",
                qrCodes.svg(link).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=3600");
        return response;
    }

    private FullHttpResponse api(ChannelHandlerContext ctx, FullHttpRequest request, String path, HttpMethod method) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            String message = origins.refusal(origin);
            log.warn("refused an API call from {}: {}", RemoteAddress.of(ctx.channel()), message);
            return Responses.error(HttpResponseStatus.FORBIDDEN, "origin_not_allowed", message);
        }
        FullHttpResponse response;
        if (!path.equals("/api/tickets")) {
            response = Responses.error(HttpResponseStatus.NOT_FOUND, "not_found", "No API at " + printable(path) + ".");
        } else if (method.equals(HttpMethod.OPTIONS)) {
            response = Responses.of(HttpResponseStatus.NO_CONTENT, "text/plain", new byte[0]);
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization");
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        } else if (!method.equals(HttpMethod.POST)) {
            response = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, ErrorCode.BAD_REQUEST.wire(),
                    "Use POST /api/tickets with {\"name\": \"...\"}.");
        } else if (!ready.get()) {
            response = Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.SHUTTING_DOWN.wire(),
                    "This node is shutting down; try again to reach another one.");
        } else {
            response = tickets.handle(request, RemoteAddress.of(ctx.channel()));
        }
        if (origin != null) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        return response;
    }

    private static String printable(String text) {
        return PrintableText.of(text, 80);
    }
}
