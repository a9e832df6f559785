package dev.partyline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.client.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NettyLeakCheck.class)
class WireFrameEncoderTest {

    /** Each length takes a different header form (7-bit, 16-bit, 64-bit) or the header + payload path. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 1024, 1025, 65535, 65536, 200_000})
    void aClientDecodesTheWireBytesBackToThePayload(int length) {
        byte[] payload = payload(length);
        EmbeddedChannel encoding = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ByteBuf wire = new WireFrameEncoder().encodeText(encoding.pipeline().firstContext(), framed(payload), 3, length);
        // Two retained duplicates, as a broadcast writes them, each decoded by a client's decoder.
        for (int copy = 0; copy < 2; copy++) {
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 300_000),
                    new WebSocketFrameAggregator(300_000));
            assertThat(client.writeInbound(wire.retainedDuplicate())).isTrue();
            TextWebSocketFrame frame = client.readInbound();
            try {
                byte[] decoded = new byte[frame.content().readableBytes()];
                frame.content().getBytes(frame.content().readerIndex(), decoded);
                assertThat(decoded).isEqualTo(payload);
            } finally {
                frame.release();
            }
            assertThat(client.finishAndReleaseAll()).isFalse();
        }
        assertThat(wire.release()).isTrue();
        encoding.finishAndReleaseAll();
    }

    @Test
    void serverFramesAreUnmaskedText() {
        EmbeddedChannel encoding = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ByteBuf wire = new WireFrameEncoder().encodeText(encoding.pipeline().firstContext(),
                "hi".getBytes(StandardCharsets.UTF_8), 0, 2);
        try {
            assertThat((int) wire.getUnsignedByte(0)).isEqualTo(0x81); // FIN + text
            assertThat((int) wire.getUnsignedByte(1)).isEqualTo(2); // no mask bit, length 2
            assertThat(wire.toString(2, 2, StandardCharsets.UTF_8)).isEqualTo("hi");
        } finally {
            wire.release();
            encoding.finishAndReleaseAll();
        }
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return payload;
    }

    /** The payload inside a larger array, as a publication carries its frame after a header. */
    private static byte[] framed(byte[] payload) {
        byte[] framed = new byte[payload.length + 5];
        System.arraycopy(payload, 0, framed, 3, payload.length);
        return framed;
    }
}
