package dev.partyline.games.chat;

import dev.partyline.protocol.PrintableText;
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
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The logic of one chat room.
 *
 * <p>Create options: {@code {"title": "..."}}, optional; a title is a string of 1 to
 * {@value #MAX_TITLE_LENGTH} characters once trimmed, without control characters (default
 * {@value #DEFAULT_TITLE}); a bad one refuses the create with {@code bad_request}.
 *
 * <p>Messages ({@code send} names):
 * <ul>
 *   <li>{@code message} {@code {"text": "..."}} from any member: the text, trimmed, must not be
 *       empty ({@code bad_request}) nor longer than {@value #MAX_TEXT_LENGTH} characters
 *       ({@code text_too_long}); everyone gets event {@code message} from the sender with
 *       {@code {"text", "name", "at"}} (the sender's display name, server time in epoch ms), and it
 *       joins the history.</li>
 *   <li>{@code rename} {@code {"title": "..."}} from the host only ({@code not_host} otherwise;
 *       {@code bad_request} for a bad title): everyone gets event {@code renamed}
 *       {@code {"title"}} from the host.</li>
 *   <li>Any other name is refused with {@code unknown_message}.</li>
 * </ul>
 *
 * <p>The view, the same for every member: {@code {"title": "...", "messages": [{"from":
 * playerId, "name", "text", "at": epochMs}, …]}} with the last {@value #HISTORY_SIZE} messages,
 * oldest first. Lengths count Unicode code points, so an emoji is one character.
 *
 * <p>Like every {@link RoomLogic}, called on its room's mailbox only; the state (title and
 * history) is plain values.
 */
public final class ChatRoom implements RoomLogic {
    public static final String DEFAULT_TITLE = "Chat";
    public static final int MAX_TITLE_LENGTH = 40;
    public static final int MAX_TEXT_LENGTH = 500;
    /** How many of the latest messages the room keeps and shows to players who join later. */
    public static final int HISTORY_SIZE = 100;

    private static final int MAX_ECHOED_NAME = 32;

    private String title = DEFAULT_TITLE;
    private final Deque<Line> history = new ArrayDeque<>();

    /**
     * One message of the history.
     *
     * @param from the sender's player id
     * @param name the sender's display name when it spoke
     * @param text the trimmed text
     * @param at server time in epoch milliseconds
     */
    public record Line(String from, String name, String text, long at) {}

    @Override
    public void onCreate(RoomContext room, JsonNode options) throws GameException {
        JsonNode requested = options == null ? null : options.get("title");
        if (requested != null && !requested.isNull()) {
            title = validTitle(requested);
        }
    }

    @Override
    public void onJoin(RoomContext room, Player player) {
        // Anyone may join while there is a seat; the room type caps the members.
    }

    @Override
    public void onLeave(RoomContext room, Player player, LeaveReason reason) {
        // What a member said stays in the history after it leaves.
    }

    @Override
    public void onMessage(RoomContext room, Player from, String name, JsonNode data) throws GameException {
        switch (name) {
            case "message" -> say(room, from, data);
            case "rename" -> rename(room, from, data);
            default -> throw new GameException(ErrorCode.UNKNOWN_MESSAGE,
                    "Chat rooms take \"message\" and \"rename\", not \"" + printable(name) + "\".");
        }
    }

    @Override
    public JsonNode view(Player player) {
        ObjectNode view = Json.nodes().objectNode();
        view.put("title", title);
        ArrayNode messages = view.putArray("messages");
        for (Line line : history) {
            messages.addObject()
                    .put("from", line.from())
                    .put("name", line.name())
                    .put("text", line.text())
                    .put("at", line.at());
        }
        return view;
    }

    private void say(RoomContext room, Player from, JsonNode data) throws GameException {
        JsonNode text = data == null ? null : data.get("text");
        if (text == null || !text.isTextual()) {
            throw new GameException(ErrorCode.BAD_REQUEST, "A message is {\"text\": \"...\"}.");
        }
        String trimmed = text.textValue().strip();
        if (trimmed.isEmpty()) {
            throw new GameException(ErrorCode.BAD_REQUEST, "A message cannot be empty.");
        }
        if (trimmed.codePointCount(0, trimmed.length()) > MAX_TEXT_LENGTH) {
            throw new GameException(ErrorCode.TEXT_TOO_LONG,
                    "Messages are at most " + MAX_TEXT_LENGTH + " characters.");
        }
        long at = room.now();
        history.addLast(new Line(from.id().value(), from.name(), trimmed, at));
        if (history.size() > HISTORY_SIZE) {
            history.removeFirst();
        }
        // "at" too: a replayed message must show when it was said, not when it was replayed.
        room.broadcast("message", from, Json.nodes().objectNode().put("text", trimmed).put("name", from.name())
                .put("at", at));
    }

    private void rename(RoomContext room, Player from, JsonNode data) throws GameException {
        boolean isHost = room.host().map(host -> host.id().equals(from.id())).orElse(false);
        if (!isHost) {
            throw new GameException(ErrorCode.NOT_HOST, "Only the host can rename the room.");
        }
        title = validTitle(data == null ? null : data.get("title"));
        room.broadcast("renamed", from, Json.nodes().objectNode().put("title", title));
    }

    private static String validTitle(JsonNode value) throws GameException {
        String title = value != null && value.isTextual() ? value.textValue().strip() : "";
        int length = title.codePointCount(0, title.length());
        if (length < 1 || length > MAX_TITLE_LENGTH || title.codePoints().anyMatch(Character::isISOControl)) {
            throw new GameException(ErrorCode.BAD_REQUEST,
                    "A title is 1 to " + MAX_TITLE_LENGTH + " characters of text, without line breaks.");
        }
        return title;
    }

    /** Echoes a client's message name into an error without letting it run long or carry controls. */
    private static String printable(String text) {
        return PrintableText.of(text, MAX_ECHOED_NAME);
    }
}
