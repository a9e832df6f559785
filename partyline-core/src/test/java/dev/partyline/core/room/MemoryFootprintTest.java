package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.session.Session;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.Json;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures what resume costs in memory: the heap a room holds with a full event log, and the heap
 * a session holds with a full reply cache, and checks both stay bounded however much traffic
 * passes. Prints the figures (they go in the closing note); the bounds asserted are
 * generous ceilings, not the measurement.
 */
class MemoryFootprintTest {
    private static final int ROOMS = 100;
    private static final int EVENTS_PER_ROOM = 1_500; // more than the log keeps
    private static final int SESSIONS = 2_000;
    private static final int REQUESTS_PER_SESSION = 100; // more than a session remembers
    /** A chat-sized payload: a sentence of about 100 characters. */
    private static final String TEXT = "Is it a kind of fruit? No? Something you find in a kitchen, then, next to the sink maybe!";

    @Test
    void aRoomWithAFullLogAndASessionWithAFullReplyCacheStayBounded() {
        RoomHarness h = RoomHarness.builder().types(EchoRoomLogic.type()).build();
        List<FakeSession> hosts = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        long beforeRooms = usedHeap();
        for (int r = 0; r < ROOMS; r++) {
            FakeSession host = h.connect("Host" + r);
            codes.add(host.createRoom("echo"));
            host.drop(); // nothing recorded on a test socket: only the server side is measured
            for (int e = 0; e < EVENTS_PER_ROOM; e++) {
                host.route(new ClientMessage.Send(host.nextId(), codes.get(r), "message",
                        Json.nodes().objectNode().put("text", TEXT).put("name", "Host" + r)));
            }
            hosts.add(host);
        }
        long perRoom = (usedHeap() - beforeRooms) / ROOMS;
        Room sample = h.room(codes.get(0)).orElseThrow();
        assertThat(sample.eventLog().size()).isEqualTo(RoomSettings.DEFAULTS.eventLogSize());

        List<Session> sessions = new ArrayList<>();
        long beforeSessions = usedHeap();
        for (int s = 0; s < SESSIONS; s++) {
            FakeSession player = h.connect("Player" + s);
            player.drop();
            for (int q = 0; q < REQUESTS_PER_SESSION; q++) {
                player.route(new ClientMessage.Ping(player.nextId()));
            }
            sessions.add(player.session());
        }
        long perSession = (usedHeap() - beforeSessions) / SESSIONS;
        assertThat(sessions.get(0).replies().size()).isEqualTo(Session.REMEMBERED_REPLIES);

        System.out.printf("MemoryFootprintTest: heap per room with a full log of %d events: %.1f KiB "
                        + "(frames alone %.1f KiB); heap per away session with %d remembered replies: %.2f KiB%n",
                sample.eventLog().size(), perRoom / 1024.0, sample.eventLog().retainedBytes() / 1024.0,
                sessions.get(0).replies().size(), perSession / 1024.0);
        assertThat(perRoom).as("bytes per room").isLessThan(2L * 1024 * 1024);
        assertThat(perSession).as("bytes per session").isLessThan(64L * 1024);
        assertThat(hosts).hasSize(ROOMS); // keeps the rooms' sessions reachable until measured
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
