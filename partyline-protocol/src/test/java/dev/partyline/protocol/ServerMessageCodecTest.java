package dev.partyline.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMessageCodecTest {
    private final ServerMessageCodec codec = new ServerMessageCodec();

    private static final ServerMessage.State STATE = new ServerMessage.State("ABCD", "switchonyms", "ep-7", 42,
            List.of(new ServerMessage.MemberInfo("p1", "Ada", true, true),
                    new ServerMessage.MemberInfo("p2", "Bo", false, false)),
            json("{\"round\":3,\"word\":\"lamp\",\"scores\":{\"p1\":2.5}}"), "p1");

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The frame as a client sees it: its UTF-8 bytes parsed as strict JSON. */
    private JsonNode wire(ServerMessage message) throws Exception {
        return Json.mapper().readTree(codec.encode(message));
    }

    private ServerMessage roundTrip(ServerMessage message) {
        return codec.decode(new String(codec.encode(message), UTF_8));
    }

    @Test
    void welcomeCarriesPlayerSessionResumeHeartbeatNodeTimeAndResumed() throws Exception {
        var welcome = new ServerMessage.Welcome(new ServerMessage.PlayerInfo("p1", "Ada"), "s-1", "rs-secret",
                20_000, "node-a", 1_733_000_000_000L, true);

        assertThat(wire(welcome)).isEqualTo(json("{\"t\":\"welcome\",\"player\":{\"id\":\"p1\",\"name\":\"Ada\"},"
                + "\"session\":\"s-1\",\"resume\":\"rs-secret\",\"heartbeatMs\":20000,\"node\":\"node-a\","
                + "\"serverTime\":1733000000000,\"resumed\":true}"));
        assertThat(roundTrip(welcome)).isEqualTo(welcome);
    }

    @Test
    void anOkReplyCarriesIdOkAndDataButNoError() throws Exception {
        var reply = ServerMessage.Reply.ok(7, json("{\"pong\":true}"));

        JsonNode wire = wire(reply);

        assertThat(wire).isEqualTo(json("{\"t\":\"reply\",\"id\":7,\"ok\":true,\"data\":{\"pong\":true}}"));
        assertThat(wire.has("error")).isFalse();
        assertThat(roundTrip(reply)).isEqualTo(reply);
    }

    @Test
    void anOkReplyWithoutDataWritesNullData() throws Exception {
        var reply = ServerMessage.Reply.ok(-1, null);

        assertThat(wire(reply)).isEqualTo(json("{\"t\":\"reply\",\"id\":-1,\"ok\":true,\"data\":null}"));
        assertThat(roundTrip(reply)).isEqualTo(reply);
    }

    @Test
    void aFailedReplyCarriesTheErrorCodeAndMessageButNoData() throws Exception {
        var reply = ServerMessage.Reply.failure(Long.MAX_VALUE, ErrorCode.ROOM_FULL.wire(), "The room is full.");

        JsonNode wire = wire(reply);

        assertThat(wire).isEqualTo(json("{\"t\":\"reply\",\"id\":9223372036854775807,\"ok\":false,"
                + "\"error\":{\"code\":\"room_full\",\"message\":\"The room is full.\"}}"));
        assertThat(wire.has("data")).isFalse();
        assertThat(roundTrip(reply)).isEqualTo(reply);
    }

    @Test
    void aReplyCarryingASnapshotRoundTripsItsData() {
        var reply = ServerMessage.Reply.ok(3, codec.snapshotData(STATE));

        assertThat(roundTrip(reply)).isEqualTo(reply);
    }

    @Test
    void anEventCarriesRoomSeqNameFromAndData() throws Exception {
        var event = new ServerMessage.Event("ABCD", 12, "said", "p2", json("{\"text\":\"hé 😀\",\"at\":1.50}"));

        assertThat(wire(event)).isEqualTo(json("{\"t\":\"event\",\"room\":\"ABCD\",\"seq\":12,\"name\":\"said\","
                + "\"from\":\"p2\",\"data\":{\"text\":\"hé 😀\",\"at\":1.50}}"));
        assertThat(roundTrip(event)).isEqualTo(event);
    }

    @Test
    void anEventFromTheServerHasNullFromAndMayHaveNullData() throws Exception {
        var event = new ServerMessage.Event("ABCD", 1, "round.started", null, null);

        JsonNode wire = wire(event);

        assertThat(wire.get("from").isNull()).isTrue();
        assertThat(wire.get("data").isNull()).isTrue();
        assertThat(roundTrip(event)).isEqualTo(event);
    }

    @Test
    void stateCarriesRoomTypeEpochSeqMembersStateAndYou() throws Exception {
        assertThat(wire(STATE)).isEqualTo(json("{\"t\":\"state\",\"room\":\"ABCD\",\"type\":\"switchonyms\","
                + "\"epoch\":\"ep-7\",\"seq\":42,\"members\":["
                + "{\"id\":\"p1\",\"name\":\"Ada\",\"online\":true,\"host\":true},"
                + "{\"id\":\"p2\",\"name\":\"Bo\",\"online\":false,\"host\":false}],"
                + "\"state\":{\"round\":3,\"word\":\"lamp\",\"scores\":{\"p1\":2.5}},\"you\":\"p1\","
                + "\"resync\":false}"));
        assertThat(roundTrip(STATE)).isEqualTo(STATE);
    }

    @Test
    void aResyncSnapshotIsMarkedOnTheWire() throws Exception {
        assertThat(wire(STATE.asResync()).get("resync").asBoolean()).isTrue();
        assertThat(roundTrip(STATE.asResync())).isEqualTo(STATE.asResync());
    }

    @Test
    void stateWithNoMembersAndNullViewRoundTrips() {
        var state = new ServerMessage.State("WXYZ", "chat", "ep", 0, List.of(), null, "p9");

        assertThat(roundTrip(state)).isEqualTo(state);
    }

    @Test
    void snapshotDataHasExactlyTheFieldsOfTheStateFrameWithoutTAndResync() throws Exception {
        ObjectNode frame = (ObjectNode) wire(STATE);
        frame.remove("t");
        frame.remove("resync");

        assertThat(codec.snapshotData(STATE)).isEqualTo(frame);
    }

    @Test
    void snapshotDataOfANullViewHasANullState() throws Exception {
        var state = new ServerMessage.State("WXYZ", "chat", "ep", 5, List.of(), null, "p9");
        ObjectNode frame = (ObjectNode) wire(state);
        frame.remove("t");
        frame.remove("resync");

        JsonNode data = codec.snapshotData(state);

        assertThat(data).isEqualTo(frame);
        assertThat(data.get("state").isNull()).isTrue();
    }

    @Test
    void stateOfReadsASnapshotBack() {
        assertThat(codec.stateOf(codec.snapshotData(STATE))).isEqualTo(STATE);
    }

    @Test
    void errorCarriesCodeAndMessage() throws Exception {
        var error = new ServerMessage.Error(ErrorCode.UNKNOWN_TYPE.wire(), "Unknown message type \"kick\".");

        assertThat(wire(error)).isEqualTo(json("{\"t\":\"error\",\"code\":\"unknown_type\","
                + "\"message\":\"Unknown message type \\\"kick\\\".\"}"));
        assertThat(roundTrip(error)).isEqualTo(error);
    }

    @Test
    void transferCarriesUrlAndCode() throws Exception {
        var transfer = new ServerMessage.Transfer("wss://node-b.example/ws", "rcpt-123");

        assertThat(wire(transfer)).isEqualTo(json("{\"t\":\"transfer\",\"url\":\"wss://node-b.example/ws\",\"code\":\"rcpt-123\"}"));
        assertThat(roundTrip(transfer)).isEqualTo(transfer);
    }

    @Test
    void encodingIsUtf8AndKeepsCharactersOutsideTheBasicPlane() throws Exception {
        var error = new ServerMessage.Error("bad_request", "é 😀");

        byte[] frame = codec.encode(error);

        assertThat(new String(frame, UTF_8)).contains("é");
        assertThat(Json.mapper().readTree(frame).get("message").textValue()).isEqualTo("é 😀");
    }

    @Test
    void everyDecodeRefusalOfTheClientCodecCanBeSentAsAnErrorFrame() {
        // The server answers a refused frame with its code and message; that must always encode.
        var refusal = new ServerMessage.Error(ErrorCode.UNKNOWN_TYPE.wire(),
                "Unknown message type \"" + ClientMessageCodec.printable("x\uD800\u001b") + "\".");

        assertThat(roundTrip(refusal)).isEqualTo(refusal);
    }

    @Test
    void decodingAFrameOfAnotherTypeIsRefused() {
        assertThatThrownBy(() -> codec.decode("{\"t\":\"ping\",\"id\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ping");
    }

    @Test
    void decodingTextThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> codec.decode("{\"t\":")).isInstanceOf(IllegalArgumentException.class);
    }
}
