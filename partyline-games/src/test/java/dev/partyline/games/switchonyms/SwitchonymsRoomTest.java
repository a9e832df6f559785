package dev.partyline.games.switchonyms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.core.game.RoomType;
import dev.partyline.core.room.FakeSession;
import dev.partyline.core.room.RoomHarness;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of Switchonyms at the protocol level: requests through the core's router, and the
 * replies, events and snapshots each player's connection receives. Most tests deal from small
 * made-up lists ({@code nounaa}, {@code verbab}, …) so a word can never be mistaken for a field
 * name or a phase.
 */
class SwitchonymsRoomTest {
    private static final WordLists TEST_WORDS = testWords(60, 60, 60);
    private static final Duration ROUND = Duration.ofSeconds(SwitchonymsRoom.DEFAULT_ROUND_SECONDS);

    private final RoomHarness h = RoomHarness.of(type(TEST_WORDS));
    private final FakeSession ann = h.connect("Ann");
    private final FakeSession bob = h.connect("Bob");
    private final FakeSession cy = h.connect("Cy");
    /** The room of the latest {@link #game}. */
    private String code;

    // --- the room type -------------------------------------------------------------------

    @Nested
    class TheRoomType {

        @Test
        void isNamedSwitchonymsAndSeatsTwelve() {
            RoomType type = new SwitchonymsRoomType().roomType();

            assertThat(type.name()).isEqualTo("switchonyms");
            assertThat(type.maxMembers()).isEqualTo(12);
        }

        @Test
        void aNewRoomIsAnEmptyLobbyWithSixtySecondRounds() {
            ServerMessage.State snapshot = RoomHarness.snapshot(ann.create("switchonyms"));

            ObjectNode expected = (ObjectNode) json("{\"phase\": \"lobby\", \"round\": 0, \"category\": null,"
                    + " \"endsAt\": null, \"roundSeconds\": 60, \"scores\": {}, \"roundScores\": {}, \"switches\": {}, \"players\": [],"
                    + " \"host\": null, \"word\": null, \"guessed\": [], \"winners\": []}");
            ((ObjectNode) expected.get("scores")).put(ann.id(), 0);
            ((ObjectNode) expected.get("roundScores")).put(ann.id(), 0);
            ((ObjectNode) expected.get("switches")).put(ann.id(), 0);
            ((ArrayNode) expected.get("players")).addObject().put("id", ann.id()).put("name", "Ann").put("online", true);
            expected.put("host", ann.id());
            assertThat(snapshot.type()).isEqualTo("switchonyms");
            assertThat(snapshot.state()).isEqualTo(expected);
        }

        @Test
        void theRoundSecondsOptionSetsTheLengthOfEveryRound() {
            String code = ann.createRoom("switchonyms", roundSeconds(20));
            bob.joinRoom(code);
            ann.send(code, "start");

            assertThat(ann.events(code)).filteredOn(e -> e.name().equals("round_started")).singleElement()
                    .satisfies(e -> assertThat(e.data().path("durationMs").asLong()).isEqualTo(20_000));
            h.advance(Duration.ofMillis(19_999));
            assertThat(ann.eventNames()).doesNotContain("round_ended");
            h.advance(Duration.ofMillis(1));
            assertThat(ann.lastEvent().name()).isEqualTo("round_ended");
            assertThat(view(ann, code).path("roundSeconds").asInt()).isEqualTo(20);
        }

        @ParameterizedTest
        @ValueSource(strings = {"19", "301", "0", "-60", "\"60\"", "60.5", "true", "{}", "99999999999"})
        void aRoundLengthOutsideTwentyToThreeHundredSecondsRefusesTheCreate(String value) {
            ObjectNode options = Json.nodes().objectNode();
            options.set("roundSeconds", json(value));

            ServerMessage.Reply reply = ann.create("switchonyms", options);

            assertThat(reply.error().code()).isEqualTo("bad_request");
            assertThat(reply.error().message()).contains("roundSeconds").contains("20").contains("300");
            assertThat(h.rooms().size()).isZero();
        }

        @Test
        void theLimitsOfTheRoundLengthAreAccepted() {
            assertThat(RoomHarness.snapshot(ann.create("switchonyms", roundSeconds(20))).state()
                    .path("roundSeconds").asInt()).isEqualTo(20);
            assertThat(RoomHarness.snapshot(bob.create("switchonyms", roundSeconds(300))).state()
                    .path("roundSeconds").asInt()).isEqualTo(300);
        }

        @Test
        void theServerMinimumLetsRoomsAskForShorterRounds() {
            RoomHarness quick = RoomHarness.of(new SwitchonymsRoomType(1, TEST_WORDS, () -> new Random(1)).roomType());
            FakeSession eve = quick.connect("Eve");

            assertThat(RoomHarness.snapshot(eve.create("switchonyms", roundSeconds(1))).state()
                    .path("roundSeconds").asInt()).isEqualTo(1);
            assertThat(RoomHarness.snapshot(eve.create("switchonyms")).state().path("roundSeconds").asInt())
                    .isEqualTo(60);
            assertThat(eve.create("switchonyms", roundSeconds(0)).error().message()).contains("1 to 300");
        }

        @Test
        void aServerMinimumAboveSixtySecondsIsAlsoTheDefault() {
            RoomHarness slow = RoomHarness.of(new SwitchonymsRoomType(90).roomType());

            assertThat(RoomHarness.snapshot(slow.connect("Eve").create("switchonyms")).state()
                    .path("roundSeconds").asInt()).isEqualTo(90);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 301})
        void aServerMinimumOutsideOneToThreeHundredIsRefused(int seconds) {
            assertThatThrownBy(() -> new SwitchonymsRoomType(seconds)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // --- joining -------------------------------------------------------------------------

    @Nested
    class Joining {

        @Test
        void theThirteenthPlayerFindsTheRoomFull() {
            String code = ann.createRoom("switchonyms");
            for (int i = 2; i <= 12; i++) {
                h.connect("P" + i).joinRoom(code);
            }

            ServerMessage.Reply reply = h.connect("P13").join(code);

            assertThat(reply.error().code()).isEqualTo("room_full");
            assertThat(view(ann, code).path("players")).hasSize(12);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ann", "ann", "ANN", " aNn "})
        void aNameAlreadyInTheRoomIgnoringCaseIsTaken(String name) {
            String code = ann.createRoom("switchonyms");

            ServerMessage.Reply reply = h.connect(name).join(code);

            assertThat(reply.error().code()).isEqualTo("name_taken");
            assertThat(reply.error().message()).contains("Ann");
            assertThat(ann.events()).isEmpty();
            assertThat(view(ann, code).path("players")).hasSize(1);
        }

        @Test
        void aNameIsFreeAgainOnceItsOwnerLeft() {
            String code = game(bob);
            bob.leave(code);

            assertThat(h.connect("BOB").join(code).ok()).isTrue();
        }

        @Test
        void aNameOfSixteenCharactersIsAcceptedAndSeventeenIsNot() {
            String code = ann.createRoom("switchonyms");
            String emoji = "\uD83C\uDF89";

            assertThat(h.connect("x".repeat(16)).join(code).ok()).isTrue();
            assertThat(h.connect(emoji.repeat(16)).join(code).ok()).isTrue();
            ServerMessage.Reply reply = h.connect("y".repeat(17)).join(code);

            assertThat(reply.error().code()).isEqualTo("bad_request");
            assertThat(reply.error().message()).contains("16");
        }

        @Test
        void aHostWithATooLongNameCannotCreateARoom() {
            ServerMessage.Reply reply = h.connect("Bartholomew Jones").create("switchonyms");

            assertThat(reply.error().code()).isEqualTo("bad_request");
            assertThat(h.rooms().size()).isZero();
        }

        @Test
        void aMemberJoiningAgainKeepsItsSeat() {
            String code = game(bob);

            assertThat(bob.join(code).ok()).isTrue();
            assertThat(view(ann, code).path("players")).hasSize(2);
        }

        @Test
        void joiningMidRoundDealsAWordAtOnceAndOnlyToTheJoiner() {
            String code = game(bob);
            ann.send(code, "start");
            clearAll();
            FakeSession dee = h.connect("Dee");

            JsonNode view = dee.joinRoom(code).state();

            String deeWord = view.path("word").textValue();
            assertThat(deeWord).startsWith("noun").isNotEqualTo(word(ann)).isNotEqualTo(word(bob));
            assertThat(view.path("phase").asText()).isEqualTo("round");
            assertThat(view.path("category").asText()).isEqualTo("nouns");
            assertThat(view.path("scores").path(dee.id()).asInt()).isZero();
            assertThat(ann.eventNames()).containsExactly("joined");
            assertThat(texts(ann.received())).doesNotContain(deeWord);
            assertThat(dee.send(code, "switch").ok()).isTrue();
            assertThat(word(dee)).isNotEqualTo(deeWord);
        }

        @Test
        void joiningBetweenRoundsDealsAWordWithTheNextRound() {
            String code = game(bob);
            ann.send(code, "start");
            h.advance(ROUND);
            FakeSession dee = h.connect("Dee");

            assertThat(dee.joinRoom(code).state().path("word").isNull()).isTrue();
            ann.send(code, "next_round");

            assertThat(word(dee)).startsWith("verb");
        }
    }

    // --- start and next_round ------------------------------------------------------------

    @Nested
    class Starting {

        @Test
        void startDealsEveryoneAPrivateWordAndAnnouncesTheRound() {
            String code = game(bob, cy);
            long now = h.clock().millis();

            ServerMessage.Reply reply = ann.send(code, "start");

            assertThat(reply.ok()).isTrue();
            Set<String> dealt = new HashSet<>();
            for (FakeSession player : List.of(ann, bob, cy)) {
                List<ServerMessage.Event> events = player.events(code);
                assertThat(events).extracting(ServerMessage.Event::name).containsExactly("round_started", "word");
                assertThat(events.get(0).from()).isNull();
                assertThat(events.get(0).data()).isEqualTo(json("{\"round\": 1, \"category\": \"nouns\", \"endsAt\": "
                        + (now + 60_000) + ", \"durationMs\": 60000}"));
                ServerMessage.Event word = events.get(1);
                assertThat(word.from()).isNull();
                assertThat(word.data().path("category").asText()).isEqualTo("nouns");
                assertThat(TEST_WORDS.of(Category.NOUNS)).contains(word.data().path("word").asText());
                dealt.add(word.data().path("word").asText());
                JsonNode view = view(player, code);
                assertThat(view.path("phase").asText()).isEqualTo("round");
                assertThat(view.path("round").asInt()).isEqualTo(1);
                assertThat(view.path("endsAt").asLong()).isEqualTo(now + 60_000);
                assertThat(view.path("word").asText()).isEqualTo(word.data().path("word").asText());
            }
            assertThat(dealt).hasSize(3);
        }

        @Test
        void onlyTheHostCanStart() {
            String code = game(bob, cy);

            ServerMessage.Reply reply = bob.send(code, "start");

            assertThat(reply.error().code()).isEqualTo("not_host");
            assertThat(cy.events()).isEmpty();
            assertThat(view(cy, code).path("phase").asText()).isEqualTo("lobby");
        }

        @Test
        void startNeedsTwoPlayersOnline() {
            String code = ann.createRoom("switchonyms");
            assertThat(ann.send(code, "start").error().code()).isEqualTo("not_enough_players");

            bob.joinRoom(code);
            bob.drop();
            ServerMessage.Reply reply = ann.send(code, "start");
            assertThat(reply.error().code()).isEqualTo("not_enough_players");
            assertThat(reply.error().message()).contains("2");

            bob.resume();
            assertThat(ann.send(code, "start").ok()).isTrue();
        }

        @Test
        void startIsTheWrongPhaseDuringARoundAndBetweenRounds() {
            String code = game(bob);
            ann.send(code, "start");

            assertThat(ann.send(code, "start").error().code()).isEqualTo("wrong_phase");
            h.advance(ROUND);
            assertThat(ann.send(code, "start").error().code()).isEqualTo("wrong_phase");
            assertThat(view(ann, code).path("round").asInt()).isEqualTo(1);
        }

        @Test
        void theHostMovesToTheNextRoundOnlyBetweenRounds() {
            String code = game(bob);
            assertThat(ann.send(code, "next_round").error().code()).isEqualTo("wrong_phase");
            ann.send(code, "start");
            assertThat(ann.send(code, "next_round").error().code()).isEqualTo("wrong_phase");
            h.advance(ROUND);

            assertThat(bob.send(code, "next_round").error().code()).isEqualTo("not_host");
            assertThat(ann.send(code, "next_round").ok()).isTrue();

            assertThat(bob.events(code)).filteredOn(e -> e.name().equals("round_started")).last()
                    .satisfies(e -> assertThat(e.data().path("round").asInt()).isEqualTo(2))
                    .satisfies(e -> assertThat(e.data().path("category").asText()).isEqualTo("verbs"));
            assertThat(word(bob)).startsWith("verb");
        }

        @Test
        void notHostComesBeforeWrongPhase() {
            String code = game(bob);
            ann.send(code, "start");

            assertThat(bob.send(code, "start").error().code()).isEqualTo("not_host");
            assertThat(bob.send(code, "next_round").error().code()).isEqualTo("not_host");
        }
    }

    // --- switch --------------------------------------------------------------------------

    @Nested
    class Switching {

        @Test
        void aSwitchDealsANewWordPrivatelyAndTellsEveryoneOnlyTheCount() {
            String code = startedGame(bob, cy);
            String before = word(bob);

            ServerMessage.Reply reply = bob.send(code, "switch");

            assertThat(reply.ok()).isTrue();
            String after = word(bob);
            assertThat(after).startsWith("noun").isNotEqualTo(before);
            assertThat(bob.eventNames()).containsExactly("word", "switched");
            for (FakeSession player : List.of(ann, bob, cy)) {
                ServerMessage.Event switched = player.lastEvent();
                assertThat(switched.name()).isEqualTo("switched");
                assertThat(switched.from()).isEqualTo(bob.id());
                assertThat(switched.data()).isEqualTo(json("{\"player\": \"" + bob.id() + "\", \"switches\": 1}"));
            }
            assertThat(ann.eventNames()).containsExactly("switched");
            assertThat(texts(ann.received())).doesNotContain(before, after);
            assertThat(view(bob, code).path("word").asText()).isEqualTo(after);
            assertThat(view(cy, code).path("switches").path(bob.id()).asInt()).isEqualTo(1);
        }

        @Test
        void aSecondSwitchWithinOneAndAHalfSecondsIsTooFast() {
            String code = startedGame(bob);
            bob.send(code, "switch");
            String current = word(bob);
            h.advance(Duration.ofMillis(1499));

            ServerMessage.Reply reply = bob.send(code, "switch");

            assertThat(reply.error().code()).isEqualTo("too_fast");
            assertThat(word(bob)).isEqualTo(current);
            assertThat(view(ann, code).path("switches").path(bob.id()).asInt()).isEqualTo(1);
            h.advance(Duration.ofMillis(1));
            assertThat(bob.send(code, "switch").ok()).isTrue();
            assertThat(view(ann, code).path("switches").path(bob.id()).asInt()).isEqualTo(2);
        }

        @Test
        void theCooldownIsPerPlayer() {
            String code = startedGame(bob);
            bob.send(code, "switch");

            assertThat(ann.send(code, "switch").ok()).isTrue();
        }

        @Test
        void theFirstSwitchOfARoundIsNeverTooFast() {
            String code = startedGame(bob);
            h.advance(ROUND.minusMillis(500));
            bob.send(code, "switch");
            h.advance(Duration.ofMillis(500));
            ann.send(code, "next_round");

            assertThat(bob.send(code, "switch").ok()).isTrue();
        }

        @Test
        void switchingOutsideARoundIsTheWrongPhase() {
            String code = game(bob);
            assertThat(bob.send(code, "switch").error().code()).isEqualTo("wrong_phase");
            ann.send(code, "start");
            h.advance(ROUND);
            assertThat(bob.send(code, "switch").error().code()).isEqualTo("wrong_phase");
            playToTheEnd(code);
            assertThat(bob.send(code, "switch").error().code()).isEqualTo("wrong_phase");
        }

        @Test
        void switchesAreCountedForTheWholeGame() {
            String code = startedGame(bob);
            bob.send(code, "switch");
            h.advance(ROUND);
            ann.send(code, "next_round");

            bob.send(code, "switch");

            assertThat(bob.lastEvent().data().path("switches").asInt()).isEqualTo(2);
        }
    }

    // --- got_it --------------------------------------------------------------------------

    @Nested
    class GotIt {

        @Test
        void bothScoreTheWordIsRevealedAndTheGiverGetsANewWord() {
            String code = startedGame(bob, cy);
            String word = word(bob);

            ServerMessage.Reply reply = bob.send(code, "got_it", guesser(cy));

            assertThat(reply.ok()).isTrue();
            ObjectNode expected = Json.nodes().objectNode()
                    .put("giver", bob.id()).put("guesser", cy.id()).put("word", word);
            expected.putObject("scores").put(ann.id(), 0).put(bob.id(), 1).put(cy.id(), 1);
            for (FakeSession player : List.of(ann, bob, cy)) {
                ServerMessage.Event scored = player.events(code).stream()
                        .filter(e -> e.name().equals("scored")).findFirst().orElseThrow();
                assertThat(scored.from()).isEqualTo(bob.id());
                assertThat(scored.data()).isEqualTo(expected);
            }
            assertThat(bob.eventNames()).containsExactly("scored", "word");
            assertThat(word(bob)).startsWith("noun").isNotEqualTo(word);
            assertThat(cy.eventNames()).containsExactly("scored");
            JsonNode view = view(cy, code);
            assertThat(view.path("scores")).isEqualTo(expected.get("scores"));
            assertThat(view.path("guessed")).containsExactly(Json.nodes().textNode(word));
        }

        @Test
        void youCannotNameYourself() {
            String code = startedGame(bob);
            String word = word(bob);

            ServerMessage.Reply reply = bob.send(code, "got_it", guesser(bob));

            assertThat(reply.error().code()).isEqualTo("self_guess");
            assertThat(word(bob)).isEqualTo(word);
            assertNoScores(code);
        }

        @Test
        void youCannotNameSomeoneWhoIsNotInTheRoom() {
            String code = startedGame(bob, cy);
            cy.leave(code);
            FakeSession stranger = h.connect("Dee");

            for (String id : List.of("nobody", stranger.id(), cy.id(), "")) {
                ServerMessage.Reply reply = bob.send(code, "got_it", Json.nodes().objectNode().put("guesser", id));
                assertThat(reply.error().code()).isEqualTo("unknown_player");
            }
            assertNoScores(code);
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "{}", "{\"guesser\": 5}", "{\"guesser\": null}", "{\"guesser\": [\"x\"]}",
                "\"guesser\"", "{\"player\": \"x\"}"})
        void aGotItWithoutAGuesserIdIsABadRequest(String data) {
            String code = startedGame(bob);

            ServerMessage.Reply reply = bob.send(code, "got_it", "null".equals(data) ? null : json(data));

            assertThat(reply.error().code()).isEqualTo("bad_request");
            assertThat(reply.error().message()).contains("guesser");
            assertNoScores(code);
        }

        @Test
        void noOneScoresOutsideARound() {
            String code = game(bob);
            assertThat(bob.send(code, "got_it", guesser(ann)).error().code()).isEqualTo("wrong_phase");
            ann.send(code, "start");
            h.advance(ROUND);
            assertThat(bob.send(code, "got_it", guesser(ann)).error().code()).isEqualTo("wrong_phase");
            playToTheEnd(code);
            assertThat(bob.send(code, "got_it", guesser(ann)).error().code()).isEqualTo("wrong_phase");
            assertNoScores(code);
        }

        @Test
        void anAwayPlayerCanBeTheGuesserAsItsPhoneMayJustBeLocked() {
            String code = startedGame(bob, cy);
            cy.drop();

            assertThat(bob.send(code, "got_it", guesser(cy)).ok()).isTrue();
            assertThat(view(ann, code).path("scores").path(cy.id()).asInt()).isEqualTo(1);
        }

        @Test
        void theRevealedWordIsTheServersNotOneTheClientClaims() {
            String code = startedGame(bob);
            String word = word(bob);

            bob.send(code, "got_it", guesser(ann).put("word", "nounzz"));

            assertThat(ann.lastEvent().data().path("word").asText()).isEqualTo(word);
        }
    }

    // --- rounds and the end of the game --------------------------------------------------

    @Nested
    class Rounds {

        @Test
        void theRoundEndsOnTheTimerWithTheScoresAndTheGuessedWords() {
            String code = startedGame(bob, cy);
            String first = word(bob);
            bob.send(code, "got_it", guesser(cy));
            String second = word(cy);
            cy.send(code, "got_it", guesser(bob));
            h.advance(ROUND.minusMillis(1));
            assertThat(ann.eventNames()).doesNotContain("round_ended");
            clearAll();

            h.advance(Duration.ofMillis(1));

            ObjectNode expected = Json.nodes().objectNode().put("round", 1);
            expected.putObject("scores").put(ann.id(), 0).put(bob.id(), 2).put(cy.id(), 2);
            expected.putObject("roundScores").put(ann.id(), 0).put(bob.id(), 2).put(cy.id(), 2);
            expected.putArray("guessed").add(first).add(second);
            for (FakeSession player : List.of(ann, bob, cy)) {
                assertThat(player.eventNames()).containsExactly("round_ended");
                assertThat(player.lastEvent().from()).isNull();
                assertThat(player.lastEvent().data()).isEqualTo(expected);
                JsonNode view = view(player, code);
                assertThat(view.path("phase").asText()).isEqualTo("between");
                assertThat(view.path("word").isNull()).isTrue();
                assertThat(view.path("endsAt").isNull()).isTrue();
                assertThat(view.path("category").asText()).isEqualTo("nouns");
                assertThat(view.path("guessed")).isEqualTo(expected.get("guessed"));
            }
        }

        @Test
        void threeRoundsOfNounsVerbsAndAdjectivesThenTheFinalScoreboard() {
            String code = game(bob, cy);
            ann.send(code, "start");
            List<String> categories = List.of("nouns", "verbs", "adjectives");
            for (int round = 1; round <= 3; round++) {
                String category = categories.get(round - 1);
                assertThat(view(ann, code).path("category").asText()).isEqualTo(category);
                assertThat(ann.events(code)).filteredOn(e -> e.name().equals("word")).last()
                        .satisfies(e -> assertThat(e.data().path("category").asText()).isEqualTo(category));
                bob.send(code, "got_it", guesser(cy));
                if (round == 2) {
                    ann.send(code, "got_it", guesser(bob));
                }
                clearAll();
                h.advance(ROUND);
                if (round < 3) {
                    assertThat(ann.eventNames()).containsExactly("round_ended");
                    ann.send(code, "next_round");
                }
            }

            ObjectNode scores = Json.nodes().objectNode().put(ann.id(), 1).put(bob.id(), 4).put(cy.id(), 3);
            for (FakeSession player : List.of(ann, bob, cy)) {
                assertThat(player.eventNames()).containsExactly("round_ended", "game_over");
                assertThat(player.events().get(0).data().path("round").asInt()).isEqualTo(3);
                ServerMessage.Event over = player.lastEvent();
                assertThat(over.from()).isNull();
                ObjectNode expected = Json.nodes().objectNode();
                expected.set("scores", scores);
                expected.putArray("winners").add(bob.id());
                assertThat(over.data()).isEqualTo(expected);
                JsonNode view = view(player, code);
                assertThat(view.path("phase").asText()).isEqualTo("over");
                assertThat(view.path("round").asInt()).isEqualTo(3);
                assertThat(view.path("scores")).isEqualTo(scores);
                assertThat(view.path("winners")).isEqualTo(expected.get("winners"));
                assertThat(view.path("word").isNull()).isTrue();
            }
            h.advance(Duration.ofMinutes(5));
            assertThat(ann.eventNames()).containsExactly("round_ended", "game_over");
        }

        @Test
        void playersTiedOnTheTopScoreAllWin() {
            String code = startedGame(bob, cy);
            ann.send(code, "got_it", guesser(bob));
            playToTheEnd(code);

            assertThat(ann.lastEvent().data().path("winners"))
                    .containsExactly(Json.nodes().textNode(ann.id()), Json.nodes().textNode(bob.id()));
        }

        @Test
        void whenNoOneScoredNoOneWins() {
            String code = startedGame(bob);
            playToTheEnd(code);

            assertThat(ann.lastEvent().name()).isEqualTo("game_over");
            assertThat(ann.lastEvent().data().path("winners")).isEmpty();
        }

        @Test
        void theHostStartsANewGameWithTheSamePlayersAndFreshScores() {
            String code = startedGame(bob, cy);
            bob.send(code, "got_it", guesser(cy));
            bob.send(code, "switch");
            playToTheEnd(code);
            assertThat(bob.send(code, "start").error().code()).isEqualTo("not_host");
            clearAll();

            assertThat(ann.send(code, "start").ok()).isTrue();

            assertThat(cy.eventNames()).containsExactly("round_started", "word");
            assertThat(cy.events().get(0).data().path("round").asInt()).isEqualTo(1);
            JsonNode view = view(cy, code);
            assertThat(view.path("scores"))
                    .isEqualTo(Json.nodes().objectNode().put(ann.id(), 0).put(bob.id(), 0).put(cy.id(), 0));
            assertThat(view.path("switches"))
                    .isEqualTo(Json.nodes().objectNode().put(ann.id(), 0).put(bob.id(), 0).put(cy.id(), 0));
            assertThat(view.path("winners")).isEmpty();
            assertThat(view.path("guessed")).isEmpty();
        }

        @Test
        void noWordIsDealtTwiceInOneGame() {
            RoomHarness real = RoomHarness.of(type(WordLists.standard()));
            List<FakeSession> players = new ArrayList<>();
            FakeSession host = real.connect("P1");
            String code = host.createRoom("switchonyms");
            players.add(host);
            for (int i = 2; i <= 12; i++) {
                FakeSession player = real.connect("P" + i);
                player.joinRoom(code);
                players.add(player);
            }
            host.send(code, "start");
            for (int round = 1; round <= 3; round++) {
                for (int turn = 0; turn < 10; turn++) {
                    for (int i = 0; i < players.size(); i++) {
                        players.get(i).send(code, "switch");
                        players.get(i).send(code, "got_it", guesser(players.get((i + 1) % players.size())));
                    }
                    real.advance(SwitchonymsRoom.SWITCH_COOLDOWN);
                }
                real.advance(ROUND);
                host.send(code, "next_round");
            }

            List<String> dealt = new ArrayList<>();
            for (FakeSession player : players) {
                for (ServerMessage.Event word : player.events(code)) {
                    if (word.name().equals("word")) {
                        String text = word.data().path("word").asText();
                        Category category = Category.valueOf(word.data().path("category").asText().toUpperCase(Locale.ROOT));
                        assertThat(WordLists.standard().of(category)).contains(text);
                        dealt.add(text);
                    }
                }
            }
            assertThat(dealt).hasSize(3 * 12 * (1 + 10 * 2)).doesNotHaveDuplicates();
            assertThat(host.lastEvent().name()).isEqualTo("game_over");
        }

        @Test
        void wordsUsedInOneGameMayComeBackInTheNext() {
            WordLists few = testWords(2, 2, 2);
            RoomHarness small = RoomHarness.of(type(few));
            FakeSession eve = small.connect("Eve");
            FakeSession fay = small.connect("Fay");
            String code = eve.createRoom("switchonyms");
            fay.joinRoom(code);
            eve.send(code, "start");
            for (int round = 1; round <= 3; round++) {
                small.advance(ROUND);
                eve.send(code, "next_round");
            }

            assertThat(eve.send(code, "start").ok()).isTrue();
            assertThat(Set.of(word(eve), word(fay))).containsExactlyInAnyOrderElementsOf(few.of(Category.NOUNS));
        }

        @Test
        void whenEveryWordOfTheCategoryWasDealtSwitchingIsRefusedAndScoringDealsNone() {
            RoomHarness small = RoomHarness.of(type(testWords(3, 3, 3)));
            FakeSession eve = small.connect("Eve");
            FakeSession fay = small.connect("Fay");
            String code = eve.createRoom("switchonyms");
            fay.joinRoom(code);
            eve.send(code, "start");
            assertThat(eve.send(code, "switch").ok()).isTrue();
            String last = word(fay);

            ServerMessage.Reply reply = fay.send(code, "switch");

            assertThat(reply.error().code()).isEqualTo("out_of_words");
            assertThat(word(fay)).isEqualTo(last);
            assertThat(fay.send(code, "got_it", guesser(eve)).ok()).isTrue();
            assertThat(fay.lastEvent().name()).isEqualTo("word");
            assertThat(fay.lastEvent().data().path("word").isNull()).isTrue();
            assertThat(fay.send(code, "got_it", guesser(eve)).error().code()).isEqualTo("out_of_words");
            FakeSession gus = small.connect("Gus");
            assertThat(gus.joinRoom(code).state().path("word").isNull()).isTrue();
        }
    }

    // --- away, leaving and the host ------------------------------------------------------

    @Nested
    class AwayAndLeaving {

        @Test
        void aDroppedPlayerKeepsItsSeatScoreAndWordAndIsShownAway() {
            String code = startedGame(bob, cy);
            bob.send(code, "got_it", guesser(cy));
            String word = word(bob);

            bob.drop();

            JsonNode view = view(ann, code);
            assertThat(view.path("players")).hasSize(3);
            assertThat(player(view, bob.id()).path("online").asBoolean()).isFalse();
            assertThat(player(view, cy.id()).path("online").asBoolean()).isTrue();
            assertThat(view.path("scores").path(bob.id()).asInt()).isEqualTo(1);
            ann.send(code, "got_it", guesser(cy));

            FakeSession back = bob.resume();

            assertThat(back.states()).hasSize(1);
            JsonNode mine = back.states().get(0).state();
            assertThat(mine.path("word").asText()).isEqualTo(word);
            assertThat(mine.path("scores").path(bob.id()).asInt()).isEqualTo(1);
            assertThat(mine.path("scores").path(ann.id()).asInt()).isEqualTo(1);
            assertThat(player(mine, bob.id()).path("online").asBoolean()).isTrue();
        }

        @Test
        void anAwayPlayerIsDealtAWordWithTheNextRoundAndGetsItBack() {
            String code = startedGame(bob);
            h.advance(ROUND);
            ServerMessage.State seen = bob.joinRoom(code);
            bob.drop();
            ann.send(code, "next_round");

            FakeSession back = h.resume(bob.resumeToken(), bob.connection().remoteAddress(),
                    Map.of(code, new ClientMessage.RoomPosition(seen.epoch(), seen.seq()))).orElseThrow();

            List<ServerMessage.Event> words = back.events(code).stream().filter(e -> e.name().equals("word")).toList();
            assertThat(back.eventNames()).containsExactly("away", "round_started", "word", "back");
            assertThat(words).hasSize(1);
            assertThat(words.get(0).data().path("category").asText()).isEqualTo("verbs");
            // A fresh request id: this handle counts from 1, and the session answers old ids from its replies.
            JsonNode view = RoomHarness.snapshot(back.request(new ClientMessage.Join(1_000, code))).state();
            assertThat(view.path("word").asText()).isEqualTo(words.get(0).data().path("word").asText());
        }

        @Test
        void aPlayerWhoLeavesIsNoLongerScoredAndGetsItsScoreBackOnRejoiningTheSameGame() {
            String code = startedGame(bob, cy);
            bob.send(code, "got_it", guesser(cy));
            bob.leave(code);

            JsonNode view = view(ann, code);
            assertThat(view.path("players")).hasSize(2);
            assertThat(view.path("scores").has(bob.id())).isFalse();

            JsonNode back = bob.joinRoom(code).state();
            assertThat(back.path("scores").path(bob.id()).asInt()).isEqualTo(1);
            assertThat(back.path("word").asText()).startsWith("noun");
        }

        @Test
        void whenTheHostLeavesTheEarliestJoinedPlayerBecomesHost() {
            String code = startedGame(bob, cy);

            ann.leave(code);

            JsonNode view = view(cy, code);
            assertThat(view.path("host").asText()).isEqualTo(bob.id());
            assertThat(coreHost(cy, code)).isEqualTo(bob.id());
            h.advance(ROUND);
            assertThat(cy.send(code, "next_round").error().code()).isEqualTo("not_host");
            assertThat(bob.send(code, "next_round").ok()).isTrue();
        }

        @Test
        void aHostWhoIsOnlyAwayStaysHost() {
            String code = game(bob, cy);

            ann.drop();

            assertThat(view(bob, code).path("host").asText()).isEqualTo(ann.id());
            assertThat(bob.send(code, "start").error().code()).isEqualTo("not_host");
        }

        @Test
        void theViewsHostFollowsTheCoreWhichMayPickAnAwayPlayer() {
            String code = game(bob, cy);
            bob.drop();

            ann.leave(code);

            assertThat(view(cy, code).path("host").asText()).isEqualTo(bob.id()).isEqualTo(coreHost(cy, code));
        }

        @Test
        void theNewHostCanStartANewGameAfterTheOldOneLeft() {
            String code = startedGame(bob, cy);
            playToTheEnd(code);
            ann.leave(code);

            assertThat(cy.send(code, "start").error().code()).isEqualTo("not_host");
            assertThat(bob.send(code, "start").ok()).isTrue();
        }

        @Test
        void theRoundGoesOnWhenPlayersLeave() {
            String code = startedGame(bob, cy);
            bob.leave(code);
            cy.leave(code);

            h.advance(ROUND);

            assertThat(ann.lastEvent().name()).isEqualTo("round_ended");
        }
    }

    // --- words stay secret ---------------------------------------------------------------

    @Nested
    class Secrecy {

        @Test
        void noOneEverReceivesAnotherPlayersWordUntilItIsGuessed() {
            String code = startedGame(bob, cy);
            bob.send(code, "switch");
            cy.send(code, "switch");
            bob.send(code, "got_it", guesser(ann));
            FakeSession dee = h.connect("Dee");
            dee.joinRoom(code);
            cy.drop();
            h.advance(Duration.ofSeconds(2));
            ann.send(code, "switch");
            bob.send(code, "switch");
            FakeSession cyBack = cy.resume();
            dee.send(code, "got_it", guesser(cyBack));
            h.advance(ROUND);
            ann.send(code, "next_round");
            cyBack.send(code, "switch");
            ann.send(code, "got_it", guesser(dee));
            for (FakeSession player : List.of(ann, bob, cyBack, dee)) {
                view(player, code);
            }

            Map<String, Set<String>> dealt = new HashMap<>();
            Set<String> revealed = new HashSet<>();
            Map<String, List<ServerMessage>> received = new HashMap<>();
            for (FakeSession player : List.of(ann, bob, cy, cyBack, dee)) {
                received.computeIfAbsent(player.id(), id -> new ArrayList<>()).addAll(player.received());
            }
            received.forEach((id, messages) -> {
                for (ServerMessage message : messages) {
                    if (message instanceof ServerMessage.Event event && event.name().equals("word")) {
                        dealt.computeIfAbsent(id, k -> new HashSet<>()).add(event.data().path("word").asText());
                    }
                    if (message instanceof ServerMessage.Event event && event.name().equals("scored")) {
                        revealed.add(event.data().path("word").asText());
                    }
                    for (JsonNode state : states(message)) {
                        if (!state.path("word").isNull()) {
                            dealt.computeIfAbsent(id, k -> new HashSet<>()).add(state.path("word").asText());
                        }
                    }
                }
            });
            assertThat(dealt.keySet()).hasSize(4);
            assertThat(revealed).hasSize(3);
            received.forEach((id, messages) -> {
                Set<String> seen = texts(messages);
                dealt.forEach((owner, words) -> {
                    if (!owner.equals(id)) {
                        Set<String> leaked = new HashSet<>(words);
                        leaked.retainAll(seen);
                        leaked.removeAll(revealed);
                        assertThat(leaked).as("words of %s seen by %s", owner, id).isEmpty();
                    }
                });
            });
        }

        @Test
        void everyWordEventGoesToItsOwnPlayerAndNamesNoOne() {
            String code = game(bob, cy);
            ann.send(code, "start");
            bob.send(code, "switch");
            cy.send(code, "got_it", guesser(ann));

            for (FakeSession player : List.of(ann, bob, cy)) {
                for (ServerMessage.Event word : player.events(code)) {
                    if (word.name().equals("word")) {
                        assertThat(word.from()).isNull();
                        assertThat(word.data().fieldNames()).toIterable().containsExactlyInAnyOrder("word", "category");
                    }
                }
            }
            assertThat(ann.eventNames()).containsExactly("round_started", "word", "switched", "scored");
            assertThat(bob.eventNames()).containsExactly("round_started", "word", "word", "switched", "scored");
            assertThat(cy.eventNames()).containsExactly("round_started", "word", "switched", "scored", "word");
        }

        @ParameterizedTest
        @ValueSource(strings = {"word", "set_word", "deal", "reveal", "peek", "view", "words", "score", "end_round",
                "START", "Switch"})
        void aClientCannotSetReadOrForceAnythingWithOtherMessages(String name) {
            String code = startedGame(bob);
            String bobWord = word(bob);
            String annWord = word(ann);
            clearAll();

            ObjectNode data = Json.nodes().objectNode().put("word", "nounzz").put("player", ann.id());
            ServerMessage.Reply reply = bob.send(code, name, data);

            assertThat(reply.error().code()).isEqualTo("unknown_message");
            assertThat(reply.error().message()).contains("\"start\"").contains("\"switch\"").contains("\"got_it\"")
                    .contains("\"next_round\"").doesNotContain(annWord);
            assertThat(bob.events()).isEmpty();
            assertThat(ann.events()).isEmpty();
            assertThat(view(bob, code).path("word").asText()).isEqualTo(bobWord);
            assertThat(view(ann, code).path("word").asText()).isEqualTo(annWord);
        }

        @Test
        void anUnknownMessageNameIsEchoedShortAndWithoutControlCharacters() {
            String code = game(bob);

            ServerMessage.Reply reply = bob.send(code, "x\u0007" + "y".repeat(60), null);

            assertThat(reply.error().message()).doesNotContain("\u0007").doesNotContain("y".repeat(40));
        }

        @Test
        void theViewHoldsOnlyTheViewersOwnWord() {
            String code = startedGame(bob, cy);

            Map<FakeSession, String> words = Map.of(ann, word(ann), bob, word(bob), cy, word(cy));

            for (FakeSession player : List.of(ann, bob, cy)) {
                ServerMessage.Reply reply = player.join(code);
                assertThat(RoomHarness.snapshot(reply).state().path("word").asText()).isEqualTo(words.get(player));
                Set<String> texts = texts(List.of(reply));
                words.forEach((other, word) -> {
                    if (other != player) {
                        assertThat(texts).doesNotContain(word);
                    }
                });
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------

    private static RoomType type(WordLists words) {
        return new SwitchonymsRoomType(SwitchonymsRoomType.DEFAULT_MIN_ROUND_SECONDS, words, () -> new Random(42))
                .roomType();
    }

    /** Lists of made-up words ({@code nounaa}, {@code nounab}, … {@code verbaa}, … {@code adjaa}, …). */
    static WordLists testWords(int nouns, int verbs, int adjectives) {
        return new WordLists(made("noun", nouns), made("verb", verbs), made("adj", adjectives));
    }

    private static List<String> made(String prefix, int count) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add(prefix + (char) ('a' + i / 26) + (char) ('a' + i % 26));
        }
        return words;
    }

    /** Ann's room with the others joined, in that order; nothing received yet by anyone. */
    private String game(FakeSession... others) {
        code = ann.createRoom("switchonyms");
        for (FakeSession other : others) {
            other.joinRoom(code);
        }
        clearAll();
        return code;
    }

    /** {@link #game} with round 1 started; nothing received yet but the round's start. */
    private String startedGame(FakeSession... others) {
        String code = game(others);
        assertThat(ann.send(code, "start").ok()).isTrue();
        clearAll();
        return code;
    }

    /** Lets the current round run out and plays the rest of the game with no one scoring. */
    private void playToTheEnd(String code) {
        h.advance(ROUND);
        while (ann.send(code, "next_round").ok()) {
            h.advance(ROUND);
        }
        assertThat(view(ann, code).path("phase").asText()).isEqualTo("over");
    }

    private void clearAll() {
        for (FakeSession player : List.of(ann, bob, cy)) {
            player.clear();
        }
    }

    /**
     * The player's latest word: from its own {@code word} events, or from its view when none
     * arrived since the last {@link #clearAll} (asking for the view adds a reply, not an event).
     */
    private String word(FakeSession player) {
        List<ServerMessage.Event> events = player.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).name().equals("word")) {
                return events.get(i).data().path("word").textValue();
            }
        }
        return view(player, code).path("word").textValue();
    }

    /** The player's view, from the snapshot of joining again (a member keeps its seat). */
    private static JsonNode view(FakeSession player, String code) {
        return player.joinRoom(code).state();
    }

    private static String coreHost(FakeSession player, String code) {
        return player.joinRoom(code).members().stream().filter(ServerMessage.MemberInfo::host)
                .map(ServerMessage.MemberInfo::id).findFirst().orElse(null);
    }

    private static JsonNode player(JsonNode view, String id) {
        for (JsonNode player : view.path("players")) {
            if (player.path("id").asText().equals(id)) {
                return player;
            }
        }
        throw new AssertionError("no player " + id + " in " + view);
    }

    private void assertNoScores(String code) {
        assertThat(ann.eventNames()).doesNotContain("scored");
        view(ann, code).path("scores").forEach(score -> assertThat(score.asInt()).isZero());
    }

    private static ObjectNode guesser(FakeSession player) {
        return Json.nodes().objectNode().put("guesser", player.id());
    }

    private static ObjectNode roundSeconds(int seconds) {
        return Json.nodes().objectNode().put("roundSeconds", seconds);
    }

    /** The game views a message carries: a snapshot's state, or the one in a join or create reply. */
    private static List<JsonNode> states(ServerMessage message) {
        if (message instanceof ServerMessage.State state) {
            return List.of(state.state());
        }
        if (message instanceof ServerMessage.Reply reply && reply.ok() && reply.data() != null
                && reply.data().has("state")) {
            return List.of(reply.data().get("state"));
        }
        return List.of();
    }

    /** Every string value and field name anywhere in these messages, as they go on the wire. */
    private Set<String> texts(List<ServerMessage> messages) {
        Set<String> texts = new HashSet<>();
        for (ServerMessage message : messages) {
            collect(json(new String(h.codec().encode(message), java.nio.charset.StandardCharsets.UTF_8)), texts);
        }
        return texts;
    }

    private static void collect(JsonNode node, Set<String> texts) {
        if (node.isTextual()) {
            texts.add(node.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            texts.add(field.getKey());
            collect(field.getValue(), texts);
        }
        if (node.isArray()) {
            node.forEach(element -> collect(element, texts));
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
