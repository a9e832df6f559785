package dev.partyline.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;

/**
 * Fuzzes {@link ClientMessageCodec#decode}: every text a client can send is either a message
 * within the documented bounds that survives encode and decode unchanged, or a
 * {@link DecodeException} with a code and a message the server can safely echo. Anything else
 * (another exception, a broken bound, a message that changes on a round trip) is a finding.
 *
 * <p>A plain {@code mvn test} runs this in regression mode over the seeds in
 * {@code src/test/resources/dev/partyline/protocol/ClientFrameFuzzTestInputs/<method>/}. To fuzz
 * for {@code maxDuration}, instrumenting Jackson's parser as well as the codec:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENT='dev.partyline.**,com.fasterxml.jackson.**' \
 *     mvn -B -pl partyline-protocol test -Dtest=ClientFrameFuzzTest
 * </pre>
 *
 * <p>Findings are written to that directory as {@code crash-<sha1>} (keep them: they become
 * regression inputs), the generated corpus to {@code partyline-protocol/.cifuzz-corpus/}, which
 * git ignores and regression mode does not read.
 */
class ClientFrameFuzzTest {
    private static final ClientMessageCodec CODEC = new ClientMessageCodec();
    private static final ServerMessageCodec SERVER_CODEC = new ServerMessageCodec();

    @DictionaryEntries({
        "\"t\":", "\"id\":", "\"auth\"", "\"create\"", "\"join\"", "\"leave\"", "\"send\"", "\"ping\"",
        "\"ticket\":", "\"resume\":", "\"rooms\":", "\"epoch\":", "\"seq\":", "\"type\":", "\"options\":",
        "\"room\":", "\"name\":", "\"data\":", "null", "true", "false", "\\u", "\\ud83d\\ude00", "\\u0000",
        "1e", "E+", "e-", "0.0", "-0", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "{}", "[]", "{\"", "\":{", "\"},\"", "\":[",
    })
    @FuzzTest(maxDuration = "5m")
    void decodeGivesABoundedMessageThatRoundTripsOrARefusalWithAReason(byte[] input) {
        String frame = new String(input, UTF_8);
        ClientMessage message;
        try {
            message = CODEC.decode(frame);
        } catch (DecodeException refusal) {
            assertThat(refusal.code()).isNotNull();
            assertThat(refusal.getMessage()).isNotBlank();
            assertThat(refusal.getMessage()).matches(ClientMessageCodecTest::isSafeToEcho, "is safe to echo");
            // The server sends the refusal back as an error frame; that must never fail.
            var error = new ServerMessage.Error(refusal.code().wire(), refusal.getMessage());
            assertThat(SERVER_CODEC.decode(new String(SERVER_CODEC.encode(error), UTF_8))).isEqualTo(error);
            return;
        }
        assertWithinBounds(message);
        String encoded = CODEC.encode(message);
        ClientMessage again;
        try {
            again = CODEC.decode(encoded);
        } catch (DecodeException e) {
            throw new AssertionError("re-encoded " + message + " as " + encoded + ", which is refused: " + e.getMessage());
        }
        assertThat(again).isEqualTo(message);
    }

    private static void assertWithinBounds(ClientMessage message) {
        if (message instanceof ClientMessage.Auth auth) {
            assertThat(auth.ticket() == null).as("exactly one of ticket and resume").isNotEqualTo(auth.resume() == null);
            if (auth.ticket() != null) {
                assertBoundedText(auth.ticket(), ClientMessageCodec.MAX_TOKEN_LENGTH);
            } else {
                assertBoundedText(auth.resume(), ClientMessageCodec.MAX_TOKEN_LENGTH);
            }
            assertThat(auth.rooms()).isNotNull().hasSizeLessThanOrEqualTo(ClientMessageCodec.MAX_RESUME_ROOMS);
            for (Map.Entry<String, ClientMessage.RoomPosition> entry : auth.rooms().entrySet()) {
                assertBoundedText(entry.getKey(), ClientMessageCodec.MAX_ROOM_LENGTH);
                assertBoundedText(entry.getValue().epoch(), ClientMessageCodec.MAX_TOKEN_LENGTH);
                assertThat(entry.getValue().seq()).isNotNegative();
            }
        } else if (message instanceof ClientMessage.Create create) {
            assertBoundedText(create.type(), ClientMessageCodec.MAX_TYPE_LENGTH);
            if (create.options() != null) {
                assertThat(create.options().isObject()).as("options is an object").isTrue();
            }
        } else if (message instanceof ClientMessage.Join join) {
            assertBoundedText(join.room(), ClientMessageCodec.MAX_ROOM_LENGTH);
        } else if (message instanceof ClientMessage.Leave leave) {
            assertBoundedText(leave.room(), ClientMessageCodec.MAX_ROOM_LENGTH);
        } else if (message instanceof ClientMessage.Send send) {
            assertBoundedText(send.room(), ClientMessageCodec.MAX_ROOM_LENGTH);
            assertBoundedText(send.name(), ClientMessageCodec.MAX_NAME_LENGTH);
            if (send.data() != null) {
                assertThat(send.data().isNull()).as("JSON null data is decoded as null").isFalse();
            }
        } else if (message instanceof ClientMessage.Ping) {
            // A ping is only its id, a long by construction.
        } else {
            fail("unexpected message class %s", message.getClass());
        }
    }

    private static void assertBoundedText(String text, int maxLength) {
        assertThat(text).isNotNull().isNotEmpty().hasSizeLessThanOrEqualTo(maxLength);
    }
}
