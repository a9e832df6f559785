package dev.partyline.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.room.FakeSession;
import dev.partyline.core.room.RoomCode;
import dev.partyline.core.room.RoomEvent;
import dev.partyline.core.room.RoomHarness;
import dev.partyline.protocol.CloseCode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessage.MemberInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionResumeTest {
    private final RoomHarness h = RoomHarness.of(EchoRoomLogic.type());
    private final FakeSession ann = h.connect("Ann");
    private final FakeSession bob = h.connect("Bob");
    private final String code = ann.createRoom("echo");

    SessionResumeTest() {
        bob.joinRoom(code);
        ann.clear();
        bob.clear();
    }

    @Test
    void aDroppedSessionIsShownAwayAndKeepsItsSeat() {
        bob.drop();

        assertThat(ann.events()).containsExactly(new ServerMessage.Event(code, 3, "away", bob.id(),
                Json.nodes().objectNode().put("id", bob.id()).put("name", "Bob")));
        assertThat(h.connect("Cy").joinRoom(code).members()).startsWith(
                new MemberInfo(ann.id(), "Ann", true, true),
                new MemberInfo(bob.id(), "Bob", false, false));
        assertThat(bob.session().rooms()).containsExactly(new RoomCode(code));
    }

    @Test
    void resumingShowsThePlayerBackAndSendsItAStateSnapshot() {
        bob.drop();
        ann.send(code, "missed");

        FakeSession back = bob.resume();

        assertThat(ann.eventNames()).containsExactly("away", "missed", "back");
        // The snapshot first; everything after it, its own "back" included, arrives as events.
        assertThat(back.received()).hasSize(2);
        assertThat(back.received().get(1)).isInstanceOfSatisfying(ServerMessage.Event.class,
                event -> assertThat(event.name()).isEqualTo("back"));
        ServerMessage.State state = back.states().get(0);
        assertThat(back.received().get(0)).isEqualTo(state);
        assertThat(state.room()).isEqualTo(code);
        assertThat(state.seq()).isEqualTo(4);
        assertThat(back.lastEvent().seq()).isEqualTo(5);
        assertThat(state.you()).isEqualTo(bob.id());
        assertThat(state.members()).contains(new MemberInfo(bob.id(), "Bob", true, false));
        assertThat(EchoRoomLogic.calls(state.state())).endsWith("away:Bob", "back:Bob");
    }

    @Test
    void aResumedSessionPlaysOnItsNewConnection() {
        bob.drop();
        FakeSession back = bob.resume();

        ServerMessage.Reply reply = back.send(code, "hello");

        assertThat(reply.ok()).isTrue();
        assertThat(back.eventNames()).containsExactly("back", "hello");
        assertThat(ann.lastEvent().from()).isEqualTo(bob.id());
    }

    @Test
    void theResumeTokenRotatesAndTheOldOneIsRefused() {
        String first = bob.resumeToken();
        bob.drop();

        FakeSession back = h.resume(first).orElseThrow();
        back.ping(); // the client is heard on its new socket: it has the new token

        assertThat(back.resumeToken()).isNotNull().isNotEqualTo(first);
        assertThat(h.resume(first)).isEmpty();
        assertThat(back.connection().isOpen()).isTrue();
    }

    @Test
    void theTokenOfAResumeWhoseWelcomeWasLostIsGoodUntilTheClientIsHeard() {
        String first = bob.resumeToken();
        bob.drop();
        FakeSession lost = h.resume(first).orElseThrow();
        String second = lost.resumeToken();
        lost.drop(); // before the client read its welcome

        FakeSession again = h.resume(first).orElseThrow();
        assertThat(again.id()).isEqualTo(bob.id());
        assertThat(h.resume(second)).as("rotated away by the retry").isEmpty();
    }

    @Test
    void anUnknownResumeTokenIsRefused() {
        assertThat(h.resume("not-a-token")).isEmpty();
    }

    @Test
    void resumeTokensAreSecretLookingAndDifferPerSession() {
        assertThat(bob.resumeToken()).matches("[A-Za-z0-9_-]{32}").isNotEqualTo(ann.resumeToken());
    }

    @Test
    void afterTheGracePeriodTheSessionEndsAndItsRoomsSeeItLeave() {
        String token = bob.resumeToken();
        bob.drop();

        h.advance(Duration.ofSeconds(119));
        assertThat(ann.eventNames()).containsExactly("away");
        h.advance(Duration.ofSeconds(1));

        assertThat(ann.eventNames()).containsExactly("away", "left");
        assertThat(ann.lastEvent().from()).isEqualTo(bob.id());
        assertThat(h.resume(token)).isEmpty();
        assertThat(bob.resumeToken()).isNull();
        assertThat(h.sessions().size()).isEqualTo(1);
        assertThat(EchoRoomLogic.calls(h.connect("Cy").joinRoom(code).state())).contains("leave:Bob:TIMED_OUT");
    }

    @Test
    void aResumeWithinTheGracePeriodCallsOffTheEnd() {
        bob.drop();
        h.advance(Duration.ofSeconds(100));
        FakeSession back = bob.resume();

        h.advance(Duration.ofMinutes(10));

        assertThat(ann.eventNames()).containsExactly("away", "back");
        assertThat(back.send(code, "hello").ok()).isTrue();
        assertThat(h.clock().pendingTimers()).isZero();
    }

    @Test
    void aSecondDropStartsAFreshGracePeriod() {
        bob.drop();
        h.advance(Duration.ofSeconds(100));
        FakeSession back = bob.resume();
        h.advance(Duration.ofSeconds(10));

        back.drop();
        h.advance(Duration.ofSeconds(100));

        assertThat(ann.eventNames()).containsExactly("away", "back", "away");
        h.advance(Duration.ofSeconds(20));
        assertThat(ann.eventNames()).containsExactly("away", "back", "away", "left");
    }

    @Test
    void aResumeOnANewConnectionClosesTheOldOneWith4004() {
        FakeSession elsewhere = bob.resume();

        assertThat(bob.connection().closeCode()).isEqualTo(CloseCode.SESSION_REPLACED);
        assertThat(bob.connection().closeCode().code()).isEqualTo(4004);
        assertThat(bob.connection().closeReason()).isNotBlank();
        assertThat(elsewhere.connection().isOpen()).isTrue();
        // The player never was away: the others are told nothing, the new socket gets a snapshot.
        assertThat(ann.events()).isEmpty();
        assertThat(elsewhere.states()).hasSize(1);
    }

    @Test
    void theReplacedConnectionClosingLaterChangesNothing() {
        FakeSession elsewhere = bob.resume();

        bob.drop();
        h.advance(Duration.ofMinutes(10));

        assertThat(ann.events()).isEmpty();
        assertThat(elsewhere.send(code, "hello").ok()).isTrue();
    }

    @Test
    void anAwayThatArrivesAfterTheResumeIsIgnored() {
        // The old socket's drop and the resume race: the drop detached the socket, the resume
        // attached the new one and announced it, and only then does the drop's Away reach the room.
        bob.session().detach(bob.connection());
        FakeSession back = bob.resume();

        h.room(code).orElseThrow().post(new RoomEvent.Away(bob.session()));

        assertThat(ann.events()).isEmpty();
        assertThat(h.connect("Cy").joinRoom(code).members())
                .contains(new MemberInfo(bob.id(), "Bob", true, false));
        assertThat(back.send(code, "hello").ok()).isTrue();
    }

    @Test
    void aBackThatArrivesAfterTheNewSocketDroppedAgainIsIgnored() {
        String token = bob.resumeToken();
        bob.drop();
        FakeConnection phone = h.newConnection("198.51.100.7");
        Session session = h.sessions().resume(token, phone).orElseThrow();
        phone.disconnect();
        h.sessions().dropped(session, phone);

        h.sessions().announceBack(session, java.util.Map.of());

        assertThat(ann.eventNames()).containsExactly("away");
        assertThat(h.connect("Cy").joinRoom(code).members())
                .contains(new MemberInfo(bob.id(), "Bob", false, false));
        h.advance(Duration.ofSeconds(120));
        assertThat(ann.eventNames()).containsExactly("away", "joined", "left");
        assertThat(ann.lastEvent().from()).isEqualTo(bob.id());
    }

    @Test
    void sayingGoodbyeEndsTheSessionAtOnce() {
        String token = bob.resumeToken();

        bob.goodbye();

        assertThat(ann.eventNames()).containsExactly("left");
        assertThat(h.resume(token)).isEmpty();
        assertThat(h.sessions().size()).isEqualTo(1);
        assertThat(h.clock().pendingTimers()).isZero();
    }

    @Test
    void anAwayHostStaysHost() {
        ann.drop();

        assertThat(h.connect("Cy").joinRoom(code).members()).filteredOn(MemberInfo::host)
                .containsExactly(new MemberInfo(ann.id(), "Ann", false, true));
    }

    @Test
    void anAwayMemberGetsNoEventsAndLosesNothingOnTheWire() {
        bob.drop();
        ann.send(code, "hello");

        assertThat(bob.connection().received()).isEmpty();
    }
}
