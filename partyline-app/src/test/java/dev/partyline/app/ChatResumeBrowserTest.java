package dev.partyline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.client.raw.RawWebSocket;
import dev.partyline.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web client resumes its session with nothing lost. Ann is a headless Chromium whose page is
 * served THROUGH a {@link LoopbackProxy}, so its WebSocket goes through it too; Bob is a raw
 * WebSocket straight to the node, speaking JSON, who sees what the room publishes. The proxy
 * resets Ann's connection (RST, no close frame) and, while paused, holds her reconnection
 * attempts, so she stays down as long as a test wants. Screenshots go to {@code target/screenshots/}.
 *
 * <p>The page's socket is tapped ({@code window.__sent}, {@code window.__received}) to check what
 * went over the wire: the resume positions, the replay, the resync snapshot, the re-sent request.
 */
class ChatResumeBrowserTest {
    private static final Duration WAIT = HeadlessChromium.WAIT;
    private static final Pattern ROOM_URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/r/([A-HJ-NP-Z]{4})");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private static final CompletableFuture<HeadlessChromium> browser = CompletableFuture.supplyAsync(HeadlessChromium::start);
    private static HeadlessChromium ann;
    private static AppServer server;
    /** Closed after each test, last first: proxies, Bob's sockets, nodes of one test. */
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = AppServer.start();
        ann = browser.join();
    }

    @AfterAll
    static void stop() {
        browser.thenAccept(HeadlessChromium::close).exceptionally(e -> null).join();
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeTestResources() throws Exception {
        Collections.reverse(closeAfter);
        for (AutoCloseable resource : closeAfter) {
            resource.close();
        }
        closeAfter.clear();
    }

    @Test
    void messagesSentWhileThePageIsCutOffArriveOnceInOrderAndAMessageTypedMeanwhileIsSentOnce() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        String code = createRoom(proxy, "Ann");
        String annId = myId();
        Member bob = closing(Member.join(server, "Bob", code));
        waitUntil(() -> assertThat(memberNames()).containsExactly("Ann (you)", "Bob"));
        say("Hi Bob");
        bob.awaitMessage(code, "Hi Bob"); // then Bob answers: the order is known
        bob.say(code, "Hi Ann");
        waitUntil(() -> assertThat(messages()).containsExactly("Ann: Hi Bob", "Bob: Hi Ann"));
        long seqBeforeTheCut = bob.awaitMessage(code, "Hi Ann").get("seq").asLong();

        // The cut: both sides get a RST. While paused, the proxy accepts the page's new
        // connections but holds their bytes, so the page stays down until resume().
        proxy.pause();
        proxy.cutAll();
        waitUntil(() -> {
            WebElement banner = ann.byTestId("connection-banner");
            assertThat(banner.isDisplayed()).isTrue();
            assertThat(banner.getAttribute("data-state")).isEqualTo("reconnecting");
            assertThat(ann.byTestId("connection-text").getText()).isEqualTo("Reconnecting…");
        });
        bob.awaitEvent(code, "away", annId);

        // While Ann is down: she types a message (the page queues it), Bob sends five.
        say("Typed while down");
        List<String> missed = IntStream.rangeClosed(1, 5).mapToObj(i -> "missed " + i).toList();
        for (String text : missed) {
            bob.say(code, text);
        }
        assertThat(messages()).containsExactly("Ann: Hi Bob", "Bob: Hi Ann");
        assertThat(ann.byTestId("room-view").isDisplayed()).isTrue();
        assertThat(ann.byTestId("message-input").getAttribute("value")).isEmpty();
        // Her message shows as being sent (greyed, not yet a message of the room).
        assertThat(pendingMessages()).containsExactly("Typed while down");
        ann.screenshot("resume-while-down");

        proxy.resume();
        List<String> expected = new ArrayList<>(List.of("Ann: Hi Bob", "Bob: Hi Ann"));
        missed.forEach(text -> expected.add("Bob: " + text));
        expected.add("Ann: Typed while down");
        waitUntil(() -> {
            assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse();
            assertThat(messages()).isEqualTo(expected);
        });
        bob.awaitMessage(code, "Typed while down");

        // Live events go on, with no gap and no duplicate.
        bob.say(code, "Still there?");
        expected.add("Bob: Still there?");
        waitUntil(() -> assertThat(messages()).isEqualTo(expected));
        assertThat(ann.byTestId("error").isDisplayed()).isFalse();
        assertThat(pendingMessages()).isEmpty();

        // The same player came back: same id, Bob saw away then back, never left and joined.
        assertThat(myId()).isEqualTo(annId);
        assertThat(memberNames()).containsExactly("Ann (you)", "Bob");
        assertThat(bob.presenceOf(code, annId)).containsExactly("away", "back");
        assertThat(bob.messageTexts(code)).containsExactly(Stream.concat(
                Stream.of("Hi Bob", "Hi Ann"), Stream.concat(missed.stream(), Stream.of("Typed while down", "Still there?")))
                .toArray(String[]::new));
        assertThat(notices()).doesNotContain("Ann is away.", "Ann is back.");

        // On the wire: the page resumed from where it was (the room's epoch and last seq), got
        // the missed events replayed (no snapshot), and sent the queued message once.
        JsonNode auth = lastSent(frame -> frame.path("t").asText().equals("auth"));
        assertThat(auth.path("resume").asText()).isNotEmpty();
        assertThat(auth.path("rooms").path(code).path("epoch").asText()).isEqualTo(bob.epoch(code));
        assertThat(auth.path("rooms").path(code).path("seq").asLong()).isEqualTo(seqBeforeTheCut);
        List<JsonNode> received = received();
        assertThat(received).filteredOn(frame -> frame.path("t").asText().equals("welcome"))
                .extracting(frame -> frame.path("resumed").asBoolean()).containsExactly(false, true);
        assertThat(received).filteredOn(frame -> frame.path("t").asText().equals("state")).isEmpty();
        assertThat(sentTexts("Typed while down")).hasSize(1);
        ann.screenshot("resume-recovered");
    }

    @Test
    void aMessageWhoseReplyWasLostIsSentAgainWithTheSameIdAndRunsOnce() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        String code = createRoom(proxy, "Ann");
        String annId = myId();
        Member bob = closing(Member.join(server, "Bob", code));
        waitUntil(() -> assertThat(memberNames()).containsExactly("Ann (you)", "Bob"));

        // Every byte through the proxy now takes 3 s: once Bob sees Ann's message, the server ran
        // it, and its reply is still held in the proxy when the cut throws it away.
        proxy.delay(Duration.ofSeconds(3));
        say("In flight");
        bob.awaitMessage(code, "In flight");
        proxy.cutAll();
        proxy.delay(Duration.ZERO);

        waitUntil(() -> assertThat(messages()).containsExactly("Ann: In flight"));
        waitUntil(() -> assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse());
        bob.say(code, "Got it once");
        waitUntil(() -> assertThat(messages()).containsExactly("Ann: In flight", "Bob: Got it once"));
        // The reply came (from the server's memory): no error, and the text was not given back.
        assertThat(ann.byTestId("error").isDisplayed()).isFalse();
        assertThat(ann.byTestId("message-input").getAttribute("value")).isEmpty();
        assertThat(pendingMessages()).isEmpty();

        // Sent twice on the wire, with the same id, and run once.
        List<JsonNode> sends = sentTexts("In flight");
        assertThat(sends).hasSize(2);
        assertThat(sends.get(1).get("id")).isEqualTo(sends.get(0).get("id"));
        assertThat(lastSent(frame -> frame.path("t").asText().equals("auth")).path("resume").asText()).isNotEmpty();
        assertThat(bob.messageTexts(code)).containsExactly("In flight", "Got it once");
        assertThat(bob.presenceOf(code, annId)).containsExactly("away", "back");
        assertThat(myId()).isEqualTo(annId);
        ann.screenshot("resume-request-sent-again");
    }

    @Test
    void whenTheLogNoLongerReachesBackTheRoomIsRedrawnFromAResyncSnapshot() throws Exception {
        AppServer shortLog = closing(AppServer.start(c -> c.withRooms(c.rooms().withEventLog(3, Duration.ofMinutes(10)))));
        LoopbackProxy proxy = proxyTo(shortLog);
        String code = createRoom(proxy, "Ann");
        String annId = myId();
        Member bob = closing(Member.join(shortLog, "Bob", code));
        say("Hi Bob");
        waitUntil(() -> assertThat(messages()).containsExactly("Ann: Hi Bob"));

        proxy.pause();
        proxy.cutAll();
        waitUntil(() -> assertThat(ann.byTestId("connection-banner").getAttribute("data-state")).isEqualTo("reconnecting"));
        bob.awaitEvent(code, "away", annId);
        List<String> missed = IntStream.rangeClosed(1, 5).mapToObj(i -> "missed " + i).toList();
        for (String text : missed) {
            bob.say(code, text); // five events: more than the log keeps
        }
        proxy.resume();

        List<String> expected = new ArrayList<>(List.of("Ann: Hi Bob"));
        missed.forEach(text -> expected.add("Bob: " + text));
        waitUntil(() -> {
            assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse();
            assertThat(messages()).isEqualTo(expected);
        });
        bob.say(code, "After the snapshot");
        expected.add("Bob: After the snapshot");
        waitUntil(() -> assertThat(messages()).isEqualTo(expected));
        assertThat(memberNames()).containsExactly("Ann (you)", "Bob");
        assertThat(myId()).isEqualTo(annId);

        List<JsonNode> states = received().stream().filter(frame -> frame.path("t").asText().equals("state")).toList();
        assertThat(states).hasSize(1);
        assertThat(states.get(0).path("resync").asBoolean()).isTrue();
        assertThat(states.get(0).path("room").asText()).isEqualTo(code);
        ann.screenshot("resume-resync");
    }

    @Test
    void aRoomThatClosedWhileThePageWasAwayIsReportedAsClosed() throws Exception {
        AppServer quick = closing(AppServer.start(c -> c.withRooms(c.rooms().withEmptyRoomGrace(Duration.ofMillis(300)))));
        LoopbackProxy proxy = proxyTo(quick);
        String code = createRoom(proxy, "Ann");

        // Ann is alone: with her away, the room closes after its grace.
        proxy.pause();
        proxy.cutAll();
        waitUntil(() -> assertThat(ann.byTestId("connection-banner").getAttribute("data-state")).isEqualTo("reconnecting"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> liveRooms(quick) == 0);
        proxy.resume();

        waitUntil(() -> {
            assertThat(ann.byTestId("error").getAttribute("data-code")).isEqualTo("room_closed");
            assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse();
            assertThat(ann.byTestId("landing-view").isDisplayed()).isTrue();
        });
        assertThat(ann.byTestId("error-text").getText()).contains(code);
        assertThat(ann.byTestId("room-view").isDisplayed()).isFalse();
        assertThat(ann.currentUrl()).isEqualTo(proxy.baseUrl() + "/");
        // It was a resume (the session lives on), told by the server.
        assertThat(received()).filteredOn(frame -> frame.path("t").asText().equals("error"))
                .extracting(frame -> frame.path("code").asText()).containsExactly("room_closed");
        ann.screenshot("resume-room-closed");

        // The page works on: a new room, on the same connection.
        ann.byTestId("create-button").click();
        waitUntil(() -> assertThat(ann.byTestId("room-view").isDisplayed()).isTrue());
        assertThat(awaitRoomUrl()).isNotEqualTo(code);
        assertThat(ann.byTestId("error").isDisplayed()).isFalse();
    }

    @Test
    void reloadingThePageResumesTheSameSessionInsteadOfJoiningAsANewPlayer() throws Exception {
        LoopbackProxy proxy = proxyTo(server);
        String code = createRoom(proxy, "Ann");
        String annId = myId();
        Member bob = closing(Member.join(server, "Bob", code));
        say("Before the reload");
        bob.awaitMessage(code, "Before the reload");
        bob.say(code, "Hi Ann");
        waitUntil(() -> assertThat(messages()).containsExactly("Ann: Before the reload", "Bob: Hi Ann"));

        ann.driver().navigate().refresh();
        waitUntil(() -> {
            assertThat(ann.byTestId("room-view").isDisplayed()).isTrue();
            assertThat(ann.byTestId("room-code").getText()).isEqualTo(code);
            assertThat(messages()).containsExactly("Ann: Before the reload", "Bob: Hi Ann");
        });
        // The same player: no ghost of the old page, and Bob never saw Ann leave or join.
        assertThat(myId()).isEqualTo(annId);
        waitUntil(() -> assertThat(memberNames()).containsExactly("Ann (you)", "Bob"));
        assertThat(ann.<String>script("return sessionStorage.getItem('partyline.session')")).isNull();
        say("After the reload");
        bob.awaitMessage(code, "After the reload");
        waitUntil(() -> assertThat(messages()).containsExactly(
                "Ann: Before the reload", "Bob: Hi Ann", "Ann: After the reload"));
        assertThat(bob.messagesFrom(code, annId)).containsExactly("Before the reload", "After the reload");
        // Away and back when the old socket's drop reached the room before the resume; nothing when not.
        assertThat(bob.presenceOf(code, annId)).isIn(List.of("away", "back"), List.of());
        assertThat(ann.byTestId("connection-banner").isDisplayed()).isFalse();
    }

    // ------------------------------------------------------------------ the page

    private LoopbackProxy proxyTo(AppServer node) throws IOException {
        return closing(LoopbackProxy.to(node.port()));
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    /** Opens the landing page through {@code proxy} with nothing stored, taps the socket, creates a chat room. */
    private static String createRoom(LoopbackProxy proxy, String name) {
        ann.openFresh(proxy.baseUrl() + "/", proxy.baseUrl() + "/");
        waitUntil(() -> assertThat(ann.byTestId("landing-view").isDisplayed()).isTrue());
        ann.tapWebSocketFrames();
        ann.byTestId("name-input").sendKeys(name);
        ann.byTestId("create-button").click();
        String code = awaitRoomUrl();
        waitUntil(() -> assertThat(ann.byTestId("room-code").getText()).isEqualTo(code));
        return code;
    }

    private static String awaitRoomUrl() {
        waitUntil(() -> assertThat(ann.currentUrl()).matches(ROOM_URL));
        Matcher matcher = ROOM_URL.matcher(ann.currentUrl());
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }

    private static void say(String text) {
        ann.byTestId("message-input").sendKeys(text, Keys.ENTER);
    }

    /** The player id the page shows as its own. */
    private static String myId() {
        return ann.script("return document.querySelector('[data-testid=member].me')?.dataset.id ?? null");
    }

    private static List<String> memberNames() {
        return ann.script("return [...document.querySelectorAll('[data-testid=member]')]"
                + ".map(m => m.querySelector('.member-name').textContent)");
    }

    /** The chat messages as shown, in order, as "name: text". */
    private static List<String> messages() {
        return ann.script("return [...document.querySelectorAll('[data-testid=message]')].map(m =>"
                + " m.querySelector('[data-testid=message-name]').textContent + ': '"
                + " + m.querySelector('[data-testid=message-text]').textContent)");
    }

    /** The texts of the page's own messages still being sent. */
    private static List<String> pendingMessages() {
        return ann.script("return [...document.querySelectorAll('[data-testid=pending-message]')]"
                + ".map(m => m.querySelector('[data-testid=message-text]').textContent)");
    }

    private static List<String> notices() {
        return ann.script("return [...document.querySelectorAll('[data-testid=notice]')].map(n => n.textContent)");
    }

    private static List<JsonNode> sent() {
        return parse(ann.script("return window.__sent || []"));
    }

    private static List<JsonNode> received() {
        return parse(ann.script("return window.__received || []"));
    }

    private static JsonNode lastSent(Predicate<JsonNode> which) {
        List<JsonNode> matching = sent().stream().filter(which).toList();
        assertThat(matching).as("frames the page sent").isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    /** The chat `send` frames the page put on the wire with this text. */
    private static List<JsonNode> sentTexts(String text) {
        return sent().stream().filter(frame -> frame.path("t").asText().equals("send")
                && frame.path("data").path("text").asText().equals(text)).toList();
    }

    private static List<JsonNode> parse(List<String> texts) {
        List<JsonNode> frames = new ArrayList<>();
        for (String text : texts) {
            try {
                frames.add(Json.mapper().readTree(text));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
        return frames;
    }

    private static void waitUntil(ThrowingRunnable assertion) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(assertion);
    }

    /** The node's {@code partyline_rooms} gauge. */
    private static int liveRooms(AppServer node) throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/metrics"))).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = Pattern.compile("(?m)^partyline_rooms\\s+(\\S+)").matcher(metrics);
        assertThat(matcher.find()).as("partyline_rooms in %s", metrics).isTrue();
        return (int) Double.parseDouble(matcher.group(1));
    }

    // ------------------------------------------------------------------ Bob

    /**
     * A member on a raw WebSocket straight to the node (not through the proxy): joins with a
     * ticket, sends requests and keeps every frame it receives, in order.
     */
    private static final class Member implements AutoCloseable {
        private final RawWebSocket ws;
        private final List<JsonNode> frames = new ArrayList<>();
        private long nextId = 1;

        private Member(RawWebSocket ws) {
            this.ws = ws;
        }

        static Member join(AppServer node, String name, String code) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/api/tickets")))
                    .timeout(WAIT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.nodes().objectNode().put("name", name).toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String ticket = Json.mapper().readTree(response.body()).get("ticket").asText();
            Member member = new Member(RawWebSocket.open(
                    URI.create("ws://127.0.0.1:" + node.port() + "/ws?ticket=" + ticket), node.url("")));
            member.awaitFrame(frame -> frame.path("t").asText().equals("welcome"));
            JsonNode reply = member.request(Json.nodes().objectNode().put("t", "join").put("room", code));
            assertThat(reply.path("ok").asBoolean()).as("join %s: %s", code, reply).isTrue();
            return member;
        }

        /** Sends a chat message and waits for its successful reply. */
        void say(String code, String text) throws Exception {
            ObjectNode frame = Json.nodes().objectNode().put("t", "send").put("room", code).put("name", "message");
            frame.putObject("data").put("text", text);
            JsonNode reply = request(frame);
            assertThat(reply.path("ok").asBoolean()).as("send %s: %s", text, reply).isTrue();
        }

        JsonNode request(ObjectNode frame) throws Exception {
            long id = nextId++;
            frame.put("id", id);
            ws.sendText(frame.toString()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return awaitFrame(f -> f.path("t").asText().equals("reply") && f.path("id").asLong() == id);
        }

        JsonNode awaitEvent(String code, String name, String from) throws InterruptedException, IOException {
            return awaitFrame(f -> isEvent(f, code) && f.path("name").asText().equals(name)
                    && f.path("from").asText().equals(from));
        }

        JsonNode awaitMessage(String code, String text) throws InterruptedException, IOException {
            return awaitFrame(f -> isEvent(f, code) && f.path("name").asText().equals("message")
                    && f.path("data").path("text").asText().equals(text));
        }

        /** The first frame received so far or within {@link #WAIT} that matches. */
        JsonNode awaitFrame(Predicate<JsonNode> which) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            int checked = 0;
            while (true) {
                for (; checked < frames.size(); checked++) {
                    if (which.test(frames.get(checked))) {
                        return frames.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                String text = left > 0 ? ws.texts().poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS) : null;
                if (text != null) {
                    frames.add(Json.mapper().readTree(text));
                } else if (left <= 0) {
                    throw new AssertionError("no such frame within " + WAIT + "; received: " + frames);
                }
            }
        }

        /** Takes whatever arrived meanwhile. */
        private List<JsonNode> frames() throws IOException {
            for (String text; (text = ws.texts().poll()) != null; ) {
                frames.add(Json.mapper().readTree(text));
            }
            return frames;
        }

        /** The epoch of the room from the join reply. */
        String epoch(String code) throws IOException {
            return frames().stream().filter(f -> f.path("t").asText().equals("reply")
                            && f.path("data").path("room").asText().equals(code))
                    .map(f -> f.path("data").path("epoch").asText()).findFirst().orElseThrow();
        }

        /** The texts of every chat message event of the room, in order of arrival. */
        List<String> messageTexts(String code) throws IOException {
            return frames().stream().filter(f -> isEvent(f, code) && f.path("name").asText().equals("message"))
                    .map(f -> f.path("data").path("text").asText()).toList();
        }

        List<String> messagesFrom(String code, String playerId) throws IOException {
            return frames().stream().filter(f -> isEvent(f, code) && f.path("name").asText().equals("message")
                            && f.path("from").asText().equals(playerId))
                    .map(f -> f.path("data").path("text").asText()).toList();
        }

        /** The names of the presence events about {@code playerId}: joined, left, away, back. */
        List<String> presenceOf(String code, String playerId) throws IOException {
            return frames().stream().filter(f -> isEvent(f, code)
                            && List.of("joined", "left", "away", "back").contains(f.path("name").asText())
                            && f.path("data").path("id").asText().equals(playerId))
                    .map(f -> f.path("name").asText()).toList();
        }

        private static boolean isEvent(JsonNode frame, String code) {
            return frame.path("t").asText().equals("event") && frame.path("room").asText().equals(code);
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}
