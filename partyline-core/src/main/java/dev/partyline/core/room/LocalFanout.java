package dev.partyline.core.room;

import dev.partyline.core.broker.Broker;
import dev.partyline.core.broker.Subscription;
import dev.partyline.core.session.Connection;
import dev.partyline.core.session.DeliveryGroup;
import dev.partyline.core.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands a room's published events to this node's members of that room. Subscribes to the room's
 * topic while the node has members in it; groups the connected recipients by delivery group so
 * each I/O thread gets one task per event. Thread-safe.
 */
public final class LocalFanout {
    private final Broker broker;
    private final Map<RoomCode, LocalRoom> rooms = new ConcurrentHashMap<>();

    public LocalFanout(Broker broker) {
        this.broker = broker;
    }

    /** The broker topic of a room's events. */
    public static String topic(RoomCode code) {
        return "room:" + code.value();
    }

    /** From now on, {@code session} gets the room's events (while it is connected). */
    public void attach(RoomCode code, Session session) {
        rooms.compute(code, (c, room) -> {
            LocalRoom target = room == null ? new LocalRoom(c) : room;
            target.members.addIfAbsent(session);
            return target;
        });
    }

    /** {@code session} no longer gets the room's events; the last one out unsubscribes. */
    public void detach(RoomCode code, Session session) {
        rooms.computeIfPresent(code, (c, room) -> {
            room.members.remove(session);
            if (room.members.isEmpty()) {
                room.subscription.close();
                return null;
            }
            return room;
        });
    }

    private final class LocalRoom {
        final CopyOnWriteArrayList<Session> members = new CopyOnWriteArrayList<>();
        final RoomCode code;
        final Subscription subscription;

        LocalRoom(RoomCode code) {
            this.code = code;
            subscription = broker.subscribe(topic(code), (topic, payload) -> fanOut(payload));
        }

        void fanOut(byte[] payload) {
            String audience = Publication.audience(payload);
            int offset = Publication.frameOffset(payload);
            Map<DeliveryGroup, List<Connection>> byGroup = new HashMap<>();
            for (Session member : members) {
                Connection connection = member.connection();
                // A member not live yet is still being sent its replay by the room: live events wait.
                if (connection != null && member.isLive(code)
                        && (audience == null || audience.equals(member.player().id().value()))) {
                    byGroup.computeIfAbsent(connection.deliveryGroup(), g -> new ArrayList<>()).add(connection);
                }
            }
            byGroup.forEach((group, recipients) -> group.deliver(payload, offset, payload.length - offset, recipients));
        }
    }
}
