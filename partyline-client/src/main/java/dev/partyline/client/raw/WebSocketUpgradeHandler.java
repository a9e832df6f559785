package dev.partyline.client.raw;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the upgrade request when the channel becomes active and completes {@code upgraded}
 * with the channel on {@code 101}, or with an {@link UpgradeRefusedException} carrying the
 * status and body otherwise. Netty's own {@code WebSocketClientProtocolHandler} drops the body
 * of a refusal, which is why this exists. Runs on the channel's event loop; removes itself once
 * the upgrade is done.
 */
final class WebSocketUpgradeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    /** The names {@link WebSocketClientHandshaker} gives the frame codec. */
    private static final String ENCODER = "ws-encoder";
    private static final String DECODER = "ws-decoder";

    private final WebSocketClientHandshaker handshaker;
    private final CompletableFuture<Channel> upgraded;

    WebSocketUpgradeHandler(WebSocketClientHandshaker handshaker, CompletableFuture<Channel> upgraded) {
        this.handshaker = handshaker;
        this.upgraded = upgraded;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel()).addListener(sent -> {
            if (!sent.isSuccess()) {
                fail(ctx, sent.cause());
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (!response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            fail(ctx, new UpgradeRefusedException(response.status().code(),
                    response.content().toString(StandardCharsets.UTF_8), headersOf(response)));
            return;
        }
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        } catch (WebSocketHandshakeException e) {
            fail(ctx, new IOException("Invalid WebSocket upgrade response: " + e.getMessage(), e));
            return;
        }
        // Netty puts the client's frame decoder nearer the head than the encoder, so the close
        // frame the decoder writes on a protocol violation (1002, 1009) would skip the encoder
        // and never reach the server. An encoder ahead of the decoder fixes that.
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get(ENCODER) != null && pipeline.get(DECODER) != null) {
            pipeline.remove(ENCODER);
            pipeline.addBefore(DECODER, ENCODER, new WebSocket13FrameEncoder(true));
        }
        pipeline.remove(this);
        upgraded.complete(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        upgraded.completeExceptionally(new IOException("The connection closed before the WebSocket upgrade completed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        upgraded.completeExceptionally(cause);
        ctx.close();
    }

    private static Map<String, List<String>> headersOf(FullHttpResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : response.headers()) {
            headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(header.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return headers;
    }
}
