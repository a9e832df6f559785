package dev.partyline.games;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.partyline.core.game.RoomType;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.room.FakeSession;
import dev.partyline.core.room.RoomHarness;
import dev.partyline.protocol.Json;
import org.junit.jupiter.api.Test;

class GamesTest {

    @Test
    void theModuleShipsChatAndSwitchonyms() {
        assertThat(Games.all()).extracting(RoomType::name).containsExactly("chat", "switchonyms");
    }

    @Test
    void everyShippedTypeCanBeRegisteredTogether() {
        RoomTypeRegistry registry = new RoomTypeRegistry(Games.all());

        assertThat(registry.names()).containsExactly("chat", "switchonyms");
        assertThat(registry.find("chat")).map(RoomType::maxMembers).contains(100);
        assertThat(registry.find("switchonyms")).map(RoomType::maxMembers).contains(12);
    }

    @Test
    void theDefaultsAllowRoundsOfTwentySecondsAndNoShorter() {
        FakeSession ann = RoomHarness.of(Games.all().toArray(RoomType[]::new)).connect("Ann");

        assertThat(ann.create("switchonyms", Json.nodes().objectNode().put("roundSeconds", 20)).ok()).isTrue();
        assertThat(ann.create("switchonyms", Json.nodes().objectNode().put("roundSeconds", 19)).ok()).isFalse();
    }

    @Test
    void theServerMinimumRoundLengthReachesSwitchonyms() {
        FakeSession ann = RoomHarness.of(Games.all(2).toArray(RoomType[]::new)).connect("Ann");

        assertThat(ann.create("switchonyms", Json.nodes().objectNode().put("roundSeconds", 2)).ok()).isTrue();
        assertThat(ann.create("switchonyms", Json.nodes().objectNode().put("roundSeconds", 1)).ok()).isFalse();
    }

    @Test
    void aMinimumOutsideOneToThreeHundredSecondsIsRefused() {
        assertThatThrownBy(() -> Games.all(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Games.all(301)).isInstanceOf(IllegalArgumentException.class);
    }
}
