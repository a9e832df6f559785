package dev.partyline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web client in two real browsers (two headless Chromiums, phone-sized) against a real node:
 * create, join by link and by code, chat, errors, phone layout, and the banner when the
 * connection drops. Screenshots for review go to {@code target/screenshots/}.
 */
class ChatBrowserTest {
    private static final Pattern ROOM_URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/r/([A-HJ-NP-Z]{4})");

    private static AppServer server;
    private static BrowserGroup browsers;
    private static HeadlessChromium ann;
    private static HeadlessChromium bob;
    /** Codes of the rooms created on {@link #server}, so a test can pick one that does not exist. */
    private static final Set<String> created = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        browsers = BrowserGroup.start(2);
        server = AppServer.start();
        ann = browsers.get(0);
        bob = browsers.get(1);
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
    void annCreatesARoomAndBobJoinsFromTheLinkAfterTypingHisNameAndTheyChat() {
        ann.openFresh(server.url("/"), server.url("/"));
        waitUntil(() -> assertThat(ann.byTestId("landing-view").isDisplayed()).isTrue());
        assertThat(ann.byTestId("room-view").isDisplayed()).isFalse();
        assertThat(ann.<Long>script("return window.innerWidth")).isEqualTo(HeadlessChromium.WIDTH);
        ann.byTestId("name-input").sendKeys("Ann");
        assertFitsThePhoneWidth(ann);
        ann.screenshot("landing");

        ann.byTestId("create-button").click();
        String code = awaitRoomUrl(ann);
        created.add(code);
        waitUntil(() -> {
            assertThat(ann.byTestId("room-view").isDisplayed()).isTrue();
            assertThat(ann.byTestId("room-code").getText()).isEqualTo(code);
        });
        assertThat(ann.byTestId("landing-view").isDisplayed()).isFalse();
        assertThat(ann.byTestId("room-title").getText()).isEqualTo("Ann's room");
        waitUntil(() -> assertThat(memberNames(ann)).containsExactly("Ann (you)"));
        assertThat(hosts(ann)).containsExactly("Ann (you)");

        // Bob follows the shared link; his browser has no name stored, so the page asks for it.
        bob.openFresh(server.url("/"), server.url("/r/" + code));
        waitUntil(() -> assertThat(bob.byTestId("join-hint").isDisplayed()).isTrue());
        assertThat(bob.byTestId("join-hint").getText()).contains(code);
        assertThat(bob.byTestId("code-input").getAttribute("value")).isEqualTo(code);
        assertThat(bob.byTestId("name-input").getAttribute("value")).isEmpty();
        assertThat(bob.byTestId("room-view").isDisplayed()).isFalse();
        assertFitsThePhoneWidth(bob);
        bob.screenshot("join-from-link");

        bob.byTestId("name-input").sendKeys("Bob");
        bob.byTestId("join-button").click();
        waitUntil(() -> {
            assertThat(bob.byTestId("room-view").isDisplayed()).isTrue();
            assertThat(bob.byTestId("room-code").getText()).isEqualTo(code);
        });
        assertThat(bob.currentUrl()).isEqualTo(server.url("/r/" + code));
        assertThat(bob.byTestId("join-hint").isDisplayed()).isFalse();

        waitUntil(() -> assertThat(memberNames(ann)).containsExactly("Ann (you)", "Bob"));
        waitUntil(() -> assertThat(memberNames(bob)).containsExactly("Ann", "Bob (you)"));
        assertThat(hosts(bob)).containsExactly("Ann");
        waitUntil(() -> assertThat(notices(ann)).contains("Bob joined."));

        // One message each way, each seen by the other with the sender's name.
        say(ann, "Hi Bob!");
        waitUntil(() -> assertThat(messages(bob)).containsExactly("Ann: Hi Bob!"));
        assertThat(ann.byTestId("message-input").getAttribute("value")).isEmpty();
        bob.byTestId("message-input").sendKeys("Hi Ann, nice room");
        bob.byTestId("send-button").click();
        waitUntil(() -> assertThat(messages(ann)).containsExactly("Ann: Hi Bob!", "Bob: Hi Ann, nice room"));

        // A burst from both sides without waiting: both pages end with the same order, and each
        // sender's own messages keep the order they were sent in.
        for (int i = 1; i <= 4; i++) {
            say(ann, "ann " + i);
            say(bob, "bob " + i);
        }
        waitUntil(() -> assertThat(messages(ann)).hasSize(10));
        waitUntil(() -> assertThat(messages(bob)).isEqualTo(messages(ann)));
        assertThat(messages(ann).stream().filter(m -> m.startsWith("Ann: ann"))).containsExactly(
                "Ann: ann 1", "Ann: ann 2", "Ann: ann 3", "Ann: ann 4");
        assertThat(messages(ann).stream().filter(m -> m.startsWith("Bob: bob"))).containsExactly(
                "Bob: bob 1", "Bob: bob 2", "Bob: bob 3", "Bob: bob 4");
        assertThat(ownMessages(ann)).allMatch(m -> m.startsWith("Ann: ")).hasSize(5);
        assertThat(ownMessages(bob)).allMatch(m -> m.startsWith("Bob: ")).hasSize(5);

        say(ann, "A longer message to see how the bubbles wrap on a phone: "
                + "https://example.com/a/rather/long/link/without/any/spaces/in/it/at/all");
        waitUntil(() -> assertThat(messages(bob)).hasSize(11));
        assertFitsThePhoneWidth(ann);
        assertFitsThePhoneWidth(bob);
        ann.screenshot("chat-room-ann");
        bob.screenshot("chat-room-bob");
    }

    @Test
    void bobJoinsByTypingTheCodeOnTheLandingPageAndSeesTheMessagesBeforeHim() {
        String code = createRoom(ann, "Ann");
        say(ann, "Welcome, whoever comes next");

        bob.openFresh(server.url("/"), server.url("/"));
        waitUntil(() -> assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue());
        assertThat(bob.byTestId("join-hint").isDisplayed()).isFalse();
        bob.byTestId("name-input").sendKeys("Bob");
        bob.byTestId("code-input").sendKeys(code.toLowerCase());
        assertThat(bob.byTestId("code-input").getAttribute("value")).isEqualTo(code);
        bob.byTestId("code-input").sendKeys(Keys.ENTER);

        assertThat(awaitRoomUrl(bob)).isEqualTo(code);
        waitUntil(() -> assertThat(bob.byTestId("room-code").getText()).isEqualTo(code));
        waitUntil(() -> assertThat(messages(bob)).containsExactly("Ann: Welcome, whoever comes next"));
        waitUntil(() -> assertThat(memberNames(ann)).containsExactly("Ann (you)", "Bob"));

        say(bob, "Thanks!");
        waitUntil(() -> assertThat(messages(ann)).containsExactly(
                "Ann: Welcome, whoever comes next", "Bob: Thanks!"));

        // Back leaves the room: the landing page shows again, and Ann sees Bob go.
        bob.driver().navigate().back();
        waitUntil(() -> assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue());
        waitUntil(() -> assertThat(memberNames(ann)).containsExactly("Ann (you)"));
    }

    @Test
    void aWrongCodeShowsAnErrorAndKeepsTheLandingPage() {
        String missing = Stream.of("ZZZZ", "YYYY", "XXXX", "WWWW").filter(c -> !created.contains(c))
                .findFirst().orElseThrow();
        bob.openFresh(server.url("/"), server.url("/"));
        waitUntil(() -> assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue());
        assertThat(bob.byTestId("error").isDisplayed()).isFalse();

        // A code no room has: the server says room_not_found.
        bob.byTestId("name-input").sendKeys("Bob");
        bob.byTestId("code-input").sendKeys(missing);
        bob.byTestId("join-button").click();
        waitUntil(() -> {
            assertThat(bob.byTestId("error").isDisplayed()).isTrue();
            assertThat(bob.byTestId("error").getAttribute("data-code")).isEqualTo("room_not_found");
        });
        assertThat(bob.byTestId("error-text").getText()).contains(missing);
        assertThat(bob.currentUrl()).isEqualTo(server.url("/"));
        assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue();
        assertThat(bob.byTestId("room-view").isDisplayed()).isFalse();
        waitUntil(() -> assertThat(bob.byTestId("join-button").isEnabled()).isTrue());
        assertFitsThePhoneWidth(bob);
        bob.screenshot("wrong-code");

        // Not a code at all: the page says so without asking the server.
        WebElement codeInput = bob.byTestId("code-input");
        codeInput.clear();
        codeInput.sendKeys("AB1");
        bob.byTestId("join-button").click();
        waitUntil(() -> assertThat(bob.byTestId("error").getAttribute("data-code")).isEqualTo("invalid_code"));
        assertThat(bob.byTestId("error").isDisplayed()).isTrue();

        // The dismiss button hides the error.
        bob.byTestId("error-dismiss").click();
        waitUntil(() -> assertThat(bob.byTestId("error").isDisplayed()).isFalse());

        // A link to a room that does not exist (the name is stored now): error, and back to /.
        bob.open(server.url("/r/" + missing.toLowerCase()));
        waitUntil(() -> assertThat(bob.byTestId("error").getAttribute("data-code")).isEqualTo("room_not_found"));
        waitUntil(() -> assertThat(bob.currentUrl()).isEqualTo(server.url("/")));
        assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue();
    }

    @Test
    void creatingARoomWithoutANameAsksForOne() {
        bob.openFresh(server.url("/"), server.url("/"));
        waitUntil(() -> assertThat(bob.byTestId("landing-view").isDisplayed()).isTrue());
        bob.byTestId("create-button").click();
        waitUntil(() -> assertThat(bob.byTestId("error").getAttribute("data-code")).isEqualTo("name_required"));
        assertThat(bob.byTestId("error").isDisplayed()).isTrue();
        assertThat(bob.currentUrl()).isEqualTo(server.url("/"));
        assertThat(bob.<Boolean>script("return document.activeElement === arguments[0]",
                bob.byTestId("name-input"))).isTrue();
    }

    @Test
    void theClientLibraryGivesUpOnATicketRequestThatNeverAnswers() {
        // A ticket request on a half-open connection never settles; the library must not wait
        // for it forever (it would never reconnect), but fail it as a network error in time.
        bob.openFresh(server.url("/"), server.url("/"));
        String outcome = (String) bob.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const { Partyline } = await import('/partyline.js');
                  const never = (url, init) => new Promise((resolve, reject) => init.signal?.addEventListener(
                      'abort', () => reject(new DOMException('aborted', 'AbortError'))));
                  const client = new Partyline({ name: 'Ann', fetch: never, requestTimeoutMs: 1000 });
                  try {
                    await client.connect();
                    done('connected');
                  } catch (e) {
                    done(e.code + ': ' + e.message);
                  }
                })();
                """);
        assertThat(outcome).isEqualTo("network_error: The server did not answer the ticket request within 1 s.");
    }

    /** A node of its own, since these tests stop it under the page. */
    @Nested
    class WhenTheServerGoesAway {

        @Test
        void theBannerSaysReconnectingAndAfterARestartThePageSaysTheRoomIsGone() throws Exception {
            AppServer node = AppServer.start();
            AppServer restarted = null;
            try {
                String code = createRoom(ann, "Ann", node);
                assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse();

                node.close();
                waitUntil(() -> {
                    WebElement banner = ann.byTestId("connection-banner");
                    assertThat(banner.isDisplayed()).isTrue();
                    assertThat(banner.getAttribute("data-state")).isEqualTo("reconnecting");
                    assertThat(ann.byTestId("connection-text").getText()).isEqualTo("Reconnecting…");
                });
                // The room stays on screen while the page tries again.
                assertThat(ann.byTestId("room-view").isDisplayed()).isTrue();
                assertThat(ann.byTestId("room-code").getText()).isEqualTo(code);
                assertFitsThePhoneWidth(ann);
                ann.screenshot("connection-lost");

                // A fresh node on the same port knows no rooms: the page reconnects, cannot re-join,
                // and says the room has closed. Usually within 2 s; up to the page's 10 s ticket
                // timeout plus a backoff when Chromium first reuses a keep-alive connection that the
                // stopped node left open (PartylineServer.close() does not always close idle HTTP
                // connections), hence 25 s.
                restarted = AppServer.restart(node);
                await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .untilAsserted(() -> {
                            assertThat(ann.byTestId("error").getAttribute("data-code")).isEqualTo("room_closed");
                            assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse();
                        });
                assertThat(ann.byTestId("error-text").getText()).contains(code);
                assertThat(ann.byTestId("landing-view").isDisplayed()).isTrue();
                assertThat(ann.currentUrl()).isEqualTo(restarted.url("/"));

                // The page works again: Ann (her name remembered) creates a room on the new node.
                assertThat(ann.byTestId("name-input").getAttribute("value")).isEqualTo("Ann");
                ann.byTestId("create-button").click();
                waitUntil(() -> assertThat(ann.byTestId("room-view").isDisplayed()).isTrue());
                assertThat(awaitRoomUrl(ann)).isNotEqualTo(code);
                assertThat(ann.byTestId("error").isDisplayed()).isFalse();
            } finally {
                node.close();
                if (restarted != null) {
                    restarted.close();
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String createRoom(HeadlessChromium browser, String name) {
        String code = createRoom(browser, name, server);
        created.add(code);
        return code;
    }

    /** Opens {@code node}'s landing page with nothing stored, creates a chat room as {@code name}; its code. */
    private static String createRoom(HeadlessChromium browser, String name, AppServer node) {
        browser.openFresh(node.url("/"), node.url("/"));
        waitUntil(() -> assertThat(browser.byTestId("landing-view").isDisplayed()).isTrue());
        browser.byTestId("name-input").sendKeys(name);
        browser.byTestId("create-button").click();
        String code = awaitRoomUrl(browser);
        waitUntil(() -> assertThat(browser.byTestId("room-code").getText()).isEqualTo(code));
        return code;
    }

    /** Waits for the page to be at /r/CODE; the code. */
    private static String awaitRoomUrl(HeadlessChromium browser) {
        waitUntil(() -> assertThat(browser.currentUrl()).matches(ROOM_URL));
        Matcher matcher = ROOM_URL.matcher(browser.currentUrl());
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }

    private static void say(HeadlessChromium browser, String text) {
        browser.byTestId("message-input").sendKeys(text, Keys.ENTER);
    }

    /** The member list as shown: names, with " (you)" on one's own. */
    private static List<String> memberNames(HeadlessChromium browser) {
        return browser.script("return [...document.querySelectorAll('[data-testid=member]')]"
                + ".map(m => m.querySelector('.member-name').textContent)");
    }

    private static List<String> hosts(HeadlessChromium browser) {
        return browser.script("return [...document.querySelectorAll('[data-testid=member][data-host=true]')]"
                + ".map(m => m.querySelector('.member-name').textContent)");
    }

    /** The chat messages as shown, in order, as "name: text". */
    private static List<String> messages(HeadlessChromium browser) {
        return messages(browser, "[data-testid=message]");
    }

    private static List<String> ownMessages(HeadlessChromium browser) {
        return messages(browser, "[data-testid=message][data-own=true]");
    }

    private static List<String> messages(HeadlessChromium browser, String selector) {
        return browser.script("return [...document.querySelectorAll(arguments[0])].map(m =>"
                + " m.querySelector('[data-testid=message-name]').textContent + ': '"
                + " + m.querySelector('[data-testid=message-text]').textContent)", selector);
    }

    private static List<String> notices(HeadlessChromium browser) {
        return browser.script("return [...document.querySelectorAll('[data-testid=notice]')].map(n => n.textContent)");
    }

    /**
     * No horizontal scrolling at phone width: the document is no wider than the viewport, and no
     * visible element sticks out of it (body's overflow-x: hidden would hide such an element
     * from the first check on a desktop browser, not on a phone).
     */
    private static void assertFitsThePhoneWidth(HeadlessChromium browser) {
        assertThat(browser.<Boolean>script(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).isTrue();
        List<String> sticksOut = browser.script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getClientRects().length > 0)
                    .filter(e => { const r = e.getBoundingClientRect();
                                   return r.width > 1 && (r.right > width + 0.5 || r.left < -0.5); })
                    .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + JSON.stringify(e.getBoundingClientRect()));
                """);
        assertThat(sticksOut).as("elements wider than the viewport").isEmpty();
    }

    private static void waitUntil(ThrowingRunnable assertion) {
        waiting().untilAsserted(assertion);
    }

    private static ConditionFactory waiting() {
        return await().atMost(HeadlessChromium.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions();
    }
}
