package dev.partyline.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.room.FakeSession;
import dev.partyline.core.room.RoomHarness;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestRouterTest {
    private final RoomHarness h = RoomHarness.builder().types(EchoRoomLogic.type()).failedJoinsPerMinute(3).build();
    private final FakeSession ann = h.connect("Ann");

    @Test
    void createOfAnUnknownTypeIsRefusedNamingTheTypesThisServerHosts() {
        ServerMessage.Reply reply = ann.create("poker");

        assertThat(reply.ok()).isFalse();
        assertThat(reply.error().code()).isEqualTo("unknown_room_type");
        assertThat(reply.error().message()).contains("poker").contains("echo");
        assertThat(h.rooms().size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"12AB", "ABCI", "OBCD", "ABCDE", "ABC", "AB D", "ÄBCD"})
    void joinWithAMalformedCodeIsRefusedAsInvalidCode(String code) {
        ServerMessage.Reply reply = ann.join(code);

        assertThat(reply.error().code()).isEqualTo("invalid_code");
        assertThat(reply.error().message()).contains("4 letters");
    }

    @Test
    void joinOfACodeNoRoomHasIsRefusedAsRoomNotFound() {
        String code = h.unusedCode();

        ServerMessage.Reply reply = ann.join(code.toLowerCase());

        assertThat(reply.error().code()).isEqualTo("room_not_found");
        assertThat(reply.error().message()).contains(code);
    }

    @Test
    void leaveOfARoomThePlayerIsNotInIsRefusedAsNotAMember() {
        FakeSession bob = h.connect("Bob");
        String code = bob.createRoom("echo");

        assertThat(ann.leave(code).error().code()).isEqualTo("not_a_member");
        assertThat(ann.leave(h.unusedCode()).error().code()).isEqualTo("not_a_member");
        assertThat(ann.leave("??").error().code()).isEqualTo("not_a_member");
        assertThat(bob.events()).isEmpty();
    }

    @Test
    void sendToARoomThePlayerIsNotInIsRefusedAsNotAMember() {
        FakeSession bob = h.connect("Bob");
        String code = bob.createRoom("echo");

        ServerMessage.Reply reply = ann.send(code, "hello");

        assertThat(reply.error().code()).isEqualTo("not_a_member");
        assertThat(reply.error().message()).contains(code);
        assertThat(bob.events()).isEmpty();
    }

    @Test
    void tooManyWrongCodesFromOneAddressAreRateLimited() {
        FakeSession host = h.connect("Host", "192.0.2.50");
        String code = host.createRoom("echo");
        FakeSession eve = h.connect("Eve", "198.51.100.7");
        eve.join("12AB");
        eve.join(h.unusedCode());
        eve.join(h.unusedCode());

        ServerMessage.Reply reply = eve.join(code);

        assertThat(reply.error().code()).isEqualTo("rate_limited");
        assertThat(h.connect("Fay", "198.51.100.8").join(code).ok()).isTrue();
        h.advance(Duration.ofMinutes(1));
        assertThat(eve.join(code).ok()).isTrue();
    }

    @Test
    void rightCodesDoNotCountAsFailures() {
        FakeSession host = h.connect("Host", "192.0.2.50");
        String code = host.createRoom("echo");
        FakeSession eve = h.connect("Eve", "198.51.100.7");

        for (int i = 0; i < 5; i++) {
            assertThat(eve.join(code).ok()).isTrue();
        }
    }

    @Test
    void pingRepliesWithTheServerTime() {
        h.advance(Duration.ofMillis(1234));

        ServerMessage.Reply reply = ann.ping();

        assertThat(reply.ok()).isTrue();
        assertThat(reply.data().path("serverTime").asLong()).isEqualTo(h.clock().millis());
    }

    @Test
    void everyRequestGetsExactlyOneReplyWithItsId() {
        String code = ann.createRoom("echo");
        ann.send(code, "hello");
        ann.join(code);
        ann.ping();
        ann.join(h.unusedCode());
        ann.leave(code);

        assertThat(ann.connection().replies()).extracting(ServerMessage.Reply::id)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aJoinSentAgainRejoinsWithAFreshSnapshotAndItsReplyIsNotKept() {
        String code = ann.createRoom("echo");
        FakeSession bob = h.connect("Bob");
        ClientMessage.Join join = new ClientMessage.Join(bob.nextId(), code);

        ServerMessage.Reply first = bob.request(join);
        ann.send(code, "hello");
        ServerMessage.Reply again = bob.request(join);

        assertThat(first.ok()).isTrue();
        assertThat(again.ok()).as("a rejoin, not a refusal").isTrue();
        assertThat(again.data().get("seq").asLong()).as("a fresh snapshot, after Ann's message")
                .isGreaterThan(first.data().get("seq").asLong());
        // Every member's join snapshot lists every member: kept per member, a big room's would add up.
        assertThat(bob.session().replies().retainedBytes()).isZero();
        assertThat(ann.events(code).stream().filter(e -> e.name().equals("joined")).count())
                .as("the rejoin told nobody anything").isEqualTo(1);
    }

    @Test
    void aCreateSentAgainIsAnsweredFromMemoryAndMakesNoSecondRoom() {
        ClientMessage.Create create = new ClientMessage.Create(ann.nextId(), "echo", null);

        ServerMessage.Reply first = ann.request(create);
        ServerMessage.Reply again = ann.request(create);

        assertThat(again.data().get("room").asText()).isEqualTo(first.data().get("room").asText());
        assertThat(h.rooms().size()).isEqualTo(1);
    }
}
