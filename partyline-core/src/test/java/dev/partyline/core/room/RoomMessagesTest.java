package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoomMessagesTest {
    private final RoomHarness h = RoomHarness.of(EchoRoomLogic.type());
    private final FakeSession ann = h.connect("Ann");
    private final FakeSession bob = h.connect("Bob");
    private final FakeSession cy = h.connect("Cy");

    @Test
    void aMessageIsBroadcastToEveryMemberFromItsSender() {
        String code = room(ann, bob);
        ObjectNode data = Json.nodes().objectNode().put("x", 1);

        ServerMessage.Reply reply = bob.send(code, "hello", data);

        assertThat(reply.ok()).isTrue();
        assertThat(reply.data()).isNull();
        ServerMessage.Event expected = new ServerMessage.Event(code, 3, "hello", bob.id(), data);
        assertThat(ann.lastEvent()).isEqualTo(expected);
        assertThat(bob.events()).containsExactly(expected);
    }

    @Test
    void theEventArrivesBeforeTheReplyThatConfirmsIt() {
        String code = room(ann, bob);
        bob.clear();

        bob.send(code, "hello");

        assertThat(bob.received()).hasSize(2);
        assertThat(bob.received().get(0)).isInstanceOf(ServerMessage.Event.class);
        assertThat(bob.received().get(1)).isInstanceOf(ServerMessage.Reply.class);
    }

    @Test
    void aBroadcastIsOneDeliveryForTheWholeGroup() {
        String code = room(ann, bob, cy);
        int before = h.deliveryGroup().deliveries();

        ann.send(code, "hello");

        assertThat(h.deliveryGroup().deliveries()).isEqualTo(before + 1);
        assertThat(cy.eventNames()).containsExactly("hello");
    }

    @Test
    void aPrivateSendReachesOnlyItsAudience() {
        String code = room(ann, bob, cy);
        ObjectNode data = Json.nodes().objectNode().put("to", bob.id()).put("text", "psst");

        ServerMessage.Reply reply = ann.send(code, "whisper", data);

        assertThat(reply.ok()).isTrue();
        assertThat(bob.eventNames()).containsExactly("joined", "whisper");
        assertThat(bob.lastEvent()).isEqualTo(new ServerMessage.Event(code, 4, "whisper", null, data));
        assertThat(ann.eventNames()).containsExactly("joined", "joined");
        assertThat(cy.events()).isEmpty();
    }

    @Test
    void aPrivateEventStillTakesItsSeqSoOthersSeeAGap() {
        String code = room(ann, bob, cy);
        ann.send(code, "whisper", Json.nodes().objectNode().put("to", bob.id()));

        ann.send(code, "hello");

        assertThat(cy.lastEvent().seq()).isEqualTo(5);
    }

    @Test
    void aGameExceptionRefusesTheRequestWithItsCodeAndMessage() {
        String code = room(ann, bob);

        ServerMessage.Reply reply = bob.send(code, "refuse", Json.nodes().objectNode().put("code", "too_fast"));

        assertThat(reply.ok()).isFalse();
        assertThat(reply.error().code()).isEqualTo("too_fast");
        assertThat(reply.error().message()).isEqualTo("Refused, as asked.");
        assertThat(bob.send(code, "hello").ok()).isTrue();
    }

    @Test
    void aLogicThatThrowsGetsInternalErrorAndTheRoomKeepsServing() {
        String code = room(ann, bob);

        ServerMessage.Reply reply = bob.send(code, "boom");

        assertThat(reply.ok()).isFalse();
        assertThat(reply.error().code()).isEqualTo("internal_error");
        assertThat(reply.error().message()).doesNotContain("boom").doesNotContain("Exception");
        assertThat(bob.send(code, "hello").ok()).isTrue();
        assertThat(ann.eventNames()).containsExactly("joined", "hello");
        assertThat(cy.joinRoom(code).members()).hasSize(3);
    }

    @Test
    void aLogicThatThrowsOnCreateLeavesNoRoomBehind() {
        ServerMessage.Reply reply = ann.create("echo", options("throwOn", "create"));

        assertThat(reply.error().code()).isEqualTo("internal_error");
        assertThat(h.rooms().size()).isZero();
        assertThat(ann.session().rooms()).isEmpty();
    }

    @Test
    void aLogicThatThrowsOnTheCreatorsJoinLeavesNoRoomBehind() {
        ServerMessage.Reply reply = ann.create("echo", options("throwOn", "join"));

        assertThat(reply.error().code()).isEqualTo("internal_error");
        assertThat(h.rooms().size()).isZero();
    }

    @Test
    void aLogicThatThrowsOnLeaveStillLetsThePlayerLeaveAndPassesTheHost() {
        String code = ann.createRoom("echo", options("throwOn", "leave"));
        bob.joinRoom(code);
        cy.joinRoom(code);

        assertThat(ann.leave(code).ok()).isTrue();

        assertThat(cy.eventNames()).containsExactly("left", "host");
        assertThat(ann.session().rooms()).isEmpty();
    }

    @Test
    void aLogicThatThrowsOnLeaveStillLetsTheEmptyRoomClose() {
        String code = ann.createRoom("echo", options("throwOn", "leave"));
        ann.leave(code);

        h.advance(Duration.ofSeconds(60));

        assertThat(h.room(code)).isEmpty();
    }

    @Test
    void aLogicThatThrowsOnAwayAndBackStillShowsPresence() {
        String code = ann.createRoom("echo", options("throwOn", "away", "back"));
        bob.joinRoom(code);

        bob.drop();
        bob.resume();

        assertThat(ann.eventNames()).containsExactly("joined", "away", "back");
    }

    @Test
    void timersFireThroughTheManualClock() {
        String code = room(ann, bob);
        ann.send(code, "timer", Json.nodes().objectNode().put("name", "tick").put("ms", 5_000));

        h.advance(Duration.ofMillis(4_999));
        assertThat(bob.eventNames()).doesNotContain("timer");
        h.advance(Duration.ofMillis(1));

        assertThat(bob.lastEvent()).isEqualTo(new ServerMessage.Event(code, 3, "timer", null,
                Json.nodes().objectNode().put("name", "tick")));
        assertThat(ann.lastEvent().name()).isEqualTo("timer");
    }

    @Test
    void schedulingATimerAgainReplacesIt() {
        String code = room(ann);
        ann.send(code, "timer", Json.nodes().objectNode().put("name", "tick").put("ms", 5_000));
        ann.send(code, "timer", Json.nodes().objectNode().put("name", "tick").put("ms", 10_000));

        h.advance(Duration.ofSeconds(5));
        assertThat(ann.events()).isEmpty();
        h.advance(Duration.ofSeconds(5));

        assertThat(ann.eventNames()).containsExactly("timer");
    }

    @Test
    void aCancelledTimerNeverFires() {
        String code = room(ann);
        ann.send(code, "timer", Json.nodes().objectNode().put("name", "tick").put("ms", 5_000));
        ann.send(code, "cancel", Json.nodes().objectNode().put("name", "tick"));

        h.advance(Duration.ofMinutes(1));

        assertThat(ann.events()).isEmpty();
        assertThat(h.clock().pendingTimers()).isZero();
    }

    @Test
    void timersStopWhenTheRoomCloses() {
        String code = room(ann);
        ann.send(code, "timer", Json.nodes().objectNode().put("name", "tick").put("ms", 120_000));
        ann.leave(code);

        h.advance(Duration.ofSeconds(60));

        assertThat(h.room(code)).isEmpty();
        assertThat(h.clock().pendingTimers()).isZero();
    }

    @Test
    void aTimerThatThrowsIsLoggedAndTheRoomGoesOn() {
        String code = ann.createRoom("echo", options("throwOn", "timer"));
        ann.send(code, "timer", Json.nodes().objectNode().put("name", "tick").put("ms", 1_000));

        h.advance(Duration.ofSeconds(1));

        assertThat(ann.events()).isEmpty();
        assertThat(ann.send(code, "hello").ok()).isTrue();
    }

    private String room(FakeSession host, FakeSession... others) {
        String code = host.createRoom("echo");
        for (FakeSession other : others) {
            other.joinRoom(code);
        }
        return code;
    }

    private static ObjectNode options(String key, String... values) {
        ObjectNode options = Json.nodes().objectNode();
        var list = options.putArray(key);
        for (String value : values) {
            list.add(value);
        }
        return options;
    }
}
