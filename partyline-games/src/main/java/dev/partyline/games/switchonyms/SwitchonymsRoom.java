package dev.partyline.games.switchonyms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.core.game.GameException;
import dev.partyline.core.game.LeaveReason;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.RoomContext;
import dev.partyline.core.game.RoomLogic;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.PrintableText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * The logic of one Switchonyms room: a party word game of three timed rounds (nouns, verbs,
 * adjectives) in which every player privately holds a secret word, clues it out loud, and scores
 * with whoever says it. The server is the only authority: no message can set a word, and no
 * event or view ever carries a player's word to anyone else until it is guessed.
 *
 * <p><b>Create options</b> {@code {"roundSeconds": n}}, optional: a whole number of seconds from
 * the server's minimum (flag {@code --min-round-seconds}, default
 * {@value SwitchonymsRoomType#DEFAULT_MIN_ROUND_SECONDS}) to {@value #MAX_ROUND_SECONDS}; default
 * {@value #DEFAULT_ROUND_SECONDS} (or the minimum when that is higher). Anything else refuses the
 * create with {@code bad_request}.
 *
 * <p><b>Joining.</b> A name is 1 to {@value #MAX_NAME_LENGTH} characters (code points, after
 * trimming): a longer one is refused with {@code bad_request}, since the name comes from the
 * player's ticket and the player must get a new ticket to change it. It must differ from every
 * other member's name ignoring case, or the join is refused with {@code name_taken}. The room type
 * caps a room at {@value SwitchonymsRoomType#MAX_PLAYERS} members ({@code room_full}, from the
 * core). A player joining during a round is dealt a word at once: it is in the {@code word} of the
 * join snapshot's view (there is no separate {@code word} event, as the joiner is not a member
 * until the reply).
 *
 * <p><b>Messages</b> ({@code send} names; data ignored unless stated):
 * <ul>
 *   <li>{@code start}: the host, in the lobby or after a game, with at least {@value #MIN_PLAYERS}
 *       members online. Starts round 1; from {@code over} it first resets scores, switch counts
 *       and the words used, so a new game is a fresh game with the same players.</li>
 *   <li>{@code switch}: any player during a round, at most once per {@link #SWITCH_COOLDOWN}
 *       (measured with the room's clock). The player's word is replaced by a random unused word
 *       of the category, sent privately as {@code word}; everyone gets {@code switched}.</li>
 *   <li>{@code got_it} {@code {"guesser": playerId}}: the clue-giver (the sender) during a round,
 *       naming the member who said its word; away members count, as their phones may just be
 *       locked. Giver and guesser score a point each, everyone gets {@code scored} with the
 *       word, and the giver is dealt a new word privately.</li>
 *   <li>{@code next_round}: the host, between rounds. Starts the next round.</li>
 * </ul>
 *
 * <p><b>Events</b>:
 * <ul>
 *   <li>{@code round_started} to all: {@code {round, category, endsAt, durationMs}}, with
 *       {@code endsAt} in server epoch milliseconds.</li>
 *   <li>{@code word} to one player: {@code {word, category}}, the player's new word. {@code word}
 *       is null only when every word of the category was dealt this game (see below).</li>
 *   <li>{@code switched} to all, from the switcher: {@code {player, switches}} (the count for the
 *       game so far), never the word.</li>
 *   <li>{@code scored} to all, from the giver: {@code {giver, guesser, word, scores}}.</li>
 *   <li>{@code round_ended} to all, when the round's timer fires: {@code {round, scores,
 *       roundScores, guessed}}: {@code scores} are the game totals, {@code roundScores} the points
 *       of this round alone, {@code guessed} the words guessed this round in order.</li>
 *   <li>{@code game_over} to all, right after the third {@code round_ended}: {@code {scores,
 *       winners}}, {@code winners} the ids of everyone with the top score (ties all win), empty
 *       when nobody scored.</li>
 * </ul>
 * {@code scores}, {@code roundScores} and {@code switches} are objects of player id → number, for
 * the current members in join order.
 *
 * <p><b>Error codes</b>: {@code not_host}; {@value #WRONG_PHASE} (a message outside the phases it
 * works in); {@value #NOT_ENOUGH_PLAYERS}; {@value #TOO_FAST} (a switch within the cooldown);
 * {@value #SELF_GUESS} (naming yourself as guesser); {@value #UNKNOWN_PLAYER} (a guesser who is
 * not a member); {@value #OUT_OF_WORDS} (every word of the category was dealt this game);
 * {@code bad_request} (bad options, a name too long, {@code got_it} without a string
 * {@code guesser}); {@code name_taken}; {@code unknown_message} (any other name, such as
 * {@code word} or {@code set_word}). A refused message changes nothing.
 *
 * <p><b>The view</b> of a player: {@code {phase, round, category, endsAt, roundSeconds, scores,
 * roundScores, switches, players: [{id, name, online}], host, word, guessed, winners}}
 * ({@code roundScores}: the points of the current or last round). {@code phase} is
 * {@code lobby}, {@code round}, {@code between} or {@code over}; {@code round} is 0 in the lobby;
 * {@code category} is the current or last round's ({@code null} in the lobby); {@code endsAt} is
 * null outside a round; {@code word} is this player's own word during a round and null otherwise,
 * and nothing of anyone else's; {@code guessed} the words guessed in the current or last round;
 * {@code winners} is empty until the game is over.
 *
 * <p><b>Players and host.</b> A member whose connection drops keeps its seat, word and score and
 * shows {@code online: false}. A member that leaves for good leaves {@code players} and
 * {@code scores}; if it comes back during the same game its score and switch count return. The
 * host is the core's ({@link RoomContext#host()}): the creator, and after the host leaves for
 * good the earliest-joined remaining member, which may be an away one; the view's {@code host}
 * follows the same rule.
 *
 * <p><b>Words.</b> No word is dealt twice in one game (switched-away and guessed words are used
 * up). When a category runs dry, {@code switch} is refused with {@value #OUT_OF_WORDS}, and a giver
 * who scores, or a player joining, gets no new word ({@code null}) for the rest of the round.
 *
 * <p>Like every {@link RoomLogic}, called on its room's mailbox only. The state is plain values;
 * the {@link Random} and the shared {@link WordLists} are collaborators, not state.
 */
public final class SwitchonymsRoom implements RoomLogic {
    public static final int ROUNDS = 3;
    public static final int MIN_PLAYERS = 2;
    public static final int MAX_NAME_LENGTH = 16;
    public static final int DEFAULT_ROUND_SECONDS = 60;
    public static final int MAX_ROUND_SECONDS = 300;
    public static final Duration SWITCH_COOLDOWN = Duration.ofMillis(1500);

    /** The message is not allowed in the current phase. */
    public static final String WRONG_PHASE = "wrong_phase";
    /** {@code start} with fewer than {@value #MIN_PLAYERS} members online. */
    public static final String NOT_ENOUGH_PLAYERS = "not_enough_players";
    /** A {@code switch} within {@link #SWITCH_COOLDOWN} of the player's last one. */
    public static final String TOO_FAST = "too_fast";
    /** A {@code got_it} naming the sender as the guesser. */
    public static final String SELF_GUESS = "self_guess";
    /** A {@code got_it} naming someone who is not a member of the room. */
    public static final String UNKNOWN_PLAYER = "unknown_player";
    /** Every word of the round's category was dealt this game. */
    public static final String OUT_OF_WORDS = "out_of_words";

    /** The name of the timer that ends a round. */
    static final String ROUND_TIMER = "round_end";

    private static final int MAX_ECHOED_NAME = 32;

    private final int minRoundSeconds;
    private final WordLists words;
    private final Random random;

    private int roundSeconds;
    private Phase phase = Phase.LOBBY;
    private int round;
    private long endsAt;
    private String host;
    private final Map<String, Seat> seats = new LinkedHashMap<>();
    private final Map<String, Seat> departed = new HashMap<>();
    private final Map<Category, List<String>> unused = new EnumMap<>(Category.class);
    private final List<String> guessed = new ArrayList<>();
    private final List<String> winners = new ArrayList<>();

    /**
     * One member's place in the game, keyed by player id. Mutable; mailbox only.
     */
    static final class Seat {
        String name;
        boolean online = true;
        int score;
        int roundScore;
        int switches;
        /** The current secret word, or null outside a round (or when none was left). */
        String word;
        /** Room time of the last switch this round, or -1. */
        long lastSwitchAt = -1;
    }

    /**
     * @param minRoundSeconds the shortest round the create options may ask for, 1 to
     *        {@value #MAX_ROUND_SECONDS}
     * @param words the lists to deal from, shared between rooms
     * @param random draws words; seed it in tests
     * @throws IllegalArgumentException when {@code minRoundSeconds} is out of range
     */
    public SwitchonymsRoom(int minRoundSeconds, WordLists words, Random random) {
        if (minRoundSeconds < 1 || minRoundSeconds > MAX_ROUND_SECONDS) {
            throw new IllegalArgumentException("minRoundSeconds must be 1 to " + MAX_ROUND_SECONDS + ": "
                    + minRoundSeconds);
        }
        this.minRoundSeconds = minRoundSeconds;
        this.words = Objects.requireNonNull(words, "words");
        this.random = Objects.requireNonNull(random, "random");
        this.roundSeconds = Math.max(DEFAULT_ROUND_SECONDS, minRoundSeconds);
        refillWords();
    }

    @Override
    public void onCreate(RoomContext room, JsonNode options) throws GameException {
        JsonNode requested = options == null ? null : options.get("roundSeconds");
        if (requested != null && !requested.isNull()) {
            if (!requested.isIntegralNumber() || !requested.canConvertToInt()
                    || requested.intValue() < minRoundSeconds || requested.intValue() > MAX_ROUND_SECONDS) {
                throw new GameException(ErrorCode.BAD_REQUEST, "roundSeconds is a whole number of seconds from "
                        + minRoundSeconds + " to " + MAX_ROUND_SECONDS + ".");
            }
            roundSeconds = requested.intValue();
        }
    }

    @Override
    public void onJoin(RoomContext room, Player player) throws GameException {
        String id = player.id().value();
        String name = player.name().strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_NAME_LENGTH) {
            throw new GameException(ErrorCode.BAD_REQUEST,
                    "Names in Switchonyms are 1 to " + MAX_NAME_LENGTH + " characters.");
        }
        String folded = fold(name);
        for (Map.Entry<String, Seat> other : seats.entrySet()) {
            if (!other.getKey().equals(id) && fold(other.getValue().name).equals(folded)) {
                throw new GameException(ErrorCode.NAME_TAKEN,
                        "Someone in room " + room.code() + " is already called " + other.getValue().name
                                + ": pick another name.");
            }
        }
        Seat seat = departed.remove(id);
        if (seat == null) {
            seat = new Seat();
        }
        seat.name = player.name();
        seat.online = true;
        seat.lastSwitchAt = -1;
        seat.word = phase == Phase.ROUND ? draw(category()) : null;
        seats.put(id, seat);
        if (host == null) {
            host = id; // the core makes the first member of an empty room its host too
        }
    }

    @Override
    public void onLeave(RoomContext room, Player player, LeaveReason reason) {
        String id = player.id().value();
        Seat seat = seats.remove(id);
        if (seat == null) {
            return;
        }
        seat.word = null; // used up: never dealt again this game
        departed.put(id, seat);
        if (id.equals(host)) {
            // The core's rule: the earliest-joined member still in the room, away or not.
            host = seats.isEmpty() ? null : seats.keySet().iterator().next();
        }
    }

    @Override
    public void onAway(RoomContext room, Player player) {
        Seat seat = seats.get(player.id().value());
        if (seat != null) {
            seat.online = false;
        }
    }

    @Override
    public void onBack(RoomContext room, Player player) {
        Seat seat = seats.get(player.id().value());
        if (seat != null) {
            seat.online = true;
        }
    }

    @Override
    public void onMessage(RoomContext room, Player from, String name, JsonNode data) throws GameException {
        room.host().ifPresent(current -> host = current.id().value());
        switch (name) {
            case "start" -> start(room, from);
            case "switch" -> switchWord(room, from);
            case "got_it" -> gotIt(room, from, data);
            case "next_round" -> nextRound(room, from);
            default -> throw new GameException(ErrorCode.UNKNOWN_MESSAGE,
                    "Switchonyms rooms take \"start\", \"switch\", \"got_it\" and \"next_round\", not \""
                            + PrintableText.of(name, MAX_ECHOED_NAME) + "\".");
        }
    }

    @Override
    public void onTimer(RoomContext room, String timer) {
        if (ROUND_TIMER.equals(timer) && phase == Phase.ROUND) {
            endRound(room);
        }
    }

    @Override
    public JsonNode view(Player player) {
        ObjectNode view = Json.nodes().objectNode();
        view.put("phase", phase.wire());
        view.put("round", round);
        view.put("category", round == 0 ? null : category().wire());
        if (phase == Phase.ROUND) {
            view.put("endsAt", endsAt);
        } else {
            view.putNull("endsAt");
        }
        view.put("roundSeconds", roundSeconds);
        view.set("scores", tally(seat -> seat.score));
        view.set("roundScores", tally(seat -> seat.roundScore)); // a resync between rounds can show them
        view.set("switches", tally(seat -> seat.switches));
        ArrayNode players = view.putArray("players");
        seats.forEach((id, seat) -> players.addObject()
                .put("id", id)
                .put("name", seat.name)
                .put("online", seat.online));
        view.put("host", host);
        Seat own = seats.get(player.id().value());
        view.put("word", phase == Phase.ROUND && own != null ? own.word : null);
        ArrayNode guessedWords = view.putArray("guessed");
        guessed.forEach(guessedWords::add);
        ArrayNode winnerIds = view.putArray("winners");
        winners.forEach(winnerIds::add);
        return view;
    }

    // --- messages ------------------------------------------------------------------------

    private void start(RoomContext room, Player from) throws GameException {
        requireHost(room, from, "start the game");
        if (phase != Phase.LOBBY && phase != Phase.OVER) {
            throw new GameException(WRONG_PHASE, "The game is already on: start works in the lobby or after a game.");
        }
        long online = room.members().stream().filter(room::isOnline).count();
        if (online < MIN_PLAYERS) {
            throw new GameException(NOT_ENOUGH_PLAYERS,
                    "Switchonyms needs at least " + MIN_PLAYERS + " players online to start.");
        }
        // A new game: fresh scores, switch counts and words; players who left are forgotten.
        for (Seat seat : seats.values()) {
            seat.score = 0;
            seat.switches = 0;
        }
        departed.clear();
        winners.clear();
        refillWords();
        startRound(room, 1);
    }

    private void nextRound(RoomContext room, Player from) throws GameException {
        requireHost(room, from, "move to the next round");
        if (phase != Phase.BETWEEN) {
            throw new GameException(WRONG_PHASE, "next_round works between rounds only.");
        }
        startRound(room, round + 1);
    }

    private void switchWord(RoomContext room, Player from) throws GameException {
        requireRound("You can switch words only during a round.");
        Seat seat = seatOf(from);
        long now = room.now();
        if (seat.lastSwitchAt >= 0 && now - seat.lastSwitchAt < SWITCH_COOLDOWN.toMillis()) {
            throw new GameException(TOO_FAST, "Wait a moment between switches.");
        }
        String next = draw(category());
        if (next == null) {
            throw new GameException(OUT_OF_WORDS,
                    "Every one of the " + category().wire() + " has been dealt this game: keep your word.");
        }
        seat.word = next;
        seat.switches++;
        seat.lastSwitchAt = now;
        sendWord(room, from, next);
        room.broadcast("switched", from, Json.nodes().objectNode()
                .put("player", from.id().value())
                .put("switches", seat.switches));
    }

    private void gotIt(RoomContext room, Player from, JsonNode data) throws GameException {
        requireRound("You can score only during a round.");
        JsonNode named = data == null ? null : data.get("guesser");
        if (named == null || !named.isTextual()) {
            throw new GameException(ErrorCode.BAD_REQUEST,
                    "got_it is {\"guesser\": playerId}, the id of the player who said your word.");
        }
        String guesserId = named.textValue();
        String giverId = from.id().value();
        if (guesserId.equals(giverId)) {
            throw new GameException(SELF_GUESS, "You cannot name yourself: pick who said your word.");
        }
        Seat guesser = seats.get(guesserId);
        if (guesser == null) {
            throw new GameException(UNKNOWN_PLAYER, "That player is not in room " + room.code() + ".");
        }
        Seat giver = seatOf(from);
        if (giver.word == null) {
            throw new GameException(OUT_OF_WORDS,
                    "You have no word to score: every one of the " + category().wire() + " has been dealt.");
        }
        String word = giver.word;
        giver.score++;
        giver.roundScore++;
        guesser.score++;
        guesser.roundScore++;
        guessed.add(word);
        giver.word = draw(category());
        ObjectNode scored = Json.nodes().objectNode()
                .put("giver", giverId)
                .put("guesser", guesserId)
                .put("word", word);
        scored.set("scores", tally(seat -> seat.score));
        room.broadcast("scored", from, scored);
        sendWord(room, from, giver.word);
    }

    // --- rounds --------------------------------------------------------------------------

    private void startRound(RoomContext room, int number) {
        phase = Phase.ROUND;
        round = number;
        guessed.clear();
        long durationMs = Duration.ofSeconds(roundSeconds).toMillis();
        endsAt = room.now() + durationMs;
        for (Seat seat : seats.values()) {
            seat.roundScore = 0;
            seat.lastSwitchAt = -1;
            seat.word = draw(category());
        }
        room.schedule(ROUND_TIMER, Duration.ofMillis(durationMs));
        room.broadcast("round_started", Json.nodes().objectNode()
                .put("round", round)
                .put("category", category().wire())
                .put("endsAt", endsAt)
                .put("durationMs", durationMs));
        for (Player member : room.members()) {
            Seat seat = seats.get(member.id().value());
            if (seat != null) {
                sendWord(room, member, seat.word);
            }
        }
    }

    private void endRound(RoomContext room) {
        for (Seat seat : seats.values()) {
            seat.word = null;
        }
        phase = round >= ROUNDS ? Phase.OVER : Phase.BETWEEN;
        ObjectNode ended = Json.nodes().objectNode().put("round", round);
        ended.set("scores", tally(seat -> seat.score));
        ended.set("roundScores", tally(seat -> seat.roundScore));
        ArrayNode words = ended.putArray("guessed");
        guessed.forEach(words::add);
        room.broadcast("round_ended", ended);
        if (phase == Phase.OVER) {
            winners.clear();
            int top = seats.values().stream().mapToInt(seat -> seat.score).max().orElse(0);
            if (top > 0) {
                seats.forEach((id, seat) -> {
                    if (seat.score == top) {
                        winners.add(id);
                    }
                });
            }
            ObjectNode over = Json.nodes().objectNode();
            over.set("scores", tally(seat -> seat.score));
            ArrayNode winnerIds = over.putArray("winners");
            winners.forEach(winnerIds::add);
            room.broadcast("game_over", over);
        }
    }

    // --- helpers -------------------------------------------------------------------------

    private void requireHost(RoomContext room, Player from, String action) throws GameException {
        boolean isHost = room.host().map(current -> current.id().equals(from.id())).orElse(false);
        if (!isHost) {
            throw new GameException(ErrorCode.NOT_HOST, "Only the host can " + action + ".");
        }
    }

    private void requireRound(String message) throws GameException {
        if (phase != Phase.ROUND) {
            throw new GameException(WRONG_PHASE, message);
        }
    }

    /** The sender's seat: every member has one, as {@link #onJoin} seats it before the core does. */
    private Seat seatOf(Player player) {
        Seat seat = seats.get(player.id().value());
        if (seat == null) {
            throw new IllegalStateException("member without a seat: " + player.id());
        }
        return seat;
    }

    private Category category() {
        return Category.ofRound(Math.max(round, 1));
    }

    /** Tells one player its new word, privately. */
    private void sendWord(RoomContext room, Player to, String word) {
        room.send(to, "word", Json.nodes().objectNode().put("word", word).put("category", category().wire()));
    }

    /** A random word of the category not dealt this game, now used up; null when none is left. */
    private String draw(Category category) {
        List<String> left = unused.get(category);
        if (left.isEmpty()) {
            return null;
        }
        int index = random.nextInt(left.size());
        String word = left.get(index);
        // Swap-remove: order does not matter, the draw is random.
        left.set(index, left.get(left.size() - 1));
        left.remove(left.size() - 1);
        return word;
    }

    private void refillWords() {
        for (Category category : Category.values()) {
            unused.put(category, new ArrayList<>(words.of(category)));
        }
    }

    private ObjectNode tally(ToIntFunction<Seat> count) {
        ObjectNode tally = Json.nodes().objectNode();
        seats.forEach((id, seat) -> tally.put(id, count.applyAsInt(seat)));
        return tally;
    }

    private static String fold(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
