package dev.partyline.app;

import dev.partyline.client.testing.NettyLeakCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.partyline.client.PartylineClient;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand Java clients on one node at once, ten to a chat room, all on one small shared
 * event loop group: every message reaches every member of its room exactly once, in the order
 * its sender sent it, and no other room. Prints one line with the figures.
 */
@ExtendWith(NettyLeakCheck.class)
class ConcurrencyTest {
    private static final int ROOMS = 100;
    private static final int PER_ROOM = 10;
    private static final int CLIENTS = ROOMS * PER_ROOM;
    /** Messages each client sends: well inside the burst of 60 the rate limit allows. */
    private static final int MESSAGES = 20;
    private static final int CLIENT_THREADS = 2;
    private static final Duration BUDGET = Duration.ofSeconds(120);
    private static final Pattern TEXT = Pattern.compile("room (\\d+) member (\\d+) #(\\d+)");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aThousandClientsInAHundredRoomsGetEveryMessageOfTheirRoomExactlyOnceInOrder() throws Exception {
        long start = System.nanoTime();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong deliveries = new AtomicLong();
        ClientTestServer server = ClientTestServer.start(config -> config.withLimits(
                // Every client, and its pooled ticket connection, comes from 127.0.0.1.
                ClientTestServer.withConnectionsPerAddress(config.limits(), 4 * CLIENTS)));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(CLIENT_THREADS,
                new DefaultThreadFactory("load-client", true), NioIoHandler.newFactory());
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                PartylineClient client = new PartylineClient(server.client("room " + i / PER_ROOM + " member " + i % PER_ROOM)
                        .eventLoopGroup(group).requestTimeout(Duration.ofSeconds(60)).noReconnect().build());
                Member member = new Member(i / PER_ROOM, i % PER_ROOM, client, problems, deliveries);
                client.onEvent(member::onEvent);
                client.onError(error -> problems.add(member + " got error " + error));
                client.onClose((code, reason, reconnecting) -> problems.add(member + " closed with " + code + " " + reason));
                members.add(member);
            }

            // Everyone connects at once.
            allOf(members.stream().map(member -> member.client.connect()).toList(), Duration.ofSeconds(60));
            long connected = System.nanoTime();

            // The first member of each room creates it; the other nine join; nobody speaks before all are in.
            String[] codes = new String[ROOMS];
            allOf(members.stream().filter(member -> member.slot == 0)
                    .map(host -> host.client.create("chat", Json.nodes().objectNode().put("title", "Room " + host.room))
                            .thenAccept(state -> codes[host.room] = state.room()))
                    .toList(), Duration.ofSeconds(30));
            allOf(members.stream().filter(member -> member.slot != 0)
                    .map(member -> member.client.join(codes[member.room]))
                    .toList(), Duration.ofSeconds(30));
            long joined = System.nanoTime();

            // Everyone sends at once; each client's messages leave in order on its one connection.
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int n = 0; n < MESSAGES; n++) {
                for (Member member : members) {
                    sends.add(member.client.send(codes[member.room], "message", Json.nodes().objectNode()
                            .put("text", "room " + member.room + " member " + member.slot + " #" + n)));
                }
            }
            allOf(sends, Duration.ofSeconds(60));
            long expected = (long) CLIENTS * PER_ROOM * MESSAGES;
            await().atMost(BUDGET.minusNanos(System.nanoTime() - start)).pollInterval(Duration.ofMillis(20))
                    .until(() -> deliveries.get() >= expected || !problems.isEmpty());
            long done = System.nanoTime();

            assertThat(problems).as("errors, unexpected closes and out-of-order or foreign messages").isEmpty();
            assertThat(deliveries).hasValue(expected);
            for (Member member : members) {
                member.assertGotEveryMessageOf(codes[member.room], members.subList(member.room * PER_ROOM,
                        (member.room + 1) * PER_ROOM));
            }
            Duration took = Duration.ofNanos(done - start);
            assertThat(took).isLessThan(BUDGET);
            System.out.printf("ConcurrencyTest: %d clients in %d rooms on %d client threads sent %d messages, "
                            + "%d deliveries in %.1f s (connect %.1f s, create and join %.1f s, exchange %.1f s: "
                            + "%.0f deliveries/s), every one exactly once and in order%n",
                    CLIENTS, ROOMS, CLIENT_THREADS, CLIENTS * MESSAGES, deliveries.get(), seconds(done - start),
                    seconds(connected - start), seconds(joined - connected), seconds(done - joined),
                    deliveries.get() / seconds(done - joined));
        } finally {
            List<CompletableFuture<?>> closing = members.stream()
                    .<CompletableFuture<?>>map(member -> member.client.closeAsync()).toList();
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server.close();
        }
    }

    private static void allOf(List<? extends CompletableFuture<?>> futures, Duration within) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * One client and what it received. Events arrive on the client's event loop; the test
     * thread reads the tallies after {@code deliveries} says they are complete, and the
     * monitor makes those reads see the loop's writes.
     */
    private static final class Member {
        final int room;
        final int slot;
        final PartylineClient client;
        private final Queue<String> problems;
        private final AtomicLong deliveries;
        private final int[] nextFrom = new int[PER_ROOM];
        private final String[] senderIds = new String[PER_ROOM];
        private final List<String> rooms = new ArrayList<>();
        private long lastSeq = -1;

        Member(int room, int slot, PartylineClient client, Queue<String> problems, AtomicLong deliveries) {
            this.room = room;
            this.slot = slot;
            this.client = client;
            this.problems = problems;
            this.deliveries = deliveries;
        }

        synchronized void onEvent(ServerMessage.Event event) {
            if (event.seq() <= lastSeq) {
                problems.add(this + " got seq " + event.seq() + " after " + lastSeq);
            }
            lastSeq = event.seq();
            if (!rooms.contains(event.room())) {
                rooms.add(event.room());
            }
            if (event.name().equals("joined")) {
                return; // members joining after this one
            }
            if (!event.name().equals("message")) {
                problems.add(this + " got event " + event.name() + " from " + event.from());
                return;
            }
            Matcher text = TEXT.matcher(event.data().path("text").asText());
            if (!text.matches() || Integer.parseInt(text.group(1)) != room) {
                problems.add(this + " got a message of another room: " + event.data());
                return;
            }
            int sender = Integer.parseInt(text.group(2));
            int n = Integer.parseInt(text.group(3));
            if (n != nextFrom[sender]) {
                problems.add(this + " got #" + n + " from member " + sender + " instead of #" + nextFrom[sender]);
            }
            nextFrom[sender] = n + 1;
            if (senderIds[sender] == null) {
                senderIds[sender] = event.from();
            } else if (!senderIds[sender].equals(event.from())) {
                problems.add(this + " got member " + sender + "'s messages from two players");
            }
            deliveries.incrementAndGet();
        }

        synchronized void assertGotEveryMessageOf(String code, List<Member> roomMembers) {
            assertThat(rooms).as("%s heard from rooms", this).containsExactly(code);
            int[] all = new int[PER_ROOM];
            Arrays.fill(all, MESSAGES);
            assertThat(nextFrom).as("%s: messages received from each member of its room", this).containsExactly(all);
            assertThat(senderIds).as("%s: who sent them", this)
                    .containsExactly(roomMembers.stream().map(member -> member.client.playerId()).toArray(String[]::new));
        }

        @Override
        public String toString() {
            return "room " + room + " member " + slot;
        }
    }
}
