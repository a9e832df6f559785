package dev.partyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerShareTest {

    @Test
    void roomsAreSplitIntoContiguousBlocksDifferingByAtMostOne() {
        int[] rooms = new int[3];
        int[] first = new int[3];
        for (int i = 0; i < 3; i++) {
            WorkerShare share = new WorkerShare(i + 1, 3);
            rooms[i] = share.rooms(10);
            first[i] = share.firstRoom(10);
        }

        assertThat(rooms).containsExactly(4, 3, 3);
        assertThat(first).containsExactly(0, 4, 7);
    }

    @Test
    void everyRoomBelongsToExactlyOneWorker() {
        for (int count = 1; count <= 7; count++) {
            for (int total = count; total <= 30; total++) {
                int next = 0;
                for (int number = 1; number <= count; number++) {
                    WorkerShare share = new WorkerShare(number, count);
                    assertThat(share.firstRoom(total)).isEqualTo(next);
                    assertThat(share.rooms(total)).isBetween(total / count, total / count + 1);
                    next += share.rooms(total);
                }
                assertThat(next).isEqualTo(total);
            }
        }
    }

    @Test
    void aloneHoldsTheWholeRun() {
        assertThat(WorkerShare.ALONE.rooms(17)).isEqualTo(17);
        assertThat(WorkerShare.ALONE.firstRoom(17)).isZero();
    }

    @Test
    void theWorkerOptionRoundTripsAndRefusesNonsense() {
        assertThat(WorkerShare.parse(new WorkerShare(2, 5).toString())).isEqualTo(new WorkerShare(2, 5));
        assertThatThrownBy(() -> WorkerShare.parse("3/2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerShare.parse("2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerShare(1, WorkerShare.MAX_WORKERS + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
