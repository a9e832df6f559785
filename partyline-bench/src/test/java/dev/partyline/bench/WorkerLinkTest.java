package dev.partyline.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerLinkTest {

    @Test
    void eachGateSaysWhereTheWorkerIsAndWaitsForItsCommand() throws Exception {
        PipedOutputStream coordinator = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(coordinator);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        WorkerLink link = new WorkerLink(stdin, new PrintStream(stdout, true, UTF_8), () -> {});

        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                link.ready();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !ready.isDone());
        coordinator.write("finish\ngo\n".getBytes(UTF_8)); // not this phase's command, then this phase's
        coordinator.flush();
        ready.get(5, TimeUnit.SECONDS);

        assertThat(stdout.toString(UTF_8)).isEqualTo(WorkerProtocol.ready() + System.lineSeparator());
        coordinator.close();
    }

    @Test
    void aWorkerWhoseCoordinatorIsGoneIsOrphaned() throws Exception {
        PipedOutputStream coordinator = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(coordinator);
        CountDownLatch orphaned = new CountDownLatch(1);
        new WorkerLink(stdin, new PrintStream(new ByteArrayOutputStream(), true, UTF_8), orphaned::countDown);

        coordinator.close();

        assertThat(orphaned.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
