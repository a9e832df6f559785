package dev.partyline.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partyline.core.broker.LocalBroker;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;
import dev.partyline.core.session.FakeConnection;
import dev.partyline.core.session.InlineDeliveryGroup;
import dev.partyline.core.session.Session;
import dev.partyline.core.session.SessionId;
import dev.partyline.protocol.ServerMessage;
import dev.partyline.protocol.ServerMessageCodec;
import org.junit.jupiter.api.Test;

class LocalFanoutTest {
    private final LocalBroker broker = new LocalBroker();
    private final LocalFanout fanout = new LocalFanout(broker);
    private final ServerMessageCodec codec = new ServerMessageCodec();
    private final RoomCode room = new RoomCode("BCDF");

    @Test
    void eachDeliveryGroupGetsOneDeliveryPerEvent() {
        InlineDeliveryGroup loopA = new InlineDeliveryGroup();
        InlineDeliveryGroup loopB = new InlineDeliveryGroup();
        Session ann = session("Ann", new FakeConnection(loopA, "192.0.2.1"));
        Session bob = session("Bob", new FakeConnection(loopA, "192.0.2.2"));
        Session cy = session("Cy", new FakeConnection(loopB, "192.0.2.3"));
        attachLive(ann);
        attachLive(bob);
        attachLive(cy);

        publish(null, "hello");

        assertThat(loopA.deliveries()).isEqualTo(1);
        assertThat(loopB.deliveries()).isEqualTo(1);
        for (Session member : new Session[] {ann, bob, cy}) {
            assertThat(((FakeConnection) member.connection()).eventNames()).containsExactly("hello");
        }
    }

    @Test
    void aPrivateEventReachesOnlyItsAudience() {
        Session ann = session("Ann", new FakeConnection());
        Session bob = session("Bob", new FakeConnection());
        attachLive(ann);
        attachLive(bob);

        publish(bob.player().id().value(), "secret");

        assertThat(((FakeConnection) ann.connection()).events()).isEmpty();
        assertThat(((FakeConnection) bob.connection()).eventNames()).containsExactly("secret");
    }

    @Test
    void anAwaySessionGetsNothingAndNoDeliveryIsMadeForIt() {
        InlineDeliveryGroup loop = new InlineDeliveryGroup();
        Session ann = session("Ann", new FakeConnection(loop, "192.0.2.1"));
        attachLive(ann);
        ann.attach(null);

        publish(null, "hello");

        assertThat(loop.deliveries()).isZero();
    }

    @Test
    void theLastMemberOutUnsubscribes() {
        Session ann = session("Ann", new FakeConnection());
        Session bob = session("Bob", new FakeConnection());
        attachLive(ann);
        attachLive(bob);
        fanout.detach(room, ann);

        publish(null, "one");
        fanout.detach(room, bob);
        attachLive(ann);
        publish(null, "two");

        assertThat(((FakeConnection) ann.connection()).eventNames()).containsExactly("two");
        assertThat(((FakeConnection) bob.connection()).eventNames()).containsExactly("one");
    }

    @Test
    void attachingTwiceDeliversOnce() {
        Session ann = session("Ann", new FakeConnection());
        attachLive(ann);
        attachLive(ann);

        publish(null, "once");

        assertThat(((FakeConnection) ann.connection()).eventNames()).containsExactly("once");
    }

    @Test
    void topicIsTheRoomCode() {
        assertThat(LocalFanout.topic(room)).isEqualTo("room:BCDF");
    }

    /** Attaches as a room does for a member that has its snapshot: live from now on. */
    private void attachLive(Session session) {
        fanout.attach(room, session);
        session.goLive(room);
    }

    @Test
    void aMemberThatIsNotLiveYetGetsNoEvents() {
        FakeConnection annSocket = new FakeConnection();
        Session ann = session("Ann", annSocket);
        fanout.attach(room, ann); // resumed, still being sent its replay
        publish(null, "hello");
        assertThat(annSocket.received()).isEmpty();
        ann.goLive(room);
        publish(null, "again");
        assertThat(annSocket.received()).hasSize(1);
    }

    private Session session(String name, FakeConnection connection) {
        return new Session(SessionId.random(), new Player(PlayerId.random(), name), connection);
    }

    private void publish(String audience, String name) {
        byte[] frame = codec.encode(new ServerMessage.Event(room.value(), 1, name, null, null));
        broker.publish(LocalFanout.topic(room), Publication.pack(audience, frame));
    }
}
