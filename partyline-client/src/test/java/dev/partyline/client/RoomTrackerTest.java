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
    void anOlderEventDoesNotLowerTheSeq() {
        tracker.onSnapshot(snapshot("ABCD", "e1", 9));
        tracker.onEvent(event("ABCD", 7));

        assertThat(tracker.position("ABCD").seq()).isEqualTo(9);
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
    }

    private static ServerMessage.State snapshot(String room, String epoch, long seq) {
        return new ServerMessage.State(room, "chat", epoch, seq, List.of(), null, "p1");
    }

    private static ServerMessage.Event event(String room, long seq) {
        return new ServerMessage.Event(room, seq, "said", "p2", null);
    }
}
