package dev.partyline.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector reports a ByteBuf that was never released, in
 * the client or in the server. The build runs tests with the detector at {@code paranoid}, so
 * every buffer is tracked; a report surfaces once the collector has found a lost buffer and the
 * detector next runs, which this extension provokes after the class.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        assertThat(ResourceLeakDetector.getLevel()).as("tests run with the leak detector at paranoid")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
        reports.start();
        detectorLogger().addAppender(reports);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (int round = 0; round < 5; round++) {
                System.gc();
                Thread.sleep(50);
                // The detector polls its queue of collected buffers whenever a buffer is allocated.
                for (int i = 0; i < 100; i++) {
                    PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
                    UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
                }
            }
            List<String> leaks = reports.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains("LEAK")).toList();
            assertThat(leaks).as("ByteBuf leaks reported by Netty").isEmpty();
        } finally {
            detectorLogger().detachAppender(reports);
        }
    }

    private static Logger detectorLogger() {
        return (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    }
}
