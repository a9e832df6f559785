package dev.partyline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.room.RoomSettings;
import dev.partyline.games.Games;
import dev.partyline.protocol.Json;
import dev.partyline.server.PartylineServer;
import dev.partyline.server.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Switchonyms in three real browsers (headless Chromiums emulating 390×844 phones) against a real
 * node that allows 1-second rounds: Ann hosts from the landing page, Bob joins by typing the code,
 * Carl opens the join link (what the QR code holds). Everything is driven by clicks. Screenshots
 * of the lobby, a round and the final screen go to {@code target/screenshots/} for review.
 *
 * <p>The drop tests serve Bob's page through a {@link LoopbackProxy} and cut it mid-round: once
 * with the room's event log intact (the page resumes and gets the missed events replayed), once
 * with a log of one event (the page gets a resync snapshot and draws the game again from it).
 */
class SwitchonymsBrowserTest {
    private static final Duration WAIT = HeadlessChromium.WAIT;
    /**
     * Short rounds for the full game: a round's clicks and checks take about 1 to 3 s (the first
     * round checks the most), so this leaves a wide margin and still keeps the test quick.
     */
    private static final int SHORT_ROUND_SECONDS = 6;
    /** A round the drop tests never see the end of. */
    private static final int LONG_ROUND_SECONDS = 60;

    private static BrowserGroup browsers;
    private static GameServer server;
    private static HeadlessChromium ann;
    private static HeadlessChromium bob;
    private static HeadlessChromium carl;

    @BeforeAll
    static void start() throws Exception {
        browsers = BrowserGroup.start(3);
        server = GameServer.start(UnaryOperator.identity());
        ann = browsers.get(0);
        bob = browsers.get(1);
        carl = browsers.get(2);
    }

    @AfterAll
    static void stop() {
        if (browsers != null) {
            browsers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void threePhonesPlayThreeRoundsWithSwitchesAndScoresAndSeeTheSameFinalScoreboard() throws IOException {
        // The lobby: Ann hosts, Bob types the code, Carl opens the join link.
        String code = host(ann, server.url(""), "Ann", SHORT_ROUND_SECONDS);
        assertThat(ann.byTestId("sw-code").getText()).isEqualTo(code);
        assertThat(ann.byTestId("sw-link").getText()).isEqualTo(server.url("/r/" + code));
        assertThat(ann.byTestId("sw-qr").getAttribute("src")).isEqualTo(server.url("/qr/" + code + ".svg"));
        waitUntil(() -> assertThat(ann.<Long>script(
                "const img = document.querySelector('[data-testid=sw-qr]'); return img.complete ? img.naturalWidth : 0"))
                .isPositive());
        assertThat(ann.byTestId("sw-start").isEnabled()).isFalse();
        assertThat(ann.byTestId("sw-start-hint").isDisplayed()).isTrue();
        assertThat(ann.byTestId("sw-rules").getText()).contains(SHORT_ROUND_SECONDS + " s");

        // A name someone in the room has already (ignoring case) is refused; another one works.
        bob.openFresh(server.url("/"), server.url("/"));
        waitUntil(() -> assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue());
        bob.byTestId("name-input").sendKeys("ann");
        bob.byTestId("code-input").sendKeys(code);
        bob.byTestId("join-button").click();
        waitUntil(() -> assertThat(bob.byTestId("error").getAttribute("data-code")).isEqualTo("name_taken"));
        assertThat(bob.byTestId("error-text").getText())
                .isEqualTo("Someone in that room already has that name: pick another one.");
        assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue();
        bob.byTestId("name-input").clear();
        bob.byTestId("code-input").clear();
        joinByCode(bob, server.url(""), "Bob", code);
        assertThat(bob.byTestId("error").isDisplayed()).isFalse();
        joinByLink(carl, server.url(""), "Carl", code);
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("Ann", myId(ann));
        ids.put("Bob", myId(bob));
        ids.put("Carl", myId(carl));
        assertThat(new HashSet<>(ids.values())).hasSize(3);
        for (HeadlessChromium page : all()) {
            waitUntil(() -> assertThat(lobbyPlayers(page)).containsExactly("Ann host", "Bob", "Carl"));
            assertFitsThePhoneWidth(page);
        }
        assertThat(bob.byTestId("sw-start").isDisplayed()).isFalse();
        assertThat(bob.byTestId("sw-waiting").getText()).isEqualTo("Waiting for the host (Ann) to start the game…");
        waitUntil(() -> assertThat(ann.byTestId("sw-start").isEnabled()).isTrue());
        assertThat(ann.byTestId("sw-start-hint").isDisplayed()).isFalse();
        assertThat(ann.byTestId("sw-waiting").isDisplayed()).isFalse();
        assertTouchTargets(ann);
        ann.screenshot("switchonyms-lobby");
        Set<String> uiWords = uiWords(ann);

        // Three rounds. Each: everyone has a word of their own, a few switch, givers tap Got it
        // and pick the guesser. Expected totals: Ann 4, Bob 3, Carl 3.
        List<List<List<String>>> plays = List.of(
                List.of(List.of("Ann", "Bob"), List.of("Carl", "Ann")),
                List.of(List.of("Bob", "Carl"), List.of("Ann", "Carl")),
                List.of(List.of("Ann", "Bob")));
        List<List<String>> switchers = List.of(List.of("Bob"), List.of("Carl", "Ann"), List.of("Ann"));
        List<String> categories = List.of("Nouns", "Verbs", "Adjectives");
        Map<String, Integer> scores = new LinkedHashMap<>(Map.of("Ann", 0, "Bob", 0, "Carl", 0));
        Map<String, Integer> switches = new LinkedHashMap<>(Map.of("Ann", 0, "Bob", 0, "Carl", 0));
        ann.byTestId("sw-start").click();

        for (int round = 1; round <= 3; round++) {
            int number = round;
            for (HeadlessChromium page : all()) {
                waitUntil(() -> {
                    assertThat(page.byTestId("sw-round").isDisplayed()).isTrue();
                    assertThat(page.byTestId("sw-round-number").getText()).isEqualTo("Round " + number + " of 3");
                    assertThat(page.byTestId("sw-category").getText()).isEqualTo(categories.get(number - 1));
                    assertThat(word(page)).matches("[a-z]+");
                });
                assertThat(page.byTestId("sw-countdown").getText()).matches("0:0[0-" + SHORT_ROUND_SECONDS + "]");
            }
            // Every private word any player held this round; guessed ones become public.
            Map<String, Set<String>> held = new LinkedHashMap<>();
            for (String name : ids.keySet()) {
                held.computeIfAbsent(name, n -> new HashSet<>()).add(word(page(name)));
            }
            assertThat(held.values().stream().flatMap(Set::stream).distinct().count()).isEqualTo(3);

            for (String name : switchers.get(round - 1)) {
                HeadlessChromium page = page(name);
                String before = word(page);
                page.byTestId("sw-switch").click();
                waitUntil(() -> assertThat(word(page)).isNotEqualTo(before).matches("[a-z]+"));
                // The Switch button rests for the server's cooldown.
                assertThat(page.byTestId("sw-switch").getAttribute("data-cooldown")).isEqualTo("true");
                assertThat(page.byTestId("sw-switch").isEnabled()).isFalse();
                held.get(name).add(word(page));
                switches.merge(name, 1, Integer::sum);
            }

            List<String> guessed = new ArrayList<>();
            for (List<String> play : plays.get(round - 1)) {
                String giver = play.get(0);
                String guesser = play.get(1);
                HeadlessChromium page = page(giver);
                String secret = word(page);
                page.byTestId("sw-gotit").click();
                waitUntil(() -> assertThat(page.byTestId("sw-picker").isDisplayed()).isTrue());
                if (round == 1) {
                    assertThat(page.byTestId("sw-picker-title").getText()).isEqualTo("Who said “" + secret + "”?");
                    // The pick offers the others, never oneself.
                    List<String> offered = page.script("return [...document.querySelectorAll("
                            + "'[data-testid=sw-guesser]')].map(b => b.dataset.id)");
                    assertThat(offered).containsExactlyInAnyOrderElementsOf(ids.entrySet().stream()
                            .filter(e -> !e.getKey().equals(giver)).map(Map.Entry::getValue).toList());
                    if (giver.equals("Ann")) {
                        ann.screenshot("switchonyms-pick");
                    }
                }
                page.driver().findElement(By.cssSelector(
                        "[data-testid=sw-guesser][data-id='" + ids.get(guesser) + "']")).click();
                scores.merge(giver, 1, Integer::sum);
                scores.merge(guesser, 1, Integer::sum);
                guessed.add(secret);
                held.get(giver).remove(secret);
                waitUntil(() -> {
                    assertThat(page.byTestId("sw-picker").isDisplayed()).isFalse();
                    assertThat(word(page)).isNotEqualTo(secret).matches("[a-z]+");
                });
                held.get(giver).add(word(page));
                if (round > 1) {
                    continue; // the scoreboard after the round checks the later rounds' scores
                }
                // Everyone sees the score and the word at once.
                for (HeadlessChromium other : all()) {
                    String expected = other == page ? guesser + " guessed your word: " + secret
                            : other == page(guesser) ? "You guessed " + giver + "'s word: " + secret
                            : guesser + " guessed " + giver + "'s word: " + secret;
                    waitUntil(() -> {
                        assertThat(toasts(other)).contains(expected);
                        assertThat(compactScores(other)).isEqualTo(scoreLine(scores));
                    });
                }
                if (round == 1 && giver.equals("Carl")) {
                    ann.screenshot("switchonyms-round");
                }
            }

            // Nobody's page shows a word someone else holds (or switched away).
            for (String name : ids.keySet()) {
                assertShowsNoneOf(page(name), held.entrySet().stream().filter(e -> !e.getKey().equals(name))
                        .flatMap(e -> e.getValue().stream()).collect(Collectors.toSet()), uiWords);
            }

            // The round ends on the server's timer.
            String screen = round < 3 ? "sw-between" : "sw-final";
            for (HeadlessChromium page : all()) {
                await().atMost(Duration.ofSeconds(SHORT_ROUND_SECONDS).plus(WAIT)).pollInterval(Duration.ofMillis(50))
                        .ignoreExceptions().untilAsserted(() -> assertThat(page.byTestId(screen).isDisplayed()).isTrue());
                assertThat(page.byTestId("sw-round").isDisplayed()).isFalse();
                assertThat(guessedWords(page, round < 3 ? "sw-guessed" : "sw-final-guessed")).isEqualTo(guessed);
                assertFitsThePhoneWidth(page);
            }
            if (round < 3) {
                assertThat(ann.byTestId("sw-between-title").getText())
                        .isEqualTo("Round " + round + " of 3 is over: " + categories.get(round - 1));
                for (HeadlessChromium page : all()) {
                    assertThat(boardRows(page)).isEqualTo(boardRows(ann));
                }
                assertThat(boardRows(ann)).containsExactlyElementsOf(expectedBoard(scores, switches, Set.of()));
                assertThat(bob.byTestId("sw-next-round").isDisplayed()).isFalse();
                assertThat(bob.byTestId("sw-between-waiting").getText())
                        .isEqualTo("Waiting for the host (Ann) to start round " + (round + 1) + "…");
                assertThat(ann.byTestId("sw-next-round").getText()).isEqualTo("Next round: " + categories.get(round));
                if (round == 1) {
                    ann.screenshot("switchonyms-between");
                }
                ann.byTestId("sw-next-round").click();
            }
        }

        // The final scoreboard: the same on every phone, Ann the winner.
        assertThat(scores).isEqualTo(Map.of("Ann", 4, "Bob", 3, "Carl", 3));
        List<String> expectedFinal = expectedBoard(scores, switches, Set.of("Ann"));
        for (HeadlessChromium page : all()) {
            waitUntil(() -> {
                assertThat(page.byTestId("sw-winners").getText()).isEqualTo("★ Ann wins!");
                assertThat(boardRows(page)).containsExactlyElementsOf(expectedFinal);
            });
        }
        assertThat(ann.byTestId("sw-new-game").isDisplayed()).isTrue();
        assertThat(carl.byTestId("sw-new-game").isDisplayed()).isFalse();
        assertThat(carl.byTestId("sw-final-waiting").getText()).isEqualTo("Waiting for the host (Ann) to start a new game…");
        assertFitsThePhoneWidth(ann);
        ann.screenshot("switchonyms-final");

        // A new game with the same players: everyone back at zero, in round 1.
        ann.byTestId("sw-new-game").click();
        for (HeadlessChromium page : all()) {
            waitUntil(() -> {
                assertThat(page.byTestId("sw-round").isDisplayed()).isTrue();
                assertThat(page.byTestId("sw-round-number").getText()).isEqualTo("Round 1 of 3");
                assertThat(compactScores(page)).isEqualTo("Ann 0, Bob 0, Carl 0");
            });
        }
        assertThat(ann.byTestId("error").isDisplayed()).isFalse();

        // Carl leaves: his page is back on the landing page, the others see him gone.
        carl.byTestId("sw-leave").click();
        waitUntil(() -> {
            assertThat(carl.byTestId("landing-view").isDisplayed()).isTrue();
            assertThat(carl.byTestId("game-view").isDisplayed()).isFalse();
            assertThat(carl.currentUrl()).isEqualTo(server.url("/"));
        });
        for (HeadlessChromium page : List.of(ann, bob)) {
            waitUntil(() -> assertThat(compactScores(page)).isEqualTo("Ann 0, Bob 0"));
        }
    }

    @Test
    void aPlayerWhosePageLosesItsConnectionMidRoundComesBackWithWordScoreAndTheOthersProgressReplayed()
            throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.to(server.port())) {
            List<JsonNode> states = dropBobMidRoundAndBringHimBack(server, proxy);
            assertThat(states).as("a resume with the log intact replays, it does not resync").isEmpty();
        }
    }

    @Test
    void aPlayerWhoMissedMoreThanTheEventLogIsRedrawnFromTheResyncSnapshotWithItsOwnWord() throws Exception {
        try (GameServer small = GameServer.start(c -> c.withRooms(c.rooms().withEventLog(1, Duration.ofMinutes(10))));
                LoopbackProxy proxy = LoopbackProxy.to(small.port())) {
            List<JsonNode> states = dropBobMidRoundAndBringHimBack(small, proxy);
            assertThat(states).hasSize(1);
            assertThat(states.get(0).path("resync").asBoolean()).isTrue();
            assertThat(states.get(0).path("type").asText()).isEqualTo("switchonyms");
        }
    }

    /**
     * Ann hosts on {@code node}, Bob joins through {@code proxy}, Carl directly; mid-round the proxy
     * cuts Bob off and holds his reconnection while Ann and Carl play on (Ann even names Bob as her
     * guesser: away players count). When Bob is back, his page shows his own word, his score and
     * everyone else's, and he plays on. Returns the {@code state} frames Bob's page received.
     */
    private static List<JsonNode> dropBobMidRoundAndBringHimBack(GameServer node, LoopbackProxy proxy)
            throws IOException {
        String code = host(ann, node.url(""), "Ann", LONG_ROUND_SECONDS);
        bob.openFresh(proxy.baseUrl() + "/", proxy.baseUrl() + "/");
        waitUntil(() -> assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue());
        bob.tapWebSocketFrames();
        joinByCode(bob, proxy.baseUrl(), "Bob", code);
        joinByLink(carl, node.url(""), "Carl", code);
        String annId = myId(ann);
        String bobId = myId(bob);
        String carlId = myId(carl);
        waitUntil(() -> assertThat(ann.byTestId("sw-start").isEnabled()).isTrue());
        Set<String> uiWords = uiWords(bob);
        ann.byTestId("sw-start").click();
        for (HeadlessChromium page : all()) {
            waitUntil(() -> assertThat(word(page)).matches("[a-z]+"));
        }

        // Before the drop: Bob scores with Carl and switches.
        gotIt(bob, carlId);
        String bobsSwitched = word(bob);
        bob.byTestId("sw-switch").click();
        waitUntil(() -> assertThat(word(bob)).isNotEqualTo(bobsSwitched).matches("[a-z]+"));
        String bobsWord = word(bob);
        waitUntil(() -> assertThat(compactScores(carl)).isEqualTo("Bob 1, Carl 1, Ann 0"));

        // The drop: Bob's page says so, the others see him away.
        proxy.pause();
        proxy.cutAll();
        waitUntil(() -> {
            assertThat(bob.byTestId("connection-banner").isDisplayed()).isTrue();
            assertThat(bob.byTestId("connection-text").getText()).isEqualTo("Reconnecting…");
        });
        waitUntil(() -> assertThat(awayIn(ann)).containsExactly(bobId));
        // The game goes on without him: Ann names him, Carl switches twice and scores with Ann.
        gotIt(ann, bobId);
        String carlsFirst = word(carl);
        carl.byTestId("sw-switch").click();
        waitUntil(() -> assertThat(word(carl)).isNotEqualTo(carlsFirst));
        gotIt(carl, annId);
        waitUntil(() -> assertThat(compactScores(ann)).isEqualTo("Ann 2, Bob 2, Carl 2"));
        // Still down: Bob's page shows what it had.
        assertThat(word(bob)).isEqualTo(bobsWord);
        assertThat(compactScores(bob)).isEqualTo("Bob 1, Carl 1, Ann 0");
        bob.screenshot("switchonyms-dropped");

        proxy.resume();
        waitUntil(() -> {
            assertThat(bob.byTestId("connection-banner").isDisplayed()).isFalse();
            assertThat(bob.byTestId("sw-round").isDisplayed()).isTrue();
            assertThat(word(bob)).isEqualTo(bobsWord);
            assertThat(compactScores(bob)).isEqualTo("Ann 2, Bob 2, Carl 2");
            assertThat(awayIn(bob)).isEmpty();
        });
        waitUntil(() -> assertThat(awayIn(ann)).isEmpty());
        assertThat(bob.byTestId("sw-category").getText()).isEqualTo("Nouns");
        assertThat(bob.byTestId("sw-countdown").getText()).matches("0:[0-5]\\d|1:00");
        assertThat(bob.byTestId("sw-gotit").isEnabled()).isTrue();
        // Ann's and Carl's current words are still theirs alone.
        assertShowsNoneOf(bob, Set.of(word(ann), word(carl)), uiWords);
        bob.screenshot("switchonyms-recovered");

        // He plays on, on the same seat.
        assertThat(myId(bob)).isEqualTo(bobId);
        gotIt(bob, annId);
        for (HeadlessChromium page : all()) {
            waitUntil(() -> assertThat(compactScores(page)).isEqualTo("Ann 3, Bob 3, Carl 2"));
        }
        assertThat(bob.byTestId("error").isDisplayed()).isFalse();
        assertThat(bob.byTestId("sw-notice").isDisplayed()).isFalse();
        List<JsonNode> states = received(bob).stream().filter(frame -> frame.path("t").asText().equals("state")).toList();

        // Reloading the page resumes the same seat: the same word and scores, drawn from the snapshot.
        String wordBeforeReload = word(bob);
        bob.driver().navigate().refresh();
        waitUntil(() -> {
            assertThat(bob.byTestId("sw-round").isDisplayed()).isTrue();
            assertThat(word(bob)).isEqualTo(wordBeforeReload);
            assertThat(compactScores(bob)).isEqualTo("Ann 3, Bob 3, Carl 2");
        });
        assertThat(myId(bob)).isEqualTo(bobId);
        return states;
    }

    // ------------------------------------------------------------------ the pages

    private static List<HeadlessChromium> all() {
        return List.of(ann, bob, carl);
    }

    private static HeadlessChromium page(String name) {
        return switch (name) {
            case "Ann" -> ann;
            case "Bob" -> bob;
            case "Carl" -> carl;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Opens the landing page with nothing stored, hosts a Switchonyms game, returns its code. */
    private static String host(HeadlessChromium page, String base, String name, int roundSeconds) {
        page.openFresh(base + "/", base + "/?roundSeconds=" + roundSeconds);
        waitUntil(() -> assertThat(page.byTestId("landing-view").isDisplayed()).isTrue());
        assertThat(page.byTestId("round-seconds").getAttribute("value")).isEqualTo(String.valueOf(roundSeconds));
        page.byTestId("name-input").sendKeys(name);
        assertFitsThePhoneWidth(page);
        page.screenshot("switchonyms-landing");
        page.byTestId("host-button").click();
        waitUntil(() -> {
            assertThat(page.byTestId("sw-lobby").isDisplayed()).isTrue();
            assertThat(page.byTestId("sw-code").getText()).matches("[A-HJ-NP-Z]{4}");
        });
        assertThat(page.byTestId("room-view").isDisplayed()).isFalse();
        assertThat(page.byTestId("landing-view").isDisplayed()).isFalse();
        String code = page.byTestId("sw-code").getText();
        assertThat(page.currentUrl()).isEqualTo(base + "/r/" + code);
        return code;
    }

    /** Types a name and the code on the landing page (already open, or opened fresh) and joins. */
    private static void joinByCode(HeadlessChromium page, String base, String name, String code) {
        if (!page.currentUrl().equals(base + "/")) {
            page.openFresh(base + "/", base + "/");
        }
        waitUntil(() -> assertThat(page.byTestId("landing-view").isDisplayed()).isTrue());
        page.byTestId("name-input").sendKeys(name);
        page.byTestId("code-input").sendKeys(code.toLowerCase(Locale.ROOT));
        page.byTestId("join-button").click();
        awaitLobby(page, code);
    }

    /** Opens the join link (what the QR code holds), types a name and joins. */
    private static void joinByLink(HeadlessChromium page, String base, String name, String code) {
        page.openFresh(base + "/", base + "/r/" + code);
        waitUntil(() -> assertThat(page.byTestId("join-hint").isDisplayed()).isTrue());
        page.byTestId("name-input").sendKeys(name);
        page.byTestId("join-button").click();
        awaitLobby(page, code);
    }

    private static void awaitLobby(HeadlessChromium page, String code) {
        waitUntil(() -> {
            assertThat(page.byTestId("sw-lobby").isDisplayed()).isTrue();
            assertThat(page.byTestId("sw-code").getText()).isEqualTo(code);
        });
    }

    /** Taps Got it and picks the guesser; waits until the page has a new word. */
    private static void gotIt(HeadlessChromium page, String guesserId) {
        String before = word(page);
        page.byTestId("sw-gotit").click();
        waitUntil(() -> assertThat(page.byTestId("sw-picker").isDisplayed()).isTrue());
        page.driver().findElement(By.cssSelector("[data-testid=sw-guesser][data-id='" + guesserId + "']")).click();
        waitUntil(() -> assertThat(word(page)).isNotEqualTo(before).matches("[a-z]+"));
    }

    private static String word(HeadlessChromium page) {
        return page.byTestId("sw-word").getText();
    }

    private static String myId(HeadlessChromium page) {
        return page.script("return document.querySelector("
                + "'[data-testid=sw-player].me, [data-testid=sw-score-row].me')?.dataset.id ?? null");
    }

    /** The lobby's players as "Name" plus " host" / " away" markers, in join order. */
    private static List<String> lobbyPlayers(HeadlessChromium page) {
        return page.script("return [...document.querySelectorAll('[data-testid=sw-player]')].map(p =>"
                + " p.querySelector('.sw-name').textContent + (p.dataset.host === 'true' ? ' host' : '')"
                + " + (p.dataset.online === 'true' ? '' : ' away'))");
    }

    /** The scoreboard as shown during a round: "Ann 2, Bob 1, Carl 0", best first. */
    private static String compactScores(HeadlessChromium page) {
        List<String> rows = page.script("return [...document.querySelectorAll('[data-testid=sw-score-row]')].map(r =>"
                + " r.querySelector('[data-testid=sw-score-name]').textContent + ' '"
                + " + r.querySelector('[data-testid=sw-points]').textContent)");
        return String.join(", ", rows);
    }

    /** The ids of the scoreboard's rows marked away. */
    private static List<String> awayIn(HeadlessChromium page) {
        return page.script("return [...document.querySelectorAll('[data-testid=sw-score-row]')]"
                + ".filter(r => r.querySelector('[data-testid=sw-away-marker]')).map(r => r.dataset.id)");
    }

    /** The scoreboard between rounds and at the end: "rank name ⇄switches +round points winner?". */
    private static List<String> boardRows(HeadlessChromium page) {
        return page.script("return [...document.querySelectorAll('[data-testid=sw-score-row]')].map(r =>"
                + " r.querySelector('.sw-rank').textContent + ' '"
                + " + r.querySelector('[data-testid=sw-score-name]').textContent + ' '"
                + " + r.querySelector('.sw-switched').textContent + ' '"
                + " + r.querySelector('[data-testid=sw-points]').textContent"
                + " + (r.dataset.winner === 'true' ? ' winner' : ''))");
    }

    private static List<String> expectedBoard(Map<String, Integer> scores, Map<String, Integer> switches, Set<String> winners) {
        List<String> names = new ArrayList<>(List.of("Ann", "Bob", "Carl"));
        names.sort((a, b) -> scores.get(b) - scores.get(a)); // stable: join order among equals
        List<String> rows = new ArrayList<>();
        int rank = 0;
        Integer previous = null;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!scores.get(name).equals(previous)) {
                rank = i + 1;
                previous = scores.get(name);
            }
            rows.add((winners.contains(name) ? "★" : String.valueOf(rank)) + " " + name + " ⇄" + switches.get(name)
                    + " " + scores.get(name) + (winners.contains(name) ? " winner" : ""));
        }
        return rows;
    }

    private static String scoreLine(Map<String, Integer> scores) {
        List<String> names = new ArrayList<>(List.of("Ann", "Bob", "Carl"));
        names.sort((a, b) -> scores.get(b) - scores.get(a));
        return names.stream().map(n -> n + " " + scores.get(n)).collect(Collectors.joining(", "));
    }

    private static List<String> toasts(HeadlessChromium page) {
        return page.script("return [...document.querySelectorAll('[data-testid=sw-toast]')].map(t => t.textContent)");
    }

    private static List<String> guessedWords(HeadlessChromium page, String list) {
        return page.script("return [...document.querySelectorAll('[data-testid=" + list + "] [data-testid=sw-guessed-word]')]"
                + ".map(w => w.textContent)");
    }

    /** Every lower-case word in the page's text, hidden parts included. */
    private static Set<String> pageWords(HeadlessChromium page) {
        String text = page.script("return document.body.textContent");
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z]+")).filter(w -> !w.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The page's text (hidden parts included) has none of {@code secrets}, except words of its own text. */
    private static void assertShowsNoneOf(HeadlessChromium page, Set<String> secrets, Set<String> own) {
        Set<String> shown = pageWords(page);
        for (String secret : secrets) {
            if (!own.contains(secret)) {
                assertThat(shown).as("a word someone else holds").doesNotContain(secret);
            }
        }
    }

    /**
     * Words of the page's own text (its whole text in the lobby, before any word is dealt, and the
     * sentences the game view writes later): a secret word that is one of them is on a page anyway.
     */
    private static Set<String> uiWords(HeadlessChromium page) {
        Set<String> words = new HashSet<>(pageWords(page));
        words.addAll(Arrays.asList(("round of is over next nouns verbs adjectives waiting for the host to start a new game"
                + " your word thing something you do describing clue it don t say switched this stuck switch time"
                + " who said guessed joined left away back nobody scored wins win words no left in category keep"
                + " easy wait moment before switching again now too late copied copy link failed").split(" ")));
        return words;
    }

    private static List<JsonNode> received(HeadlessChromium page) throws IOException {
        List<String> texts = page.script("return window.__received || []");
        List<JsonNode> frames = new ArrayList<>();
        for (String text : texts) {
            frames.add(Json.mapper().readTree(text));
        }
        return frames;
    }

    private static void assertFitsThePhoneWidth(HeadlessChromium page) {
        assertThat(page.<Boolean>script(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).isTrue();
        List<String> sticksOut = page.script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getClientRects().length > 0)
                    .filter(e => { const r = e.getBoundingClientRect();
                                   return r.width > 1 && (r.right > width + 0.5 || r.left < -0.5); })
                    .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + JSON.stringify(e.getBoundingClientRect()));
                """);
        assertThat(sticksOut).as("elements wider than the viewport").isEmpty();
    }

    /** Every visible button of the game view is at least 48×48 CSS pixels. */
    private static void assertTouchTargets(HeadlessChromium page) {
        List<String> small = page.script("""
                return [...document.querySelectorAll('[data-testid=game-view] button')]
                    .filter(b => b.getClientRects().length > 0)
                    .filter(b => { const r = b.getBoundingClientRect(); return r.width < 48 || r.height < 40; })
                    .map(b => b.dataset.testid + ' ' + JSON.stringify(b.getBoundingClientRect()));
                """);
        assertThat(small).as("buttons too small to tap").isEmpty();
    }

    private static void waitUntil(ThrowingRunnable assertion) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(assertion);
    }

    // ------------------------------------------------------------------ the node

    /**
     * The real node as the app wires it, on a free loopback port, with Switchonyms rounds allowed
     * from 1 second ({@code --min-round-seconds 1}).
     */
    private static final class GameServer implements AutoCloseable {
        private final PartylineServer node;

        private GameServer(PartylineServer node) {
            this.node = node;
        }

        static GameServer start(UnaryOperator<ServerConfig> tuning) throws InterruptedException {
            ServerConfig config = tuning.apply(new ServerConfig("127.0.0.1", 0, List.of(), null, Limits.DEFAULTS,
                    RoomSettings.DEFAULTS, Duration.ofSeconds(2), 2));
            return new GameServer(new PartylineServer(config, new RoomTypeRegistry(Games.all(1)), new LocalBroker()).start());
        }

        int port() {
            return node.port();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        @Override
        public void close() {
            node.close();
        }
    }
}
