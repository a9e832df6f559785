package dev.partyline.core.room;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PublicationTest {

    @Test
    void aFrameForEveryoneHasNoAudience() {
        byte[] frame = "{\"t\":\"event\"}".getBytes(UTF_8);

        byte[] payload = Publication.pack(null, frame);

        assertThat(Publication.audience(payload)).isNull();
        assertThat(Arrays.copyOfRange(payload, Publication.frameOffset(payload), payload.length)).isEqualTo(frame);
    }

    @Test
    void aPrivateFrameCarriesItsAudience() {
        byte[] frame = "{\"t\":\"event\"}".getBytes(UTF_8);

        byte[] payload = Publication.pack("pAbc-é", frame);

        assertThat(Publication.audience(payload)).isEqualTo("pAbc-é");
        assertThat(Arrays.copyOfRange(payload, Publication.frameOffset(payload), payload.length)).isEqualTo(frame);
    }

    @Test
    void anAudienceLongerThan255BytesIsRefused() {
        assertThatThrownBy(() -> Publication.pack("x".repeat(256), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Publication.audience(Publication.pack("x".repeat(255), new byte[0]))).hasSize(255);
    }
}
