package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessage.MemberInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomLifecycleTest {
    private final RoomHarness h = RoomHarness.of(EchoRoomLogic.type(3));
    private final FakeSession ann = h.connect("Ann");
    private final FakeSession bob = h.connect("Bob");
    private final FakeSession cy = h.connect("Cy");

    @Test
    void createRepliesWithASnapshotThatMakesTheCreatorHost() {
        ServerMessage.Reply reply = ann.create("echo");

        assertThat(reply.ok()).isTrue();
        ServerMessage.State snapshot = RoomHarness.snapshot(reply);
        assertThat(RoomCode.parse(snapshot.room())).isPresent();
        assertThat(snapshot.type()).isEqualTo("echo");
        assertThat(snapshot.epoch()).isNotBlank();
        assertThat(snapshot.seq()).isEqualTo(1);
        assertThat(snapshot.you()).isEqualTo(ann.id());
        assertThat(snapshot.members()).containsExactly(new MemberInfo(ann.id(), "Ann", true, true));
        assertThat(snapshot.state().path("viewer").asText()).isEqualTo(ann.id());
        assertThat(calls(snapshot)).containsExactly("create", "join:Ann");
        assertThat(h.room(snapshot.room())).isPresent();
        assertThat(ann.session().rooms()).containsExactly(new RoomCode(snapshot.room()));
    }

    @Test
    void theCreatorGetsNoEventForItsOwnJoin() {
        ann.createRoom("echo");

        assertThat(ann.events()).isEmpty();
    }

    @Test
    void createPassesItsOptionsToTheLogic() {
        ObjectNode options = Json.nodes().objectNode();
        options.putArray("refuseOn").add("create");

        ServerMessage.Reply reply = ann.create("echo", options);

        assertThat(reply.ok()).isFalse();
        assertThat(reply.error().code()).isEqualTo(EchoRoomLogic.REFUSED);
        assertThat(h.rooms().size()).isZero();
        assertThat(ann.session().rooms()).isEmpty();
    }

    @Test
    void aRoomWhoseCreatorCannotJoinIsNotKept() {
        ObjectNode options = Json.nodes().objectNode();
        options.putArray("refuseOn").add("join");

        ServerMessage.Reply reply = ann.create("echo", options);

        assertThat(reply.error().code()).isEqualTo(EchoRoomLogic.REFUSED);
        assertThat(h.rooms().size()).isZero();
    }

    @Test
    void joinSendsJoinedToTheOthersAndASnapshotToTheJoiner() {
        String code = ann.createRoom("echo");

        ServerMessage.State snapshot = bob.joinRoom(code);

        assertThat(ann.events()).containsExactly(new ServerMessage.Event(code, 2, "joined", bob.id(),
                Json.nodes().objectNode().put("id", bob.id()).put("name", "Bob")));
        assertThat(snapshot.room()).isEqualTo(code);
        assertThat(snapshot.seq()).isEqualTo(2);
        assertThat(snapshot.you()).isEqualTo(bob.id());
        assertThat(snapshot.members()).containsExactly(
                new MemberInfo(ann.id(), "Ann", true, true),
                new MemberInfo(bob.id(), "Bob", true, false));
        assertThat(snapshot.state().path("viewer").asText()).isEqualTo(bob.id());
        assertThat(bob.events()).isEmpty();
    }

    @Test
    void joinReadsTheCodeInAnyCaseWithSurroundingSpaces() {
        String code = ann.createRoom("echo");

        ServerMessage.State snapshot = bob.joinRoom("  " + code.toLowerCase() + "\t");

        assertThat(snapshot.room()).isEqualTo(code);
    }

    @Test
    void everyRoomEventTakesTheNextSeq() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);
        cy.joinRoom(code);
        bob.send(code, "hello");
        cy.leave(code);

        assertThat(ann.events()).extracting(ServerMessage.Event::seq).containsExactly(2L, 3L, 4L, 5L);
        assertThat(ann.eventNames()).containsExactly("joined", "joined", "hello", "left");
    }

    @Test
    void joinIsRefusedWhenRoomIsFull() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);
        cy.joinRoom(code);
        FakeSession dee = h.connect("Dee");

        ServerMessage.Reply reply = dee.join(code);

        assertThat(reply.ok()).isFalse();
        assertThat(reply.error().code()).isEqualTo("room_full");
        assertThat(reply.error().message()).contains(code).contains("3");
        assertThat(dee.session().rooms()).isEmpty();
        assertThat(ann.eventNames()).containsExactly("joined", "joined");
    }

    @Test
    void joiningARoomTwiceRepliesWithTheSnapshotAndTellsNoOne() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);

        ServerMessage.State again = bob.joinRoom(code);

        assertThat(again.members()).hasSize(2);
        assertThat(ann.eventNames()).containsExactly("joined");
    }

    @Test
    void leaveSendsLeftToTheOthersAndEndsMembership() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);

        ServerMessage.Reply reply = bob.leave(code);

        assertThat(reply.ok()).isTrue();
        assertThat(reply.data()).isNull();
        assertThat(ann.lastEvent()).isEqualTo(new ServerMessage.Event(code, 3, "left", bob.id(),
                Json.nodes().objectNode().put("id", bob.id()).put("name", "Bob")));
        assertThat(bob.events()).isEmpty();
        assertThat(bob.session().rooms()).isEmpty();
        assertThat(bob.send(code, "hello").error().code()).isEqualTo("not_a_member");
        assertThat(calls(cy.joinRoom(code))).contains("leave:Bob:LEFT");
    }

    @Test
    void whenTheHostLeavesTheEarliestJoinedMemberBecomesHost() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);
        cy.joinRoom(code);

        ann.leave(code);

        ServerMessage.Event left = cy.events().get(0);
        ServerMessage.Event host = cy.events().get(1);
        assertThat(left.name()).isEqualTo("left");
        assertThat(host).isEqualTo(new ServerMessage.Event(code, left.seq() + 1, "host", null,
                Json.nodes().objectNode().put("id", bob.id())));
        assertThat(bob.eventNames()).containsExactly("joined", "left", "host");
        assertThat(cy.joinRoom(code).members()).containsExactly(
                new MemberInfo(bob.id(), "Bob", true, true),
                new MemberInfo(cy.id(), "Cy", true, false));
    }

    @Test
    void whenAnotherMemberLeavesTheHostStays() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);
        cy.joinRoom(code);

        bob.leave(code);

        assertThat(cy.eventNames()).containsExactly("left");
        assertThat(cy.joinRoom(code).members()).filteredOn(MemberInfo::host)
                .extracting(MemberInfo::id).containsExactly(ann.id());
    }

    @Test
    void hostPassesInJoinOrderNotByName() {
        String code = ann.createRoom("echo");
        cy.joinRoom(code);
        bob.joinRoom(code);

        ann.leave(code);

        assertThat(bob.lastEvent().data().path("id").asText()).isEqualTo(cy.id());
    }

    @Test
    void anEmptyRoomClosesAfterTheGracePeriodAndItsCodeIsFreed() {
        String code = ann.createRoom("echo");
        ann.leave(code);

        h.advance(Duration.ofSeconds(59));
        assertThat(h.room(code)).isPresent();
        h.advance(Duration.ofSeconds(1));

        assertThat(h.room(code)).isEmpty();
        assertThat(h.rooms().size()).isZero();
        ServerMessage.Reply reply = bob.join(code);
        assertThat(reply.error().code()).isEqualTo("room_not_found");
        assertThat(h.clock().pendingTimers()).isZero();
    }

    @Test
    void aRoomWithSomeoneInItStaysOpen() {
        String code = ann.createRoom("echo");

        h.advance(Duration.ofHours(1));

        assertThat(h.room(code)).isPresent();
    }

    @Test
    void aJoinDuringTheGracePeriodKeepsTheRoomAndMakesTheJoinerHost() {
        String code = ann.createRoom("echo");
        ann.leave(code);
        h.advance(Duration.ofSeconds(30));

        ServerMessage.State snapshot = bob.joinRoom(code);
        h.advance(Duration.ofMinutes(5));

        assertThat(h.room(code)).isPresent();
        assertThat(snapshot.members()).containsExactly(new MemberInfo(bob.id(), "Bob", true, true));
    }

    @Test
    void aRoomWhoseMembersAreAllAwayClosesAfterTheGracePeriod() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);
        ann.drop();
        bob.drop();

        h.advance(Duration.ofSeconds(60));

        assertThat(h.room(code)).isEmpty();
        assertThat(ann.session().rooms()).isEmpty();
        assertThat(bob.session().rooms()).isEmpty();
    }

    @Test
    void theGracePeriodIsConfigurable() {
        RoomHarness quick = RoomHarness.builder().emptyRoomGrace(Duration.ofSeconds(5)).build();
        FakeSession eve = quick.connect("Eve");
        String code = eve.createRoom("echo");
        eve.leave(code);

        quick.advance(Duration.ofSeconds(5));

        assertThat(quick.room(code)).isEmpty();
    }

    @Test
    void theSamePlayerOnANewSessionTakesOverItsSeat() {
        String code = ann.createRoom("echo");
        bob.joinRoom(code);
        FakeSession bobPhone = h.connect(bob.player(), "198.51.100.7");

        ServerMessage.State snapshot = bobPhone.joinRoom(code);
        ann.send(code, "hello");

        assertThat(snapshot.members()).hasSize(2);
        assertThat(ann.eventNames()).containsExactly("joined", "hello");
        assertThat(bobPhone.eventNames()).containsExactly("hello");
        assertThat(bob.eventNames()).isEmpty();
        assertThat(bob.session().rooms()).isEmpty();
        assertThat(bob.send(code, "hello").error().code()).isEqualTo("not_a_member");
    }

    @Test
    void aSessionMayBeInSeveralRoomsUpToTheLimit() {
        RoomHarness two = RoomHarness.builder().maxRoomsPerSession(2).build();
        FakeSession eve = two.connect("Eve");
        FakeSession fay = two.connect("Fay");
        String first = eve.createRoom("echo");
        eve.createRoom("echo");
        String third = fay.createRoom("echo");

        assertThat(eve.create("echo").error().code()).isEqualTo("too_many_rooms");
        assertThat(eve.join(third).error().code()).isEqualTo("too_many_rooms");
        assertThat(eve.join(first).ok()).isTrue();
        assertThat(eve.session().rooms()).hasSize(2);
    }

    @Test
    void eventsOfOneRoomDoNotReachAnother() {
        String one = ann.createRoom("echo");
        String two = bob.createRoom("echo");
        cy.joinRoom(one);

        bob.send(two, "hello");

        assertThat(ann.eventNames()).containsExactly("joined");
        assertThat(cy.events()).isEmpty();
        assertThat(bob.events(two)).extracting(ServerMessage.Event::name).containsExactly("hello");
    }

    private static List<String> calls(ServerMessage.State snapshot) {
        return EchoRoomLogic.calls(snapshot.state());
    }
}
