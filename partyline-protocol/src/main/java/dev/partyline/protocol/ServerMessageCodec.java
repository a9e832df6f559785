package dev.partyline.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON codec for {@link ServerMessage}. The server encodes with it (once per broadcast, never
 * once per recipient), the Java client decodes with it. Thread-safe.
 */
public final class ServerMessageCodec {

    /** Encodes one message as the UTF-8 bytes of a JSON text frame. */
    public byte[] encode(ServerMessage message) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
             JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            json.setCodec(Json.mapper());
            json.writeStartObject();
            writeFields(json, message);
            json.writeEndObject();
            json.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    private static void writeFields(JsonGenerator json, ServerMessage message) throws IOException {
        if (message instanceof ServerMessage.Event event) {
            json.writeStringField("t", "event");
            json.writeStringField("room", event.room());
            json.writeNumberField("seq", event.seq());
            json.writeStringField("name", event.name());
            json.writeStringField("from", event.from());
            writeTree(json, "data", event.data());
        } else if (message instanceof ServerMessage.Reply reply) {
            json.writeStringField("t", "reply");
            json.writeNumberField("id", reply.id());
            json.writeBooleanField("ok", reply.ok());
            if (reply.ok()) {
                writeTree(json, "data", reply.data());
            } else {
                json.writeObjectFieldStart("error");
                json.writeStringField("code", reply.error().code());
                json.writeStringField("message", reply.error().message());
                json.writeEndObject();
            }
        } else if (message instanceof ServerMessage.State state) {
            json.writeStringField("t", "state");
            writeStateFields(json, state);
            json.writeBooleanField("resync", state.resync());
        } else if (message instanceof ServerMessage.Welcome welcome) {
            json.writeStringField("t", "welcome");
            json.writeObjectFieldStart("player");
            json.writeStringField("id", welcome.player().id());
            json.writeStringField("name", welcome.player().name());
            json.writeEndObject();
            json.writeStringField("session", welcome.session());
            json.writeStringField("resume", welcome.resume());
            json.writeNumberField("heartbeatMs", welcome.heartbeatMs());
            json.writeStringField("node", welcome.node());
            json.writeNumberField("serverTime", welcome.serverTime());
            json.writeBooleanField("resumed", welcome.resumed());
        } else if (message instanceof ServerMessage.Error error) {
            json.writeStringField("t", "error");
            json.writeStringField("code", error.code());
            json.writeStringField("message", error.message());
            if (error.room() != null) {
                json.writeStringField("room", error.room());
            }
        } else if (message instanceof ServerMessage.Transfer transfer) {
            json.writeStringField("t", "transfer");
            json.writeStringField("url", transfer.url());
            json.writeStringField("code", transfer.code());
        }
    }

    /** The fields of a snapshot: shared by the {@code state} frame and join/create replies. */
    private static void writeStateFields(JsonGenerator json, ServerMessage.State state) throws IOException {
        json.writeStringField("room", state.room());
        json.writeStringField("type", state.type());
        json.writeStringField("epoch", state.epoch());
        json.writeNumberField("seq", state.seq());
        json.writeArrayFieldStart("members");
        for (ServerMessage.MemberInfo member : state.members()) {
            json.writeStartObject();
            json.writeStringField("id", member.id());
            json.writeStringField("name", member.name());
            json.writeBooleanField("online", member.online());
            json.writeBooleanField("host", member.host());
            json.writeEndObject();
        }
        json.writeEndArray();
        writeTree(json, "state", state.state());
        json.writeStringField("you", state.you());
    }

    private static void writeTree(JsonGenerator json, String field, JsonNode value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeTree(value);
        }
    }

    /** A snapshot as a JSON object, the {@code data} of a join or create reply. */
    public JsonNode snapshotData(ServerMessage.State state) {
        var node = Json.nodes().objectNode();
        node.put("room", state.room()).put("type", state.type()).put("epoch", state.epoch());
        // An int node when it fits, as a parser reads it: the snapshot then equals the data of a
        // reply decoded from the wire (IntNode 42 and LongNode 42 are not equal).
        if (state.seq() == (int) state.seq()) {
            node.put("seq", (int) state.seq());
        } else {
            node.put("seq", state.seq());
        }
        var members = node.putArray("members");
        for (ServerMessage.MemberInfo member : state.members()) {
            members.addObject().put("id", member.id()).put("name", member.name())
                    .put("online", member.online()).put("host", member.host());
        }
        node.set("state", state.state() == null ? Json.nodes().nullNode() : state.state());
        node.put("you", state.you());
        return node;
    }

    /**
     * Decodes a server frame (for clients).
     *
     * @throws IllegalArgumentException when the text is not a server message of protocol v1
     */
    public ServerMessage decode(String text) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        String type = root.path("t").asText("");
        return switch (type) {
            case "event" -> new ServerMessage.Event(root.path("room").asText(), root.path("seq").asLong(),
                    root.path("name").asText(), textOrNull(root.get("from")), dataOrNull(root.get("data")));
            case "reply" -> root.path("ok").asBoolean()
                    ? ServerMessage.Reply.ok(root.path("id").asLong(), dataOrNull(root.get("data")))
                    : ServerMessage.Reply.failure(root.path("id").asLong(),
                            root.path("error").path("code").asText(), root.path("error").path("message").asText());
            case "state" -> stateOf(root);
            case "welcome" -> new ServerMessage.Welcome(
                    new ServerMessage.PlayerInfo(root.path("player").path("id").asText(),
                            root.path("player").path("name").asText()),
                    root.path("session").asText(), root.path("resume").asText(), root.path("heartbeatMs").asLong(),
                    root.path("node").asText(), root.path("serverTime").asLong(), root.path("resumed").asBoolean());
            case "error" -> new ServerMessage.Error(root.path("code").asText(), root.path("message").asText(),
                    textOrNull(root.get("room")));
            case "transfer" -> new ServerMessage.Transfer(root.path("url").asText(), root.path("code").asText());
            default -> throw new IllegalArgumentException("unknown server message type: " + type);
        };
    }

    /** Reads a snapshot from a {@code state} frame or from the data of a join/create reply. */
    public ServerMessage.State stateOf(JsonNode node) {
        List<ServerMessage.MemberInfo> members = new ArrayList<>();
        for (JsonNode member : node.path("members")) {
            members.add(new ServerMessage.MemberInfo(member.path("id").asText(), member.path("name").asText(),
                    member.path("online").asBoolean(), member.path("host").asBoolean()));
        }
        return new ServerMessage.State(node.path("room").asText(), node.path("type").asText(),
                node.path("epoch").asText(), node.path("seq").asLong(), members,
                dataOrNull(node.get("state")), textOrNull(node.get("you")), node.path("resync").asBoolean());
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode dataOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
