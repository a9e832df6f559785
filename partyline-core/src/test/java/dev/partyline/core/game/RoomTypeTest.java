package dev.partyline.core.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.protocol.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTypeTest {

    @Test
    void namesAreLowerCaseWords() {
        assertThat(new RoomType("switch-onyms_2", EchoRoomLogic::new, 2).name()).isEqualTo("switch-onyms_2");
        for (String bad : new String[] {"Chat", "", "1chat", "x".repeat(33), "chat room"}) {
            assertThatThrownBy(() -> new RoomType(bad, EchoRoomLogic::new, 2))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRoomTypeTakesAtLeastOneMember() {
        assertThatThrownBy(() -> new RoomType("echo", EchoRoomLogic::new, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistryFindsTypesByName() {
        RoomTypeRegistry registry = new RoomTypeRegistry(
                List.of(EchoRoomLogic.type(), new RoomType("chat", EchoRoomLogic::new, 3)));

        assertThat(registry.find("chat")).map(RoomType::maxMembers).contains(3);
        assertThat(registry.find("nope")).isEmpty();
        assertThat(registry.names()).containsExactly("chat", "echo");
    }

    @Test
    void theRegistryRefusesATypeRegisteredTwice() {
        assertThatThrownBy(() -> new RoomTypeRegistry(List.of(EchoRoomLogic.type(), EchoRoomLogic.type(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("echo");
    }

    @Test
    void gameExceptionCodesAreLowerSnakeCase() {
        assertThat(new GameException("too_fast", "Slow down.").code()).isEqualTo("too_fast");
        assertThat(new GameException(ErrorCode.NOT_HOST, "No.").code()).isEqualTo("not_host");
        assertThatThrownBy(() -> new GameException("TooFast", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GameException("", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
