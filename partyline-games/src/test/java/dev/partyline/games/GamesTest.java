package dev.partyline.games;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.game.RoomType;
import dev.partyline.core.game.RoomTypeRegistry;
import org.junit.jupiter.api.Test;

class GamesTest {

    @Test
    void theModuleShipsChat() {
        assertThat(Games.all()).extracting(RoomType::name).containsExactly("chat");
    }

    @Test
    void everyShippedTypeCanBeRegisteredTogether() {
        RoomTypeRegistry registry = new RoomTypeRegistry(Games.all());

        assertThat(registry.names()).containsExactly("chat");
        assertThat(registry.find("chat")).map(RoomType::maxMembers).contains(100);
    }
}
