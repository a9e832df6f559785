package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.core.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualMailboxTest {
    private final ManualClock clock = new ManualClock();
    private final ManualMailbox mailbox = new ManualMailbox(clock);
    private final List<String> ran = new ArrayList<>();

    @Test
    void aTaskRunsBeforeExecuteReturns() {
        mailbox.execute(() -> ran.add("task"));

        assertThat(ran).containsExactly("task");
    }

    @Test
    void aTaskPostedFromATaskRunsAfterItNotInsideIt() {
        mailbox.execute(() -> {
            ran.add("outer start");
            mailbox.execute(() -> ran.add("inner"));
            ran.add("outer end");
        });

        assertThat(ran).containsExactly("outer start", "outer end", "inner");
    }

    @Test
    void scheduledTasksRunThroughTheMailboxWhenTheClockGetsThere() {
        mailbox.schedule(() -> ran.add("timer"), Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(9));
        assertThat(ran).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("timer");
    }

    @Test
    void aCancelledScheduledTaskNeverRuns() {
        mailbox.schedule(() -> ran.add("timer"), Duration.ofSeconds(10)).cancel();

        clock.advance(Duration.ofMinutes(1));

        assertThat(ran).isEmpty();
    }

    @Test
    void aFailingTaskReachesTheCallerAndTheMailboxGoesOn() {
        assertThatThrownBy(() -> mailbox.execute(() -> {
            throw new IllegalStateException("bug");
        })).hasMessage("bug");

        mailbox.execute(() -> ran.add("next"));

        assertThat(ran).containsExactly("next");
    }
}
