package dev.partyline.core.room;

import dev.partyline.protocol.ClientMessage;
import dev.partyline.core.ManualClock;
import dev.partyline.core.RequestRouter;
import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.EchoRoomLogic;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;
import dev.partyline.core.game.RoomType;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.FailedJoinThrottle;
import dev.partyline.core.limit.Limits;
import dev.partyline.core.session.FakeConnection;
import dev.partyline.core.session.InlineDeliveryGroup;
import dev.partyline.core.session.Session;
import dev.partyline.core.session.SessionRegistry;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node's core, wired for tests: a {@link RoomRegistry}, {@link LocalBroker},
 * {@link LocalFanout}, {@link SessionRegistry} and {@link RequestRouter} on a {@link ManualClock},
 * with a {@link ManualMailbox} per room (and one for session timers). Everything runs inline on
 * the test thread, so when a call returns, its replies and events have been delivered; timers
 * run only when the test calls {@link #advance}. No sockets, no threads, no sleep.
 *
 * <pre>{@code
 * RoomHarness h = RoomHarness.of(EchoRoomLogic.type());
 * FakeSession ann = h.connect("Ann");
 * String code = ann.createRoom("echo");
 * FakeSession bob = h.connect("Bob");
 * bob.joinRoom(code);
 * assertThat(ann.eventNames()).containsExactly("joined");
 * bob.send(code, "hello", Json.nodes().objectNode().put("x", 1));
 * h.advance(Duration.ofSeconds(61));
 * }</pre>
 */
public final class RoomHarness {
    private final ManualClock clock;
    private final LocalBroker broker = new LocalBroker();
    private final LocalFanout fanout = new LocalFanout(broker);
    private final ServerMessageCodec codec = new ServerMessageCodec();
    private final RoomTypeRegistry types;
    private final RoomRegistry rooms;
    private final SessionRegistry sessions;
    private final FailedJoinThrottle failedJoins;
    private final RequestRouter router;
    private final InlineDeliveryGroup deliveryGroup = new InlineDeliveryGroup();
    private final ManualMailbox sessionTimers;
    private final List<ManualMailbox> roomMailboxes = new ArrayList<>();

    private RoomHarness(Builder builder) {
        clock = new ManualClock(builder.start);
        types = new RoomTypeRegistry(builder.types.isEmpty() ? List.of(EchoRoomLogic.type()) : builder.types);
        rooms = new RoomRegistry(builder.joinCodes, this::newRoomMailbox, broker, fanout, codec, clock,
                builder.roomSettings);
        sessionTimers = new ManualMailbox(clock);
        sessions = new SessionRegistry(rooms, () -> sessionTimers, builder.sessionGrace);
        failedJoins = new FailedJoinThrottle(clock, builder.failedJoinsPerMinute);
        router = new RequestRouter(types, rooms, failedJoins, clock);
    }

    /** A harness hosting {@code types} (the {@code echo} type when none), with default settings. */
    public static RoomHarness of(RoomType... types) {
        return builder().types(types).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects a guest named {@code name} from {@link FakeConnection#DEFAULT_ADDRESS}. */
    public FakeSession connect(String name) {
        return connect(name, FakeConnection.DEFAULT_ADDRESS);
    }

    /** Connects a guest named {@code name} from {@code address} (for per-address limits). */
    public FakeSession connect(String name, String address) {
        return connect(new Player(PlayerId.random(), name), address);
    }

    /** Connects {@code player} as a fresh session, as the transport does after a ticket was redeemed. */
    public FakeSession connect(Player player, String address) {
        FakeConnection connection = newConnection(address);
        Session session = sessions.open(player, connection);
        return new FakeSession(this, session, connection);
    }

    /**
     * Resumes the session of {@code token} on a new connection from the default address, as the
     * transport does for {@code auth {resume}}: {@link SessionRegistry#resume}, then (where the
     * transport sends {@code welcome}) {@link SessionRegistry#announceBack}. Empty when the
     * registry refuses the token.
     */
    public Optional<FakeSession> resume(String token) {
        return resume(token, FakeConnection.DEFAULT_ADDRESS);
    }

    public Optional<FakeSession> resume(String token, String address) {
        return resume(token, address, Map.of());
    }

    /** Resumes as a client that has read each named room up to its position (code → epoch, seq). */
    public Optional<FakeSession> resume(String token, String address,
                                        Map<String, ClientMessage.RoomPosition> positions) {
        FakeConnection connection = newConnection(address);
        Optional<Session> resumed = sessions.resume(token, connection);
        resumed.ifPresent(session -> sessions.announceBack(session, positions));
        return resumed.map(session -> new FakeSession(this, session, connection));
    }

    /** A new connection in this harness's one delivery group (one "I/O thread" for everyone). */
    public FakeConnection newConnection(String address) {
        return new FakeConnection(deliveryGroup, address);
    }

    /** Moves the manual clock, running every room and session timer that falls due. */
    public void advance(Duration duration) {
        clock.advance(duration);
    }

    /** The live room with this code (any case), if there is one. */
    public Optional<Room> room(String code) {
        return RoomCode.parse(code).flatMap(rooms::find);
    }

    /** A well-formed code that no live room has, for {@code room_not_found} tests. */
    public String unusedCode() {
        for (char first : JoinCodes.ALPHABET.toCharArray()) {
            String candidate = first + "BCD";
            if (rooms.find(new RoomCode(candidate)).isEmpty()) {
                return candidate;
            }
        }
        throw new IllegalStateException("every candidate code is live");
    }

    /** Reads the snapshot in the data of an ok {@code create} or {@code join} reply. */
    public static ServerMessage.State snapshot(ServerMessage.Reply reply) {
        if (!reply.ok()) {
            throw new IllegalArgumentException("not an ok reply: " + reply);
        }
        return new ServerMessageCodec().stateOf(reply.data());
    }

    public ManualClock clock() {
        return clock;
    }

    public LocalBroker broker() {
        return broker;
    }

    public LocalFanout fanout() {
        return fanout;
    }

    public RoomTypeRegistry types() {
        return types;
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public FailedJoinThrottle failedJoins() {
        return failedJoins;
    }

    public RequestRouter router() {
        return router;
    }

    public ServerMessageCodec codec() {
        return codec;
    }

    /** The delivery group every harness connection shares; counts broadcasts handed to it. */
    public InlineDeliveryGroup deliveryGroup() {
        return deliveryGroup;
    }

    /** The mailboxes handed to rooms so far, in order. */
    public List<ManualMailbox> roomMailboxes() {
        return List.copyOf(roomMailboxes);
    }

    private synchronized Mailbox newRoomMailbox() {
        ManualMailbox mailbox = new ManualMailbox(clock);
        roomMailboxes.add(mailbox);
        return mailbox;
    }

    /** Settings of a harness; every one has the production default unless set. */
    public static final class Builder {
        private final List<RoomType> types = new ArrayList<>();
        private RoomSettings roomSettings = RoomSettings.DEFAULTS;
        private Duration sessionGrace = Limits.DEFAULTS.sessionGrace();
        private int failedJoinsPerMinute = Limits.DEFAULTS.failedJoinsPerMinute();
        private Instant start = ManualClock.DEFAULT_START;
        private JoinCodes joinCodes = new JoinCodes();

        private Builder() {}

        /** Adds room types to host; with none, the harness hosts {@link EchoRoomLogic#type()}. */
        public Builder types(RoomType... more) {
            types.addAll(List.of(more));
            return this;
        }

        public Builder roomSettings(RoomSettings settings) {
            this.roomSettings = settings;
            return this;
        }

        /** Shorthand for room settings with this empty-room grace period. */
        public Builder emptyRoomGrace(Duration grace) {
            this.roomSettings = roomSettings.withEmptyRoomGrace(grace);
            return this;
        }

        /** Shorthand for room settings with this many rooms per session. */
        public Builder maxRoomsPerSession(int max) {
            this.roomSettings = roomSettings.withMaxRoomsPerSession(max);
            return this;
        }

        public Builder sessionGrace(Duration grace) {
            this.sessionGrace = grace;
            return this;
        }

        public Builder failedJoinsPerMinute(int max) {
            this.failedJoinsPerMinute = max;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder joinCodes(JoinCodes codes) {
            this.joinCodes = codes;
            return this;
        }

        public RoomHarness build() {
            return new RoomHarness(this);
        }
    }
}
