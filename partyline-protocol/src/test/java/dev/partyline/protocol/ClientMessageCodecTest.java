package dev.partyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientMessageCodecTest {
    private final ClientMessageCodec codec = new ClientMessageCodec();

    private ClientMessage decode(String frame) throws DecodeException {
        return codec.decode(frame);
    }

    private DecodeException refusal(String frame) {
        DecodeException refusal = catchThrowableOfType(DecodeException.class, () -> codec.decode(frame));
        assertThat(refusal).as("decoding %s must be refused", frame).isNotNull();
        assertThat(refusal.code()).isNotNull();
        assertThat(refusal.getMessage()).isNotBlank();
        return refusal;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Nested
    class EveryMessageTypeDecodes {

        @Test
        void authWithATicketDecodesWithNoResumeAndNoRooms() throws Exception {
            assertThat(decode("{\"t\":\"auth\",\"ticket\":\"tk-1\"}"))
                    .isEqualTo(new ClientMessage.Auth("tk-1", null, Map.of()));
        }

        @Test
        void authWithAResumeTokenDecodesTheRoomPositions() throws Exception {
            ClientMessage message = decode("{\"t\":\"auth\",\"resume\":\"rs-9\","
                    + "\"rooms\":{\"ABCD\":{\"epoch\":\"e1\",\"seq\":12},\"WXYZ\":{\"epoch\":\"e2\",\"seq\":0}}}");

            assertThat(message).isEqualTo(new ClientMessage.Auth(null, "rs-9", Map.of(
                    "ABCD", new ClientMessage.RoomPosition("e1", 12),
                    "WXYZ", new ClientMessage.RoomPosition("e2", 0))));
        }

        @Test
        void authWithNullRoomsDecodesAsNoRooms() throws Exception {
            assertThat(decode("{\"t\":\"auth\",\"resume\":\"rs\",\"rooms\":null}"))
                    .isEqualTo(new ClientMessage.Auth(null, "rs", Map.of()));
        }

        @Test
        void createWithOptionsKeepsTheOptionsObject() throws Exception {
            ClientMessage message = decode("{\"t\":\"create\",\"id\":1,\"type\":\"chat\",\"options\":{\"max\":8,\"tags\":[\"a\"]}}");

            assertThat(message).isEqualTo(new ClientMessage.Create(1, "chat", json("{\"max\":8,\"tags\":[\"a\"]}")));
        }

        @Test
        void createWithoutOptionsHasNullOptions() throws Exception {
            assertThat(decode("{\"t\":\"create\",\"id\":2,\"type\":\"switchonyms\"}"))
                    .isEqualTo(new ClientMessage.Create(2, "switchonyms", null));
        }

        @Test
        void createWithNullOptionsHasNullOptions() throws Exception {
            assertThat(decode("{\"t\":\"create\",\"id\":2,\"type\":\"chat\",\"options\":null}"))
                    .isEqualTo(new ClientMessage.Create(2, "chat", null));
        }

        @Test
        void joinDecodesTheRoomAsWritten() throws Exception {
            // Trimming and upper-casing a code is the lookup's job, not the codec's.
            assertThat(decode("{\"t\":\"join\",\"id\":3,\"room\":\" abcd \"}"))
                    .isEqualTo(new ClientMessage.Join(3, " abcd "));
        }

        @Test
        void leaveDecodes() throws Exception {
            assertThat(decode("{\"t\":\"leave\",\"id\":4,\"room\":\"ABCD\"}"))
                    .isEqualTo(new ClientMessage.Leave(4, "ABCD"));
        }

        @Test
        void sendWithDataKeepsTheData() throws Exception {
            assertThat(decode("{\"t\":\"send\",\"id\":5,\"room\":\"ABCD\",\"name\":\"say\",\"data\":{\"text\":\"hi\"}}"))
                    .isEqualTo(new ClientMessage.Send(5, "ABCD", "say", json("{\"text\":\"hi\"}")));
        }

        @Test
        void sendDataMayBeAnyJsonValue() throws Exception {
            assertThat(((ClientMessage.Send) decode("{\"t\":\"send\",\"id\":5,\"room\":\"R\",\"name\":\"n\",\"data\":[1,\"x\",true]}"))
                    .data()).isEqualTo(json("[1,\"x\",true]"));
            assertThat(((ClientMessage.Send) decode("{\"t\":\"send\",\"id\":5,\"room\":\"R\",\"name\":\"n\",\"data\":\"x\"}"))
                    .data()).isEqualTo(json("\"x\""));
        }

        @Test
        void sendWithoutDataOrWithNullDataHasNullData() throws Exception {
            assertThat(decode("{\"t\":\"send\",\"id\":6,\"room\":\"ABCD\",\"name\":\"switch\"}"))
                    .isEqualTo(new ClientMessage.Send(6, "ABCD", "switch", null));
            assertThat(decode("{\"t\":\"send\",\"id\":6,\"room\":\"ABCD\",\"name\":\"switch\",\"data\":null}"))
                    .isEqualTo(new ClientMessage.Send(6, "ABCD", "switch", null));
        }

        @Test
        void pingDecodes() throws Exception {
            assertThat(decode("{\"t\":\"ping\",\"id\":7}")).isEqualTo(new ClientMessage.Ping(7));
        }

        @Test
        void idsCoverTheWholeLongRangeIncludingNegatives() throws Exception {
            assertThat(decode("{\"t\":\"ping\",\"id\":9223372036854775807}")).isEqualTo(new ClientMessage.Ping(Long.MAX_VALUE));
            assertThat(decode("{\"t\":\"ping\",\"id\":-9223372036854775808}")).isEqualTo(new ClientMessage.Ping(Long.MIN_VALUE));
        }

        @Test
        void unknownExtraFieldsAreIgnoredSoOldServersTolerateNewerClients() throws Exception {
            assertThat(decode("{\"t\":\"ping\",\"id\":8,\"trace\":{\"span\":1},\"v\":2}")).isEqualTo(new ClientMessage.Ping(8));
        }

        @Test
        void fieldsMayComeInAnyOrderAndWithWhitespace() throws Exception {
            assertThat(decode(" \n{ \"room\" : \"ABCD\" ,\t\"id\" : 9 , \"t\" : \"join\" }\r\n "))
                    .isEqualTo(new ClientMessage.Join(9, "ABCD"));
        }

        @Test
        void stringsAtTheirMaximumLengthAreAccepted() throws Exception {
            String type = "t".repeat(ClientMessageCodec.MAX_TYPE_LENGTH);
            String room = "R".repeat(ClientMessageCodec.MAX_ROOM_LENGTH);
            String name = "n".repeat(ClientMessageCodec.MAX_NAME_LENGTH);
            String token = "k".repeat(ClientMessageCodec.MAX_TOKEN_LENGTH);

            assertThat(decode("{\"t\":\"create\",\"id\":1,\"type\":\"" + type + "\"}"))
                    .isEqualTo(new ClientMessage.Create(1, type, null));
            assertThat(decode("{\"t\":\"send\",\"id\":1,\"room\":\"" + room + "\",\"name\":\"" + name + "\"}"))
                    .isEqualTo(new ClientMessage.Send(1, room, name, null));
            assertThat(decode("{\"t\":\"auth\",\"ticket\":\"" + token + "\"}"))
                    .isEqualTo(new ClientMessage.Auth(token, null, Map.of()));
        }

        @Test
        void dataNestedJustWithinTheDepthLimitIsAccepted() throws Exception {
            // The frame object itself is one level, so data may nest one level less.
            int depth = Json.MAX_NESTING_DEPTH - 1;
            String data = "[".repeat(depth) + "]".repeat(depth);

            ClientMessage message = decode("{\"t\":\"send\",\"id\":1,\"room\":\"R\",\"name\":\"n\",\"data\":" + data + "}");

            assertThat(((ClientMessage.Send) message).data()).isEqualTo(json(data));
        }
    }

    @Nested
    class MalformedFramesAreRefused {

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"", "   ", "{", "{\"t\":\"ping\",\"id\":1", "{'t':'ping','id':1}", "{t:\"ping\",\"id\":1}",
                "{\"t\":\"ping\",\"id\":01}", "{\"t\":\"ping\",\"id\":1,}", "not json", "{\"t\":\"ping\",\"id\":NaN}"})
        void textThatIsNotOneJsonObjectIsABadRequestWithoutId(String frame) {
            DecodeException refusal = refusal(frame);

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.requestId()).isNull();
        }

        @Test
        void invalidJsonSaysSo() {
            DecodeException refusal = refusal("{\"t\":\"ping\",\"id\":1");

            assertThat(refusal.getMessage()).startsWith("The frame is not valid JSON: ");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"[{\"t\":\"ping\",\"id\":1}]", "[]", "42", "-1.5", "\"ping\"", "true", "null"})
        void aTopLevelValueOtherThanAnObjectIsABadRequest(String frame) {
            DecodeException refusal = refusal(frame);

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("A frame must be a JSON object with a \"t\" field.");
            assertThat(refusal.requestId()).isNull();
        }

        @Test
        void aMissingTypeIsABadRequestThatCarriesTheId() {
            DecodeException refusal = refusal("{\"id\":11}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).contains("\"t\"");
            assertThat(refusal.requestId()).isEqualTo(11L);
        }

        @ParameterizedTest(name = "t = {0}")
        @ValueSource(strings = {"1", "null", "true", "[\"ping\"]", "{\"name\":\"ping\"}"})
        void aTypeThatIsNotAStringIsABadRequestThatCarriesTheId(String type) {
            DecodeException refusal = refusal("{\"t\":" + type + ",\"id\":12}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("Field \"t\" must be a string naming the message type.");
            assertThat(refusal.requestId()).isEqualTo(12L);
        }

        @Test
        void anUnknownTypeIsUnknownTypeAndNamesTheTypesThatExist() {
            DecodeException refusal = refusal("{\"t\":\"kick\",\"id\":13,\"room\":\"ABCD\"}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
            assertThat(refusal.getMessage()).isEqualTo(
                    "Unknown message type \"kick\"; expected auth, create, join, leave, send or ping.");
            assertThat(refusal.requestId()).isEqualTo(13L);
        }

        @Test
        void typesAreCaseSensitive() {
            assertThat(refusal("{\"t\":\"PING\",\"id\":1}").code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        }

        @Test
        void anUnknownTypeWithoutIdHasNoRequestId() {
            DecodeException refusal = refusal("{\"t\":\"\"}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
            assertThat(refusal.requestId()).isNull();
        }

        @Test
        void controlCharactersInAnUnknownTypeAreNotEchoed() {
            // ESC [2J would clear a terminal that shows the log; U+202E reverses the text after it;
            // U+0085 and U+2028 break a log line; a lone surrogate cannot be encoded as UTF-8.
            DecodeException refusal = refusal(
                    "{\"t\":\"a\\u0000b\\u001b[2Jc\\u007fd\\u0085e\\u202ef\\u2028g\\u200bh\\ud800i\\n\",\"id\":14}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
            assertThat(refusal.getMessage()).startsWith("Unknown message type \"a?b?[2Jc?d?e?f?g?h?i \"");
            assertThat(refusal.getMessage()).matches(ClientMessageCodecTest::isSafeToEcho, "is safe to echo");
            assertThat(refusal.requestId()).isEqualTo(14L);
        }

        @Test
        void aLongUnknownTypeIsCutShort() {
            DecodeException refusal = refusal("{\"t\":\"" + "x".repeat(10_000) + "\"}");

            assertThat(refusal.getMessage()).contains("\"" + "x".repeat(ClientMessageCodec.MAX_TYPE_LENGTH) + "…\"");
            assertThat(refusal.getMessage()).hasSizeLessThan(200);
        }

        @Test
        void cuttingAnUnknownTypeShortNeverSplitsASurrogatePair() {
            String grin = "\uD83D\uDE00";
            DecodeException refusal = refusal("{\"t\":\"" + "a".repeat(ClientMessageCodec.MAX_TYPE_LENGTH - 1) + grin + grin + "\"}");

            assertThat(refusal.getMessage())
                    .contains("\"" + "a".repeat(ClientMessageCodec.MAX_TYPE_LENGTH - 1) + grin + "…\"")
                    .matches(ClientMessageCodecTest::isSafeToEcho, "is safe to echo");
        }

        @Test
        void aDuplicateKeyIsABadRequestThatNamesTheKey() {
            DecodeException refusal = refusal("{\"t\":\"ping\",\"id\":1,\"id\":2}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).contains("Duplicate field 'id'");
            assertThat(refusal.requestId()).isNull();
        }

        @Test
        void aDuplicateTypeIsABadRequest() {
            // Two parsers that keep the first and the last value would disagree on what this is.
            assertThat(refusal("{\"t\":\"ping\",\"t\":\"join\",\"id\":1,\"room\":\"R\"}").code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }

        @Test
        void aDuplicateKeyNestedInDataIsABadRequest() {
            assertThat(refusal("{\"t\":\"send\",\"id\":1,\"room\":\"R\",\"name\":\"n\",\"data\":{\"a\":1,\"a\":2}}").code())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
        }

        @Test
        void aDuplicateKeyIsEchoedSafelyAndShort() {
            String key = "\\u001b]0;pwned\\u0007" + "k".repeat(5_000);
            DecodeException refusal = refusal("{\"" + key + "\":1,\"" + key + "\":2}");

            assertThat(refusal.getMessage()).matches(ClientMessageCodecTest::isSafeToEcho, "is safe to echo");
            assertThat(refusal.getMessage().length()).isLessThan(ClientMessageCodec.MAX_ECHO_LENGTH + 40);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"t\":\"ping\",\"id\":1} x", "{\"t\":\"ping\",\"id\":1}}", "{\"t\":\"ping\",\"id\":1}{}",
                "{\"t\":\"ping\",\"id\":1}[]", "{\"t\":\"ping\",\"id\":1} 1", "{\"t\":\"ping\",\"id\":1}{\"t\":\"ping\",\"id\":2}"})
        void trailingGarbageAfterTheObjectIsABadRequest(String frame) {
            DecodeException refusal = refusal(frame);

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).startsWith("The frame is not valid JSON: ");
        }

        @Test
        void trailingWhitespaceIsFine() throws Exception {
            assertThat(decode("{\"t\":\"ping\",\"id\":1} \n\t\r")).isEqualTo(new ClientMessage.Ping(1));
        }

        @Test
        void nestingDeeperThanTheLimitIsABadRequest() {
            int depth = Json.MAX_NESTING_DEPTH; // plus the frame object itself
            String data = "[".repeat(depth) + "]".repeat(depth);

            DecodeException refusal = refusal("{\"t\":\"send\",\"id\":1,\"room\":\"R\",\"name\":\"n\",\"data\":" + data + "}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).contains("nesting depth");
        }

        @Test
        void nestingFarBeyondTheLimitIsRefusedWithoutOverflowingTheStack() {
            DecodeException refusal = refusal("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal("[".repeat(100_000)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }

        @Test
        void aNumberWithAnExponentBeyondIntRangeIsABadRequest() {
            // Jackson throws a bare NumberFormatException here rather than a parse exception.
            DecodeException refusal = refusal("{\"t\":\"send\",\"id\":1,\"room\":\"R\",\"name\":\"n\",\"data\":1e-2147483649}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).contains("exponent");
        }

        @Test
        void aNumberLongerThanTheLimitIsABadRequest() {
            assertThat(refusal("{\"t\":\"ping\",\"id\":" + "1".repeat(1_000) + "}").code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            // 97 digits and a 3-digit exponent pass the parser but encode as 0.00000111…, 103 characters.
            "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111e-102",
            // 99 digits times 1e5 encode as 1.111…E+103.
            "111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111e5"})
        void aNumberWhoseEncodedFormWouldBeTooLongToDecodeAgainIsABadRequest(String number) {
            DecodeException refusal = refusal("{\"t\":\"send\",\"id\":15,\"room\":\"R\",\"name\":\"n\",\"data\":{\"x\":[" + number + "]}}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("Field \"data\" holds a number longer than 100 characters.");
            assertThat(refusal.requestId()).isEqualTo(15L);
        }

        @Test
        void aNumberWhoseEncodedFormWouldBeTooLongIsRefusedInOptionsToo() {
            DecodeException refusal = refusal("{\"t\":\"create\",\"id\":16,\"type\":\"chat\",\"options\":{\"x\":" + "9".repeat(99) + "e9}}");

            assertThat(refusal.getMessage()).isEqualTo("Field \"options\" holds a number longer than 100 characters.");
            assertThat(refusal.requestId()).isEqualTo(16L);
        }
    }

    @Nested
    class RequestIds {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"t\":\"ping\"}", "{\"t\":\"create\",\"type\":\"chat\"}", "{\"t\":\"join\",\"room\":\"R\"}",
                "{\"t\":\"leave\",\"room\":\"R\"}", "{\"t\":\"send\",\"room\":\"R\",\"name\":\"n\"}"})
        void aRequestWithoutIdIsABadRequestWithoutRequestId(String frame) {
            DecodeException refusal = refusal(frame);

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo(
                    "Field \"id\" must be an integer chosen by the client; the reply carries it back.");
            assertThat(refusal.requestId()).isNull();
        }

        @ParameterizedTest(name = "id = {0}")
        @ValueSource(strings = {"\"1\"", "1.5", "1.0", "1e2", "-0.0", "true", "null", "[1]", "{\"n\":1}",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999999999"})
        void anIdThatIsNotAnIntegerInLongRangeIsABadRequestWithoutRequestId(String id) {
            DecodeException refusal = refusal("{\"t\":\"ping\",\"id\":" + id + "}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).contains("\"id\"").contains("integer");
            assertThat(refusal.requestId()).isNull();
        }

        @Test
        void aRefusedRequestWithAReadableIdCarriesIt() {
            assertThat(refusal("{\"t\":\"join\",\"id\":-5}").requestId()).isEqualTo(-5L);
            assertThat(refusal("{\"t\":\"join\",\"id\":9223372036854775807,\"room\":1}").requestId()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Nested
    class RequiredStrings {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"create:type", "join:room", "leave:room", "send:room", "send:name"})
        void aMissingFieldIsABadRequestThatNamesItAndCarriesTheId(String typeAndField) {
            String type = typeAndField.split(":")[0];
            String field = typeAndField.split(":")[1];
            ObjectNode frame = validRequest(type, 21);
            frame.remove(field);

            DecodeException refusal = refusal(frame.toString());

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("Field \"" + field + "\" must be a non-empty string.");
            assertThat(refusal.requestId()).isEqualTo(21L);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"create:type", "join:room", "leave:room", "send:room", "send:name"})
        void anEmptyFieldIsABadRequest(String typeAndField) {
            String field = typeAndField.split(":")[1];
            ObjectNode frame = validRequest(typeAndField.split(":")[0], 22);
            frame.put(field, "");

            DecodeException refusal = refusal(frame.toString());

            assertThat(refusal.getMessage()).isEqualTo("Field \"" + field + "\" must be a non-empty string.");
            assertThat(refusal.requestId()).isEqualTo(22L);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"create:type", "join:room", "leave:room", "send:room", "send:name"})
        void aFieldThatIsNotAStringIsABadRequest(String typeAndField) throws Exception {
            String field = typeAndField.split(":")[1];
            for (String value : new String[] {"7", "null", "true", "[\"R\"]", "{\"code\":\"R\"}"}) {
                ObjectNode frame = validRequest(typeAndField.split(":")[0], 23);
                frame.set(field, json(value));

                DecodeException refusal = refusal(frame.toString());

                assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                assertThat(refusal.getMessage()).isEqualTo("Field \"" + field + "\" must be a non-empty string.");
                assertThat(refusal.requestId()).isEqualTo(23L);
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"create:type:32", "join:room:32", "leave:room:32", "send:room:32", "send:name:64"})
        void aFieldOneCharacterOverItsLimitIsABadRequestThatStatesTheLimit(String typeFieldLimit) {
            String[] parts = typeFieldLimit.split(":");
            int limit = Integer.parseInt(parts[2]);
            ObjectNode frame = validRequest(parts[0], 24);
            frame.put(parts[1], "x".repeat(limit + 1));

            DecodeException refusal = refusal(frame.toString());

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("Field \"" + parts[1] + "\" is longer than " + limit + " characters.");
            assertThat(refusal.requestId()).isEqualTo(24L);
        }

        private ObjectNode validRequest(String type, long id) {
            ObjectNode frame = Json.nodes().objectNode().put("t", type).put("id", id);
            switch (type) {
                case "create" -> frame.put("type", "chat");
                case "join", "leave" -> frame.put("room", "ABCD");
                case "send" -> frame.put("room", "ABCD").put("name", "say");
                default -> throw new IllegalArgumentException(type);
            }
            return frame;
        }
    }

    @Nested
    class CreateOptions {

        @ParameterizedTest(name = "options = {0}")
        @ValueSource(strings = {"[]", "[{\"max\":8}]", "\"max=8\"", "8", "true"})
        void optionsThatAreNotAnObjectAreABadRequestThatCarriesTheId(String options) {
            DecodeException refusal = refusal("{\"t\":\"create\",\"id\":31,\"type\":\"chat\",\"options\":" + options + "}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("Field \"options\" must be a JSON object.");
            assertThat(refusal.requestId()).isEqualTo(31L);
        }
    }

    @Nested
    class Auth {

        @Test
        void authWithBothTicketAndResumeIsABadRequest() {
            DecodeException refusal = refusal("{\"t\":\"auth\",\"ticket\":\"a\",\"resume\":\"b\"}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("An auth frame carries exactly one of \"ticket\" or \"resume\".");
            assertThat(refusal.requestId()).isNull();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"t\":\"auth\"}", "{\"t\":\"auth\",\"ticket\":null}", "{\"t\":\"auth\",\"ticket\":null,\"resume\":null}",
                "{\"t\":\"auth\",\"rooms\":{\"ABCD\":{\"epoch\":\"e\",\"seq\":1}}}"})
        void authWithNeitherTicketNorResumeIsABadRequest(String frame) {
            DecodeException refusal = refusal(frame);

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).isEqualTo("An auth frame carries exactly one of \"ticket\" or \"resume\".");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"\"\"", "1", "true", "[\"tk\"]", "{\"v\":\"tk\"}"})
        void aTicketOrResumeThatIsNotANonEmptyStringIsABadRequest(String value) {
            for (String field : new String[] {"ticket", "resume"}) {
                DecodeException refusal = refusal("{\"t\":\"auth\",\"" + field + "\":" + value + "}");

                assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                assertThat(refusal.getMessage()).isEqualTo(
                        "Field \"" + field + "\" must be a non-empty string of at most 512 characters.");
            }
        }

        @Test
        void aTicketOverTheTokenLimitIsABadRequest() {
            DecodeException refusal = refusal("{\"t\":\"auth\",\"ticket\":\"" + "k".repeat(ClientMessageCodec.MAX_TOKEN_LENGTH + 1) + "\"}");

            assertThat(refusal.getMessage()).contains("at most 512 characters");
        }

        @ParameterizedTest(name = "rooms = {0}")
        @ValueSource(strings = {
            "[]", "\"ABCD\"", "1",
            "{\"ABCD\":null}", "{\"ABCD\":[]}", "{\"ABCD\":\"e\"}", "{\"ABCD\":{}}",
            "{\"ABCD\":{\"seq\":1}}", "{\"ABCD\":{\"epoch\":\"e\"}}",
            "{\"ABCD\":{\"epoch\":1,\"seq\":1}}", "{\"ABCD\":{\"epoch\":\"\",\"seq\":1}}",
            "{\"ABCD\":{\"epoch\":\"e\",\"seq\":-1}}", "{\"ABCD\":{\"epoch\":\"e\",\"seq\":1.5}}",
            "{\"ABCD\":{\"epoch\":\"e\",\"seq\":\"1\"}}", "{\"ABCD\":{\"epoch\":\"e\",\"seq\":99999999999999999999}}",
            "{\"\":{\"epoch\":\"e\",\"seq\":1}}", "{\"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG\":{\"epoch\":\"e\",\"seq\":1}}"})
        void aBadRoomsMapIsABadRequest(String rooms) {
            DecodeException refusal = refusal("{\"t\":\"auth\",\"resume\":\"rs\",\"rooms\":" + rooms + "}");

            assertThat(refusal.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refusal.getMessage()).contains("\"rooms\"").contains("epoch").contains("seq");
            assertThat(refusal.requestId()).isNull();
        }

        @Test
        void anEpochOverTheTokenLimitIsABadRequest() {
            String epoch = "e".repeat(ClientMessageCodec.MAX_TOKEN_LENGTH + 1);

            assertThat(refusal("{\"t\":\"auth\",\"resume\":\"rs\",\"rooms\":{\"ABCD\":{\"epoch\":\"" + epoch + "\",\"seq\":1}}}").code())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
        }

        @Test
        void moreResumeRoomsThanTheLimitIsABadRequest() throws Exception {
            ObjectNode rooms = Json.nodes().objectNode();
            for (int i = 0; i < ClientMessageCodec.MAX_RESUME_ROOMS; i++) {
                rooms.putObject("R" + i).put("epoch", "e").put("seq", i);
            }
            ObjectNode frame = Json.nodes().objectNode().put("t", "auth").put("resume", "rs");
            frame.set("rooms", rooms);
            assertThat(decode(frame.toString())).isInstanceOf(ClientMessage.Auth.class);

            rooms.putObject("ONE-TOO-MANY").put("epoch", "e").put("seq", 1);
            DecodeException refusal = refusal(frame.toString());

            assertThat(refusal.getMessage()).contains("at most " + ClientMessageCodec.MAX_RESUME_ROOMS + " entries");
        }
    }

    @Nested
    class RoundTrip {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "{\"t\":\"auth\",\"ticket\":\"tk\"}",
            "{\"t\":\"auth\",\"resume\":\"rs\",\"rooms\":{\"ABCD\":{\"epoch\":\"e1\",\"seq\":12},\"WXYZ\":{\"epoch\":\"e2\",\"seq\":0}}}",
            "{\"t\":\"create\",\"id\":1,\"type\":\"chat\"}",
            "{\"t\":\"create\",\"id\":1,\"type\":\"chat\",\"options\":{\"max\":8,\"ratio\":0.5,\"tags\":[\"a\",null,{}]}}",
            "{\"t\":\"join\",\"id\":-2,\"room\":\"abcd\"}",
            "{\"t\":\"leave\",\"id\":3,\"room\":\"ABCD\"}",
            "{\"t\":\"send\",\"id\":4,\"room\":\"ABCD\",\"name\":\"say\",\"data\":{\"text\":\"h\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\"}}",
            "{\"t\":\"send\",\"id\":4,\"room\":\"ABCD\",\"name\":\"say\"}",
            "{\"t\":\"send\",\"id\":4,\"room\":\"ABCD\",\"name\":\"n\",\"data\":[1.0,-0.0,1e2,1.50,0E+5,1E+999999999,123456789012345678901234567890]}",
            "{\"t\":\"ping\",\"id\":9223372036854775807}"})
        void encodingADecodedFrameGivesTheSameMessageBack(String frame) throws Exception {
            ClientMessage message = decode(frame);

            String encoded = codec.encode(message);

            assertThat(decode(encoded)).isEqualTo(message);
            assertThat(json(codec.encode(decode(encoded)))).isEqualTo(json(encoded));
        }

        @Test
        void aDecimalWithTrailingZerosStaysADecimalAfterARoundTrip() throws Exception {
            // Stripped to 1, "1.0" would come back as an integer node: a different message.
            ClientMessage.Send send = (ClientMessage.Send) decode("{\"t\":\"send\",\"id\":1,\"room\":\"R\",\"name\":\"n\",\"data\":1.0}");

            assertThat(send.data().isIntegralNumber()).isFalse();
            assertThat(codec.encode(send)).contains("\"data\":1.0");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"1.5e1", "150e-1", "15E0", "0.01e2", "-0e0", "1e0"})
        void aDecimalWrittenWithAnExponentThatMakesItWholeStaysADecimalAfterARoundTrip(String number) throws Exception {
            // Found by ClientFrameFuzzTest: 1.5e1 is BigDecimal 15 of scale 0, which Jackson writes as 15.
            ClientMessage send = decode("{\"t\":\"send\",\"id\":1,\"room\":\"R\",\"name\":\"n\",\"data\":[" + number + "]}");

            assertThat(((ClientMessage.Send) send).data().get(0).isIntegralNumber()).isFalse();
            assertThat(decode(codec.encode(send))).isEqualTo(send);
        }

        @Test
        void encodingWritesTheFieldNamesOfProtocolV1() throws Exception {
            assertThat(json(codec.encode(new ClientMessage.Send(5, "ABCD", "say", json("{\"x\":1}")))))
                    .isEqualTo(json("{\"t\":\"send\",\"id\":5,\"room\":\"ABCD\",\"name\":\"say\",\"data\":{\"x\":1}}"));
            assertThat(json(codec.encode(new ClientMessage.Auth(null, "rs", Map.of("ABCD", new ClientMessage.RoomPosition("e", 3))))))
                    .isEqualTo(json("{\"t\":\"auth\",\"resume\":\"rs\",\"rooms\":{\"ABCD\":{\"epoch\":\"e\",\"seq\":3}}}"));
            assertThat(json(codec.encode(new ClientMessage.Create(1, "chat", null))))
                    .isEqualTo(json("{\"t\":\"create\",\"id\":1,\"type\":\"chat\"}"));
            assertThat(json(codec.encode(new ClientMessage.Ping(2)))).isEqualTo(json("{\"t\":\"ping\",\"id\":2}"));
        }

        @Test
        void everyMessageBuiltInJavaSurvivesEncodeAndDecode() throws Exception {
            ClientMessage[] messages = {
                new ClientMessage.Auth("tk", null, null),
                new ClientMessage.Auth(null, "rs", Map.of("ABCD", new ClientMessage.RoomPosition("ep", Long.MAX_VALUE))),
                new ClientMessage.Create(Long.MIN_VALUE, "chat", json("{\"a\":{\"b\":[1,2]}}")),
                new ClientMessage.Join(0, "ABCD"),
                new ClientMessage.Leave(1, "ABCD"),
                new ClientMessage.Send(2, "ABCD", "say", json("\"text\"")),
                new ClientMessage.Send(3, "ABCD", "switch", null),
                new ClientMessage.Ping(4),
            };
            for (ClientMessage message : messages) {
                assertThat(decode(codec.encode(message))).isEqualTo(message);
            }
        }
    }

    @Nested
    class Printable {

        @Test
        void shortPlainTextIsKeptAsItIs() {
            assertThat(ClientMessageCodec.printable("héllo wörld 😀 日本")).isEqualTo("héllo wörld 😀 日本");
        }

        @Test
        void whitespaceControlsBecomeSpacesAndOtherControlsBecomeQuestionMarks() {
            assertThat(ClientMessageCodec.printable("a\tb\nc\rd\u0007e\u009bf")).isEqualTo("a b c d?e?f");
        }

        @Test
        void bidiOverridesAndLineSeparatorsAndLoneSurrogatesBecomeQuestionMarks() {
            assertThat(ClientMessageCodec.printable("a\u202eb\u2029c\u2028d\uDC00e\uD800")).isEqualTo("a?b?c?d?e?");
        }

        @Test
        void theLimitCountsCodePointsAndMarksTheCut() {
            assertThat(ClientMessageCodec.printable("😀😀😀", 2)).isEqualTo("😀😀…");
            assertThat(ClientMessageCodec.printable("abc", 3)).isEqualTo("abc");
            assertThat(ClientMessageCodec.printable("", 3)).isEmpty();
        }
    }

    /** Whether text the server sends back to a client, and logs, is free of anything that could do harm. */
    static boolean isSafeToEcho(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
            if (Character.isHighSurrogate(c) && (i + 1 == message.length() || !Character.isLowSurrogate(message.charAt(i + 1)))) {
                return false;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(message.charAt(i - 1)))) {
                return false;
            }
        }
        return true;
    }
}
