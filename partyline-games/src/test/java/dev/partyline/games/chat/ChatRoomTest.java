package dev.partyline.games.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.core.room.FakeSession;
import dev.partyline.core.room.RoomHarness;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRoomTest {
    private final RoomHarness h = RoomHarness.of(new ChatRoomType().roomType());
    private final FakeSession ann = h.connect("Ann");
    private final FakeSession bob = h.connect("Bob");
    private final FakeSession cy = h.connect("Cy");

    // --- the room type -------------------------------------------------------------------

    @Test
    void theChatTypeIsNamedChatAndTakesAHundredMembersByDefault() {
        assertThat(new ChatRoomType().roomType().name()).isEqualTo("chat");
        assertThat(new ChatRoomType().roomType().maxMembers()).isEqualTo(100);
    }

    @Test
    void theMostMembersAreConfigurable() {
        RoomHarness small = RoomHarness.of(new ChatRoomType(2).roomType());
        FakeSession eve = small.connect("Eve");
        String code = eve.createRoom("chat");
        small.connect("Fay").joinRoom(code);

        ServerMessage.Reply reply = small.connect("Gus").join(code);

        assertThat(reply.error().code()).isEqualTo("room_full");
    }

    @Test
    void eachRoomGetsItsOwnLogic() {
        String first = ann.createRoom("chat");
        String second = bob.createRoom("chat");

        ann.send(first, "message", text("only here"));

        assertThat(bob.joinRoom(second).state().path("messages")).isEmpty();
    }

    // --- title ---------------------------------------------------------------------------

    @Test
    void aNewChatIsCalledChatAndHasNoMessages() {
        ServerMessage.State snapshot = RoomHarness.snapshot(ann.create("chat"));

        assertThat(snapshot.type()).isEqualTo("chat");
        assertThat(snapshot.state()).isEqualTo(json("{\"title\": \"Chat\", \"messages\": []}"));
    }

    @Test
    void theTitleOptionNamesTheRoomTrimmed() {
        ServerMessage.State snapshot = RoomHarness.snapshot(ann.create("chat", title("  Friday night  ")));

        assertThat(snapshot.state().path("title").asText()).isEqualTo("Friday night");
    }

    @Test
    void optionsWithoutATitleOrWithANullOneKeepTheDefault() {
        ObjectNode nullTitle = Json.nodes().objectNode().putNull("title");

        assertThat(RoomHarness.snapshot(ann.create("chat", Json.nodes().objectNode())).state().path("title").asText())
                .isEqualTo("Chat");
        assertThat(RoomHarness.snapshot(bob.create("chat", nullTitle)).state().path("title").asText())
                .isEqualTo("Chat");
    }

    @Test
    void aTitleOfFortyCharactersIsAccepted() {
        ServerMessage.State snapshot = RoomHarness.snapshot(ann.create("chat", title("x".repeat(40))));

        assertThat(snapshot.state().path("title").asText()).hasSize(40);
    }

    @Test
    void aTitleCountsCharactersNotUtf16Units() {
        String emoji = "\uD83C\uDF89";

        ServerMessage.State snapshot = RoomHarness.snapshot(ann.create("chat", title(emoji.repeat(40))));

        assertThat(snapshot.state().path("title").asText()).isEqualTo(emoji.repeat(40));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "line\nbreak", "tab\there"})
    void aBadTitleRefusesTheCreate(String bad) {
        ServerMessage.Reply reply = ann.create("chat", title(bad));

        assertThat(reply.error().code()).isEqualTo("bad_request");
        assertThat(reply.error().message()).contains("40");
        assertThat(h.rooms().size()).isZero();
    }

    @Test
    void aTitleOfFortyOneCharactersRefusesTheCreate() {
        assertThat(ann.create("chat", title("x".repeat(41))).error().code()).isEqualTo("bad_request");
        assertThat(h.rooms().size()).isZero();
    }

    @Test
    void aTitleThatIsNotAStringRefusesTheCreate() {
        ObjectNode options = Json.nodes().objectNode().put("title", 42);

        assertThat(ann.create("chat", options).error().code()).isEqualTo("bad_request");
    }

    // --- message -------------------------------------------------------------------------

    @Test
    void aMessageReachesEveryoneWithTheSendersNameAndTrimmedText() {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "message", text("  hello there \n"));

        assertThat(reply.ok()).isTrue();
        JsonNode data = json("{\"text\": \"hello there\", \"name\": \"Bob\", \"at\": " + h.clock().millis() + "}");
        for (FakeSession member : new FakeSession[] {ann, bob, cy}) {
            ServerMessage.Event event = member.lastEvent();
            assertThat(event.name()).isEqualTo("message");
            assertThat(event.from()).isEqualTo(bob.id());
            assertThat(event.data()).isEqualTo(data);
        }
    }

    @Test
    void messageTextMayHoldLineBreaksInside() {
        String code = room();

        bob.send(code, "message", text("one\ntwo"));

        assertThat(ann.lastEvent().data().path("text").asText()).isEqualTo("one\ntwo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t "})
    void anEmptyMessageIsABadRequest(String blank) {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "message", text(blank));

        assertThat(reply.error().code()).isEqualTo("bad_request");
        assertNoMessageWasSent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"hello\"", "{}", "{\"text\": null}", "{\"text\": 5}", "{\"text\": [\"hi\"]}",
            "{\"words\": \"hi\"}"})
    void aMessageWithoutTextAsAStringIsABadRequest(String data) {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "message", "null".equals(data) ? null : json(data));

        assertThat(reply.error().code()).isEqualTo("bad_request");
        assertThat(reply.error().message()).contains("text");
        assertNoMessageWasSent();
    }

    @Test
    void aMessageOfFiveHundredCharactersIsAccepted() {
        String code = room();

        assertThat(bob.send(code, "message", text("x".repeat(500))).ok()).isTrue();
    }

    @Test
    void aMessageOverFiveHundredCharactersIsTooLongAndTheMessageSaysTheLimit() {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "message", text("x".repeat(501)));

        assertThat(reply.error().code()).isEqualTo("text_too_long");
        assertThat(reply.error().message()).contains("500");
        assertNoMessageWasSent();
    }

    @Test
    void theLengthLimitCountsCharactersAfterTrimming() {
        String code = room();
        String emoji = "\uD83D\uDE00";

        assertThat(bob.send(code, "message", text("  " + "x".repeat(500) + "  ")).ok()).isTrue();
        assertThat(bob.send(code, "message", text(emoji.repeat(500))).ok()).isTrue();
        assertThat(bob.send(code, "message", text(emoji.repeat(501))).error().code()).isEqualTo("text_too_long");
    }

    // --- history and view ----------------------------------------------------------------

    @Test
    void theViewHoldsTheHistoryWithSenderNameTextAndTime() {
        String code = room();
        long first = h.clock().millis();
        ann.send(code, "message", text("hi"));
        h.advance(Duration.ofSeconds(3));
        bob.send(code, "message", text(" yo "));

        JsonNode view = h.connect("Dee").joinRoom(code).state();

        ObjectNode expected = Json.nodes().objectNode().put("title", "Chat");
        expected.putArray("messages")
                .add(Json.nodes().objectNode().put("from", ann.id()).put("name", "Ann").put("text", "hi")
                        .put("at", first))
                .add(Json.nodes().objectNode().put("from", bob.id()).put("name", "Bob").put("text", "yo")
                        .put("at", first + 3000));
        assertThat(view).isEqualTo(expected);
    }

    @Test
    void theHistoryKeepsTheLastHundredMessages() {
        String code = room();
        for (int i = 0; i < 105; i++) {
            ann.send(code, "message", text("m" + i));
        }

        JsonNode messages = h.connect("Dee").joinRoom(code).state().path("messages");

        assertThat(messages).hasSize(100);
        assertThat(messages.get(0).path("text").asText()).isEqualTo("m5");
        assertThat(messages.get(99).path("text").asText()).isEqualTo("m104");
    }

    @Test
    void refusedMessagesAreNotInTheHistory() {
        String code = room();
        bob.send(code, "message", text("   "));
        bob.send(code, "message", text("x".repeat(501)));

        assertThat(h.connect("Dee").joinRoom(code).state().path("messages")).isEmpty();
    }

    @Test
    void theViewIsTheSameForEveryPlayer() {
        String code = room();
        ann.send(code, "message", text("hi"));
        bob.send(code, "message", text("hello"));

        JsonNode forAnn = ann.joinRoom(code).state();
        JsonNode forBob = bob.joinRoom(code).state();
        JsonNode forCy = cy.joinRoom(code).state();

        assertThat(forAnn).isEqualTo(forBob).isEqualTo(forCy);
        assertThat(forAnn.path("messages")).hasSize(2);
    }

    @Test
    void whatALeaverSaidStaysInTheHistory() {
        String code = room();
        bob.send(code, "message", text("bye"));
        bob.leave(code);

        JsonNode messages = h.connect("Dee").joinRoom(code).state().path("messages");

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("name").asText()).isEqualTo("Bob");
    }

    @Test
    void aResumedPlayerGetsTheHistoryInItsSnapshot() {
        String code = room();
        bob.drop();
        ann.send(code, "message", text("while you were away"));

        FakeSession back = bob.resume();

        assertThat(back.states()).hasSize(1);
        assertThat(back.states().get(0).state().path("messages").get(0).path("text").asText())
                .isEqualTo("while you were away");
    }

    // --- rename --------------------------------------------------------------------------

    @Test
    void theHostRenamesTheRoomForEveryone() {
        String code = room();

        ServerMessage.Reply reply = ann.send(code, "rename", title("  Game night "));

        assertThat(reply.ok()).isTrue();
        for (FakeSession member : new FakeSession[] {ann, bob, cy}) {
            ServerMessage.Event event = member.lastEvent();
            assertThat(event.name()).isEqualTo("renamed");
            assertThat(event.from()).isEqualTo(ann.id());
            assertThat(event.data()).isEqualTo(json("{\"title\": \"Game night\"}"));
        }
        assertThat(h.connect("Dee").joinRoom(code).state().path("title").asText()).isEqualTo("Game night");
    }

    @Test
    void onlyTheHostMayRename() {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "rename", title("Mine now"));

        assertThat(reply.error().code()).isEqualTo("not_host");
        assertThat(ann.lastEvent().name()).isEqualTo("joined");
        assertThat(cy.joinRoom(code).state().path("title").asText()).isEqualTo("Chat");
    }

    @Test
    void aNonHostIsToldNotHostEvenForABadTitle() {
        String code = room();

        assertThat(bob.send(code, "rename", title("")).error().code()).isEqualTo("not_host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{}", "{\"title\": \"\"}", "{\"title\": \"   \"}", "{\"title\": 7}",
            "{\"title\": \"a\\nb\"}"})
    void aRenameWithABadTitleIsABadRequest(String data) {
        String code = room();

        ServerMessage.Reply reply = ann.send(code, "rename", "null".equals(data) ? null : json(data));

        assertThat(reply.error().code()).isEqualTo("bad_request");
        assertThat(cy.events()).isEmpty();
    }

    @Test
    void aRenameToFortyOneCharactersIsABadRequest() {
        String code = room();

        assertThat(ann.send(code, "rename", title("x".repeat(41))).error().code()).isEqualTo("bad_request");
    }

    @Test
    void afterTheHostLeavesTheNewHostMayRename() {
        String code = room();
        ann.leave(code);

        assertThat(bob.send(code, "rename", title("Bob's")).ok()).isTrue();
        assertThat(cy.send(code, "rename", title("Cy's")).error().code()).isEqualTo("not_host");
    }

    // --- other names ---------------------------------------------------------------------

    @Test
    void anUnknownMessageIsRefusedNamingTheOnesChatKnows() {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "dance", text("hi"));

        assertThat(reply.error().code()).isEqualTo("unknown_message");
        assertThat(reply.error().message()).contains("\"message\"").contains("\"rename\"").contains("dance");
        assertNoMessageWasSent();
    }

    @Test
    void anUnknownMessageNameIsEchoedShortAndWithoutControlCharacters() {
        String code = room();

        ServerMessage.Reply reply = bob.send(code, "x\u0007" + "y".repeat(60), null);

        assertThat(reply.error().message()).doesNotContain("\u0007").doesNotContain("y".repeat(40));
    }

    // --- helpers -------------------------------------------------------------------------

    /** A chat with Ann (host), Bob and Cy, and nothing received yet by anyone but presence. */
    private String room() {
        String code = ann.createRoom("chat");
        bob.joinRoom(code);
        cy.joinRoom(code);
        return code;
    }

    private void assertNoMessageWasSent() {
        assertThat(ann.eventNames()).containsOnly("joined");
        assertThat(cy.events()).isEmpty();
    }

    private static ObjectNode text(String text) {
        return Json.nodes().objectNode().put("text", text);
    }

    private static ObjectNode title(String title) {
        return Json.nodes().objectNode().put("title", title);
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
