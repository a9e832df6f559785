package dev.partyline.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.partyline.client.testing.NettyLeakCheck;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the module once, in this JVM and only briefly, so that a change to the
 * code they drive breaks the build instead of the next benchmark run. The scores mean nothing
 * here; what counts is that each benchmark ran and produced one, that every broadcast reached
 * every member, and that no buffer leaked.
 */
@ExtendWith(NettyLeakCheck.class)
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRunsAndReportsAPositiveScore() throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^dev\\.partyline\\.")
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(150))
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertThat(results).extracting(BenchmarkSmokeTest::label).containsExactlyInAnyOrder(
                "dev.partyline.jmh.CodecBenchmark.decodeSendFrame",
                "dev.partyline.jmh.CodecBenchmark.decodeSendText",
                "dev.partyline.jmh.CodecBenchmark.encodeChatEvent",
                "dev.partyline.server.BroadcastBenchmark.chatMessage members=8",
                "dev.partyline.server.BroadcastBenchmark.chatMessage members=1000",
                "dev.partyline.server.BroadcastBenchmark.fanOut members=8",
                "dev.partyline.server.BroadcastBenchmark.fanOut members=1000");
        for (RunResult result : results) {
            assertThat(result.getPrimaryResult().getScore()).as(label(result)).isPositive();
            String members = result.getParams().getParam("members");
            if (members != null) {
                // Both scores divide the same time: by broadcasts, and by the members that got a
                // frame. Their ratio is the room size only if every broadcast reached everyone.
                Result<?> perDelivery = result.getSecondaryResults().get("deliveries");
                assertThat(perDelivery).as(label(result) + " deliveries").isNotNull();
                assertThat(perDelivery.getScore()).as(label(result) + " deliveries").isCloseTo(
                        result.getPrimaryResult().getScore() / Integer.parseInt(members), withinPercentage(1));
            }
        }
    }

    private static String label(RunResult result) {
        String members = result.getParams().getParam("members");
        return result.getParams().getBenchmark() + (members == null ? "" : " members=" + members);
    }
}
