package dev.partyline.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.room.FakeSession;
import dev.partyline.core.room.RoomHarness;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resume with a position: the missed events are replayed exactly, or a resync snapshot is sent. */
class SessionReplayTest {
    private final RoomHarness h = RoomHarness.builder().types(EchoRoomLogic.type())
            .roomSettings(dev.partyline.core.room.RoomSettings.DEFAULTS.withEventLog(5, Duration.ofMinutes(10)))
            .build();
    private final FakeSession ann = h.connect("Ann");
    private final FakeSession bob = h.connect("Bob");
    private final FakeSession cy = h.connect("Cy");
    private final String code = ann.createRoom("echo");
    private final ServerMessage.State bobJoined;
    private final ServerMessage.State lastJoin;

    SessionReplayTest() {
        bobJoined = bob.joinRoom(code);
        lastJoin = cy.joinRoom(code);
        ann.clear();
        bob.clear();
        cy.clear();
    }

    private Map<String, ClientMessage.RoomPosition> at(ServerMessage.State state, long seq) {
        return Map.of(code, new ClientMessage.RoomPosition(state.epoch(), seq));
    }

    private long bobsLastSeq() {
        return Math.max(lastJoin.seq(), bob.events().stream().mapToLong(ServerMessage.Event::seq).max().orElse(0));
    }

    private FakeSession resumeBob(Map<String, ClientMessage.RoomPosition> positions) {
        return h.resume(bob.resumeToken(), FakeConnection.DEFAULT_ADDRESS, positions).orElseThrow();
    }

    @Test
    void aResumedPlayerGetsExactlyTheEventsItMissedAndMaySeeThenLiveOnes() {
        bob.send(code, "before");
        long seen = bobsLastSeq();
        bob.drop();
        ann.send(code, "one");
        ann.send(code, "whisper", Json.nodes().objectNode().put("to", bob.id()));
        ann.send(code, "whisper", Json.nodes().objectNode().put("to", cy.id()));

        FakeSession back = resumeBob(at(bobJoined, seen));
        ann.send(code, "live");

        assertThat(back.states()).as("a replay, not a snapshot").isEmpty();
        List<ServerMessage.Event> events = back.events();
        assertThat(events).extracting(ServerMessage.Event::name)
                .containsExactly("away", "one", "whisper", "back", "live");
        assertThat(events).extracting(ServerMessage.Event::seq).isSorted().doesNotHaveDuplicates();
        assertThat(events.get(0).seq()).isEqualTo(seen + 1);
        assertThat(events.get(2).seq()).as("cy's whisper is skipped").isEqualTo(seen + 3);
    }

    @Test
    void aClientThatSawEverythingGetsNoReplay() {
        long seen = bobsLastSeq();
        bob.drop();
        FakeSession back = resumeBob(at(bobJoined, seen + 1)); // it had read its own "away" too
        assertThat(back.states()).isEmpty();
        assertThat(back.eventNames()).containsExactly("back");
    }

    @Test
    void aLogThatNoLongerReachesBackGivesAResyncSnapshotLikeAFreshJoin() {
        long seen = bobsLastSeq();
        bob.drop();
        for (int i = 0; i < 10; i++) {
            ann.send(code, "flood");
        }
        FakeSession back = resumeBob(at(bobJoined, seen));

        assertThat(back.states()).hasSize(1);
        ServerMessage.State resync = back.states().get(0);
        assertThat(resync.resync()).isTrue();
        assertThat(back.eventNames()).containsExactly("back");
        assertThat(back.events().get(0).seq()).isEqualTo(resync.seq() + 1);
        ServerMessage.State fresh = h.connect("Dee").joinRoom(code);
        assertThat(resync.members()).isEqualTo(fresh.members().subList(0, 3));
        assertThat(resync.epoch()).isEqualTo(fresh.epoch());
    }

    @Test
    void anotherEpochGivesAResyncSnapshot() {
        bob.drop();
        FakeSession back = resumeBob(Map.of(code, new ClientMessage.RoomPosition("an-old-room", 1)));
        assertThat(back.states()).singleElement().satisfies(state -> assertThat(state.resync()).isTrue());
    }

    @Test
    void aRoomTheClientDidNotNameGetsAResyncSnapshot() {
        bob.drop();
        FakeSession back = resumeBob(Map.of());
        assertThat(back.states()).singleElement().satisfies(state -> assertThat(state.resync()).isTrue());
    }

    @Test
    void aRoomThatClosedWhileAwayIsReportedAsClosed() {
        String lonely = bob.createRoom("echo");
        bob.drop();
        h.advance(Duration.ofSeconds(61)); // the empty room's grace ends; the session's (120 s) does not
        FakeSession back = resumeBob(Map.of(lonely, new ClientMessage.RoomPosition("e", 1)));
        assertThat(back.received()).filteredOn(ServerMessage.Error.class::isInstance)
                .singleElement().satisfies(error -> {
                    assertThat(((ServerMessage.Error) error).code()).isEqualTo("room_closed");
                    assertThat(((ServerMessage.Error) error).message()).contains(lonely);
                });
    }

    @Test
    void aRequestSentAgainAfterResumeIsAnsweredFromMemoryAndRunsOnce() {
        long id = bob.nextId();
        bob.route(new ClientMessage.Send(id, code, "shout", null));
        bob.drop();
        FakeSession back = resumeBob(Map.of());
        back.route(new ClientMessage.Send(id, code, "shout", null)); // the client did not see the reply
        assertThat(back.received()).filteredOn(ServerMessage.Reply.class::isInstance)
                .singleElement().satisfies(reply -> assertThat(((ServerMessage.Reply) reply).id()).isEqualTo(id));
        assertThat(ann.eventNames()).containsOnlyOnce("shout");
    }
}
