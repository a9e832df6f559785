package dev.partyline.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.protocol.ClientMessage.RoomPosition;
import dev.partyline.protocol.ServerMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTrackerTest {
    private final RoomTracker tracker = new RoomTracker();

    @Test
    void snapshotMakesTheClientAMemberAtItsEpochAndSeq() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 4));

        assertThat(tracker.memberRooms()).containsExactly("ABCD");
        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e1", 4));
        assertThat(tracker.positions()).containsEntry("ABCD", new RoomPosition("e1", 4));
    }

    @Test
    void eventsRaiseTheSeq() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 4));
        tracker.onEvent(event("ABCD", 5));
        tracker.onEvent(event("ABCD", 6));

        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e1", 6));
    }

    @Test
    void anEventSeenAlreadyIsReportedAsARepeatAndChangesNothing() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 9));

        assertThat(tracker.onEvent(event("ABCD", 7))).isFalse();
        assertThat(tracker.onEvent(event("ABCD", 9))).isFalse();
        assertThat(tracker.onEvent(event("ABCD", 10))).isTrue();
        assertThat(tracker.onEvent(event("ABCD", 10))).isFalse();
        assertThat(tracker.onEvent(event("ABCD", 12))).as("a gap is normal: a private event of someone else").isTrue();
        assertThat(tracker.position("ABCD").seq()).isEqualTo(12);
    }

    @Test
    void theFirstEventOfAnUnknownRoomIsNew() {
        assertThat(tracker.onEvent(event("ABCD", 5))).isTrue();
        assertThat(tracker.onEvent(event("ABCD", 5))).isFalse();
    }

    @Test
    void aResyncReplacesThePositionEvenWithALowerSeq() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 40));

        tracker.onResync(snapshot("ABCD", "e1", 30));

        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e1", 30));
        assertThat(tracker.onEvent(event("ABCD", 31))).isTrue();
    }

    @Test
    void aResyncOfARoomNotTrackedMakesTheClientAMember() {
        tracker.onResync(snapshot("ABCD", "e1", 3));

        assertThat(tracker.memberRooms()).containsExactly("ABCD");
        assertThat(tracker.isMember(" abcd")).isTrue();
    }

    @Test
    void eventBeforeTheJoinSnapshotIsKept() {
        tracker.onEvent(event("ABCD", 5));
        assertThat(tracker.position("ABCD")).isNull();
        assertThat(tracker.memberRooms()).isEmpty();

        tracker.onSnapshot(snapshot("ABCD", "e1", 4));

        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e1", 5));
    }

    @Test
    void snapshotOfANewEpochStartsOver() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 40));
        tracker.onSnapshot(snapshot("ABCD", "e2", 3));

        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e2", 3));
    }

    @Test
    void snapshotOfTheSameEpochNeverGoesBack() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 10));
        tracker.onSnapshot(snapshot("ABCD", "e1", 8));

        assertThat(tracker.position("ABCD").seq()).isEqualTo(10);
    }

    @Test
    void leavingForgetsTheRoomWhateverTheCaseOfTheCode() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 1));
        tracker.onSnapshot(snapshot("WXYZ", "e9", 2));

        tracker.remove(" abcd ");

        assertThat(tracker.memberRooms()).containsExactly("WXYZ");
        assertThat(tracker.position("abcd")).isNull();
        assertThat(tracker.position("wxyz")).isEqualTo(new RoomPosition("e9", 2));
        assertThat(tracker.positions()).containsOnlyKeys("WXYZ");
    }

    @Test
    void aRoomLeftStillFiltersItsLateEventsAndAJoinOfTheSameIncarnationGoesOnFromThere() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 5));
        tracker.remove("ABCD");

        assertThat(tracker.onEvent(event("ABCD", 5))).isFalse();
        assertThat(tracker.onEvent(event("ABCD", 6))).isTrue();
        tracker.onSnapshot(snapshot("ABCD", "e1", 4));
        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e1", 6));
    }

    @Test
    void aNewRoomUnderTheCodeOfOneLeftStartsOver() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 500));
        tracker.remove("ABCD");

        tracker.onSnapshot(snapshot("ABCD", "e2", 1));

        assertThat(tracker.position("ABCD")).isEqualTo(new RoomPosition("e2", 1));
        assertThat(tracker.onEvent(event("ABCD", 2))).isTrue();
    }

    private static ServerMessage.State snapshot(String room, String epoch, long seq) {
        return new ServerMessage.State(room, "chat", epoch, seq, List.of(), null, "p1");
    }

    private static ServerMessage.Event event(String room, long seq) {
        return new ServerMessage.Event(room, seq, "said", "p2", null);
    }
}
