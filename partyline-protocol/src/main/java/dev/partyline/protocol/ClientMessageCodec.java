package dev.partyline.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict JSON codec for {@link ClientMessage}. The server decodes with it, the Java client
 * encodes with it. Decoding refuses anything protocol v1 does not define, with a message a
 * client author can act on; unknown extra fields are ignored so that old servers tolerate
 * newer clients. Thread-safe.
 */
public final class ClientMessageCodec {
    static final int MAX_TYPE_LENGTH = 32;
    static final int MAX_ROOM_LENGTH = 32;
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_TOKEN_LENGTH = 512;
    static final int MAX_RESUME_ROOMS = 32;
    /** How much of a parser complaint is echoed; it may quote the client's own text. */
    static final int MAX_ECHO_LENGTH = 200;

    /**
     * Decodes one text frame.
     *
     * @throws DecodeException with {@code bad_request} or {@code unknown_type} and, where the
     *     frame carried a readable integer {@code id}, that id
     */
    public ClientMessage decode(String text) throws DecodeException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage() == null ? "parse error" : e.getOriginalMessage();
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "The frame is not valid JSON: " + printable(detail, MAX_ECHO_LENGTH), null);
        } catch (NumberFormatException e) {
            // Jackson lets this escape for an exponent beyond int range, such as 1e-2147483649.
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "The frame is not valid JSON: a number's exponent is out of range.", null);
        }
        if (root == null || !root.isObject()) {
            throw new DecodeException(ErrorCode.BAD_REQUEST, "A frame must be a JSON object with a \"t\" field.", null);
        }
        Long id = readableId(root);
        JsonNode type = root.get("t");
        if (type == null || !type.isTextual()) {
            throw new DecodeException(ErrorCode.BAD_REQUEST, "Field \"t\" must be a string naming the message type.", id);
        }
        return switch (type.textValue()) {
            case "auth" -> decodeAuth(root);
            case "create" -> new ClientMessage.Create(requireId(root, id),
                    requireText(root, "type", MAX_TYPE_LENGTH, id), optionalObject(root, "options", id));
            case "join" -> new ClientMessage.Join(requireId(root, id), requireText(root, "room", MAX_ROOM_LENGTH, id));
            case "leave" -> new ClientMessage.Leave(requireId(root, id), requireText(root, "room", MAX_ROOM_LENGTH, id));
            case "send" -> new ClientMessage.Send(requireId(root, id), requireText(root, "room", MAX_ROOM_LENGTH, id),
                    requireText(root, "name", MAX_NAME_LENGTH, id), optionalData(root, id));
            case "ping" -> new ClientMessage.Ping(requireId(root, id));
            default -> throw new DecodeException(ErrorCode.UNKNOWN_TYPE,
                    "Unknown message type \"" + printable(type.textValue())
                            + "\"; expected auth, create, join, leave, send or ping.", id);
        };
    }

    /** Encodes a message as one JSON text frame. */
    public String encode(ClientMessage message) {
        ObjectNode node = Json.nodes().objectNode();
        if (message instanceof ClientMessage.Auth auth) {
            node.put("t", "auth");
            if (auth.ticket() != null) {
                node.put("ticket", auth.ticket());
            }
            if (auth.resume() != null) {
                node.put("resume", auth.resume());
            }
            if (!auth.rooms().isEmpty()) {
                ObjectNode rooms = node.putObject("rooms");
                auth.rooms().forEach((code, position) ->
                        rooms.putObject(code).put("epoch", position.epoch()).put("seq", position.seq()));
            }
        } else if (message instanceof ClientMessage.Create create) {
            node.put("t", "create").put("id", create.id()).put("type", create.type());
            if (create.options() != null) {
                node.set("options", create.options());
            }
        } else if (message instanceof ClientMessage.Join join) {
            node.put("t", "join").put("id", join.id()).put("room", join.room());
        } else if (message instanceof ClientMessage.Leave leave) {
            node.put("t", "leave").put("id", leave.id()).put("room", leave.room());
        } else if (message instanceof ClientMessage.Send send) {
            node.put("t", "send").put("id", send.id()).put("room", send.room()).put("name", send.name());
            node.set("data", send.data() == null ? Json.nodes().nullNode() : send.data());
        } else if (message instanceof ClientMessage.Ping ping) {
            node.put("t", "ping").put("id", ping.id());
        }
        return node.toString();
    }

    private ClientMessage.Auth decodeAuth(JsonNode root) throws DecodeException {
        String ticket = optionalText(root, "ticket", MAX_TOKEN_LENGTH);
        String resume = optionalText(root, "resume", MAX_TOKEN_LENGTH);
        if ((ticket == null) == (resume == null)) {
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "An auth frame carries exactly one of \"ticket\" or \"resume\".", null);
        }
        return new ClientMessage.Auth(ticket, resume, resumeRooms(root.get("rooms")));
    }

    private Map<String, ClientMessage.RoomPosition> resumeRooms(JsonNode rooms) throws DecodeException {
        if (rooms == null || rooms.isNull()) {
            return Map.of();
        }
        if (!rooms.isObject() || rooms.size() > MAX_RESUME_ROOMS) {
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "Field \"rooms\" must be an object of at most " + MAX_RESUME_ROOMS
                            + " entries {CODE: {\"epoch\": string, \"seq\": integer}}.", null);
        }
        Map<String, ClientMessage.RoomPosition> positions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : rooms.properties()) {
            JsonNode position = entry.getValue();
            JsonNode epoch = position.get("epoch");
            JsonNode seq = position.get("seq");
            if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_ROOM_LENGTH
                    || epoch == null || !epoch.isTextual()
                    || epoch.textValue().isEmpty() || epoch.textValue().length() > MAX_TOKEN_LENGTH
                    || seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
                throw new DecodeException(ErrorCode.BAD_REQUEST,
                        "Each entry of \"rooms\" must map a room code of 1 to " + MAX_ROOM_LENGTH
                                + " characters to {\"epoch\": non-empty string, \"seq\": non-negative integer}.", null);
            }
            positions.put(entry.getKey(), new ClientMessage.RoomPosition(epoch.textValue(), seq.longValue()));
        }
        return positions;
    }

    private static Long readableId(JsonNode root) {
        JsonNode id = root.get("id");
        return id != null && id.isIntegralNumber() && id.canConvertToLong() ? id.longValue() : null;
    }

    private static long requireId(JsonNode root, Long id) throws DecodeException {
        if (id == null) {
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "Field \"id\" must be an integer chosen by the client; the reply carries it back.", null);
        }
        return id;
    }

    private static String requireText(JsonNode root, String field, int maxLength, Long id) throws DecodeException {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "Field \"" + field + "\" must be a non-empty string.", id);
        }
        if (value.textValue().length() > maxLength) {
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "Field \"" + field + "\" is longer than " + maxLength + " characters.", id);
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode root, String field, int maxLength) throws DecodeException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > maxLength) {
            throw new DecodeException(ErrorCode.BAD_REQUEST,
                    "Field \"" + field + "\" must be a non-empty string of at most " + maxLength + " characters.", null);
        }
        return value.textValue();
    }

    private static JsonNode optionalObject(JsonNode root, String field, Long id) throws DecodeException {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new DecodeException(ErrorCode.BAD_REQUEST, "Field \"" + field + "\" must be a JSON object.", id);
        }
        requireEncodableNumbers(value, field, id);
        return value;
    }

    private static JsonNode optionalData(JsonNode root, Long id) throws DecodeException {
        JsonNode value = root.get("data");
        if (value == null || value.isNull()) {
            return null;
        }
        requireEncodableNumbers(value, "data", id);
        return value;
    }

    /**
     * Refuses numbers whose encoded form would be longer than the parser accepts. Encoding
     * writes a decimal in canonical form, which can be longer than what the client wrote
     * ({@code 1111…1e5} becomes {@code 1.111…1E+103}), and a payload that cannot be decoded
     * again would fail on the next node instead of here.
     */
    private static void requireEncodableNumbers(JsonNode value, String field, Long id) throws DecodeException {
        if (value.isBigDecimal() || value.isBigInteger()) {
            String canonical = value.isBigDecimal()
                    ? value.decimalValue().toString() : value.bigIntegerValue().toString();
            if (canonical.length() > Json.MAX_NUMBER_LENGTH) {
                throw new DecodeException(ErrorCode.BAD_REQUEST, "Field \"" + field
                        + "\" holds a number longer than " + Json.MAX_NUMBER_LENGTH + " characters.", id);
            }
        } else if (value.isContainerNode()) {
            for (JsonNode child : value) {
                requireEncodableNumbers(child, field, id);
            }
        }
    }

    /** Echoes client text into an error message without letting it run long or carry controls. */
    static String printable(String text) {
        return printable(text, MAX_TYPE_LENGTH);
    }

    static String printable(String text, int maxCodePoints) {
        return PrintableText.of(text, maxCodePoints);
    }
}
