package dev.partyline.core.game;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A room type for tests, registered as {@code echo}: it echoes every message to the whole room
 * and has a few messages that exercise the rest of the game API.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>name</th><th>data</th><th>effect</th></tr>
 *   <tr><td>{@code whisper}</td><td>{@code {"to": playerId, …}}</td>
 *       <td>private event {@code whisper} with the same data to that member only;
 *       {@code bad_request} when {@code to} is not a member</td></tr>
 *   <tr><td>{@code boom}</td><td>any</td><td>throws {@link IllegalStateException} (a bug in a room type)</td></tr>
 *   <tr><td>{@code refuse}</td><td>{@code {"code": "…"}} or null</td>
 *       <td>throws {@link GameException} with that code ({@value #REFUSED} by default)</td></tr>
 *   <tr><td>{@code timer}</td><td>{@code {"name": "t", "ms": 1000}}</td>
 *       <td>schedules timer {@code t}; when it fires, event {@code timer} {@code {"name": "t"}} to everyone</td></tr>
 *   <tr><td>{@code cancel}</td><td>{@code {"name": "t"}}</td><td>cancels timer {@code t}</td></tr>
 *   <tr><td>anything else</td><td>any</td><td>event of the same name and data to everyone, from the sender</td></tr>
 * </table>
 *
 * <p>Create options: {@code {"throwOn": [callbacks]}} makes those callbacks throw a
 * RuntimeException, {@code {"refuseOn": ["create"|"join"]}} makes them throw a
 * {@link GameException} {@value #REFUSED}; callback names are {@code create}, {@code join},
 * {@code leave}, {@code away}, {@code back}, {@code timer}.
 *
 * <p>The view is the same for everyone but {@code viewer}:
 * {@code {"viewer": playerId, "echoed": n, "calls": ["create", "join:Ann", "leave:Bob:LEFT", …]}},
 * where {@code calls} lists the lifecycle callbacks the room got, so tests can check them.
 */
public final class EchoRoomLogic implements RoomLogic {
    /** The room type name tests use. */
    public static final String NAME = "echo";
    /** The error code of {@code refuse} and of {@code refuseOn}. */
    public static final String REFUSED = "refused";

    private final List<String> calls = new ArrayList<>();
    private final Set<String> throwOn = new HashSet<>();
    private final Set<String> refuseOn = new HashSet<>();
    private int echoed;

    /** The {@code echo} room type with at most 8 members. */
    public static RoomType type() {
        return type(8);
    }

    /** The {@code echo} room type with at most {@code maxMembers} members. */
    public static RoomType type(int maxMembers) {
        return new RoomType(NAME, EchoRoomLogic::new, maxMembers);
    }

    /** The {@code calls} of an echo view (a snapshot's {@code state}), in order. */
    public static List<String> calls(JsonNode view) {
        List<String> names = new ArrayList<>();
        view.path("calls").forEach(call -> names.add(call.asText()));
        return names;
    }

    @Override
    public void onCreate(RoomContext room, JsonNode options) throws GameException {
        if (options != null) {
            options.path("throwOn").forEach(name -> throwOn.add(name.asText()));
            options.path("refuseOn").forEach(name -> refuseOn.add(name.asText()));
        }
        calls.add("create");
        trip("create");
    }

    @Override
    public void onJoin(RoomContext room, Player player) throws GameException {
        calls.add("join:" + player.name());
        trip("join");
    }

    @Override
    public void onLeave(RoomContext room, Player player, LeaveReason reason) {
        calls.add("leave:" + player.name() + ":" + reason);
        throwIfAsked("leave");
    }

    @Override
    public void onAway(RoomContext room, Player player) {
        calls.add("away:" + player.name());
        throwIfAsked("away");
    }

    @Override
    public void onBack(RoomContext room, Player player) {
        calls.add("back:" + player.name());
        throwIfAsked("back");
    }

    @Override
    public void onMessage(RoomContext room, Player from, String name, JsonNode data) throws GameException {
        switch (name) {
            case "whisper" -> {
                String to = data == null ? "" : data.path("to").asText("");
                Player target = room.members().stream()
                        .filter(member -> member.id().value().equals(to))
                        .findFirst()
                        .orElseThrow(() -> new GameException(ErrorCode.BAD_REQUEST, "No member " + to + " here."));
                room.send(target, "whisper", data);
            }
            case "boom" -> throw new IllegalStateException("boom, as asked");
            case "refuse" -> throw new GameException(
                    data == null ? REFUSED : data.path("code").asText(REFUSED), "Refused, as asked.");
            case "timer" -> room.schedule(data.path("name").asText("t"), Duration.ofMillis(data.path("ms").asLong()));
            case "cancel" -> room.cancel(data.path("name").asText("t"));
            default -> {
                echoed++;
                room.broadcast(name, from, data);
            }
        }
    }

    @Override
    public void onTimer(RoomContext room, String timer) {
        calls.add("timer:" + timer);
        throwIfAsked("timer");
        room.broadcast("timer", Json.nodes().objectNode().put("name", timer));
    }

    @Override
    public JsonNode view(Player player) {
        ObjectNode view = Json.nodes().objectNode();
        view.put("viewer", player.id().value());
        view.put("echoed", echoed);
        calls.forEach(view.putArray("calls")::add);
        return view;
    }

    private void trip(String callback) throws GameException {
        throwIfAsked(callback);
        if (refuseOn.contains(callback)) {
            throw new GameException(REFUSED, "Refused " + callback + ", as asked.");
        }
    }

    private void throwIfAsked(String callback) {
        if (throwOn.contains(callback)) {
            throw new IllegalStateException("thrown in " + callback + ", as asked");
        }
    }
}
