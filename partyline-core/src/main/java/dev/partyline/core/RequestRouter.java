package dev.partyline.core;

import dev.partyline.protocol.PrintableText;
import dev.partyline.core.game.RoomType;
import dev.partyline.core.game.RoomTypeRegistry;
import dev.partyline.core.limit.FailedJoinThrottle;
import dev.partyline.core.room.Room;
import dev.partyline.core.room.RoomCode;
import dev.partyline.core.room.RoomEvent;
import dev.partyline.core.room.RoomRegistry;
import dev.partyline.core.session.Session;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.time.Clock;
import java.util.Optional;

/**
 * Routes an authenticated session's requests to rooms. Checks what can be checked without the
 * room (type known, code well-formed, room live, membership) and answers those refusals at once;
 * everything else is posted to the room's mailbox, which replies. Thread-safe.
 */
public final class RequestRouter {
    private final RoomTypeRegistry types;
    private final RoomRegistry rooms;
    private final FailedJoinThrottle failedJoins;
    private final Clock clock;

    public RequestRouter(RoomTypeRegistry types, RoomRegistry rooms, FailedJoinThrottle failedJoins, Clock clock) {
        this.types = types;
        this.rooms = rooms;
        this.failedJoins = failedJoins;
        this.clock = clock;
    }

    /**
     * Handles one request, once per session: a request sent again (after a dropped socket) is
     * answered from the session's remembered replies, or not at all while its first run is still
     * going (that reply reaches the current socket when it comes). The reply reaches the session
     * now or later from the room.
     */
    public void route(Session session, String remoteAddress, ClientMessage.Request request) {
        switch (session.replies().begin(request.id(), request.hashCode())) {
            case NEW -> dispatch(session, remoteAddress, request);
            case CONFLICT -> session.sendUnremembered(ServerMessage.Reply.failure(request.id(),
                    ErrorCode.BAD_REQUEST.wire(), "Request id " + request.id()
                            + " was used for another request in this session; use a new id for each request."));
            case ANSWERED -> {
                byte[] remembered = session.replies().reply(request.id());
                if (remembered != null) { // null only if evicted this very moment
                    session.sendFrame(remembered);
                }
            }
            case IN_FLIGHT -> { } // its reply is on its way
        }
    }

    private void dispatch(Session session, String remoteAddress, ClientMessage.Request request) {
        if (request instanceof ClientMessage.Create create) {
            create(session, create);
        } else if (request instanceof ClientMessage.Join join) {
            join(session, remoteAddress, join);
        } else if (request instanceof ClientMessage.Leave leave) {
            withMembership(session, leave.id(), leave.room(), room -> room.post(new RoomEvent.Leave(session, leave.id())));
        } else if (request instanceof ClientMessage.Send send) {
            withMembership(session, send.id(), send.room(),
                    room -> room.post(new RoomEvent.Message(session, send.id(), send.name(), send.data())));
        } else if (request instanceof ClientMessage.Ping ping) {
            session.send(ServerMessage.Reply.ok(ping.id(), Json.nodes().objectNode().put("serverTime", clock.millis())));
        }
    }

    private void create(Session session, ClientMessage.Create create) {
        Optional<RoomType> type = types.find(create.type());
        if (type.isEmpty()) {
            refuse(session, create.id(), ErrorCode.UNKNOWN_ROOM_TYPE,
                    "This server has no room type \"" + printable(create.type()) + "\"; it hosts " + types.names() + ".");
            return;
        }
        if (session.rooms().size() >= rooms.settings().maxRoomsPerSession()) {
            refuse(session, create.id(), ErrorCode.TOO_MANY_ROOMS,
                    "You are in " + rooms.settings().maxRoomsPerSession() + " rooms already; leave one first.");
            return;
        }
        rooms.open(type.get()).post(new RoomEvent.Create(session, create.id(), create.options()));
    }

    private void join(Session session, String remoteAddress, ClientMessage.Join join) {
        if (failedJoins.isBlocked(remoteAddress)) {
            refuse(session, join.id(), ErrorCode.RATE_LIMITED,
                    "Too many wrong room codes from your address; wait a minute and try again.");
            return;
        }
        Optional<RoomCode> code = RoomCode.parse(join.room());
        if (code.isEmpty()) {
            failedJoins.recordFailure(remoteAddress);
            refuse(session, join.id(), ErrorCode.INVALID_CODE,
                    "Room codes are 4 letters (A to Z, without I and O).");
            return;
        }
        Optional<Room> room = rooms.find(code.get()).filter(r -> !r.isClosed());
        if (room.isEmpty()) {
            failedJoins.recordFailure(remoteAddress);
            refuse(session, join.id(), ErrorCode.ROOM_NOT_FOUND, "There is no room " + code.get() + ". Check the code.");
            return;
        }
        if (!session.rooms().contains(code.get()) && session.rooms().size() >= rooms.settings().maxRoomsPerSession()) {
            refuse(session, join.id(), ErrorCode.TOO_MANY_ROOMS,
                    "You are in " + rooms.settings().maxRoomsPerSession() + " rooms already; leave one first.");
            return;
        }
        room.get().post(new RoomEvent.Join(session, join.id()));
    }

    private void withMembership(Session session, long id, String rawCode, java.util.function.Consumer<Room> action) {
        // The room itself checks membership on its mailbox, after any join queued before this
        // request: a send right behind its join must not be refused here.
        Optional<Room> room = RoomCode.parse(rawCode).flatMap(rooms::find);
        if (room.isEmpty()) {
            refuse(session, id, ErrorCode.NOT_A_MEMBER, "You are not in room " + printable(rawCode) + "; join it first.");
            return;
        }
        action.accept(room.get());
    }

    private static void refuse(Session session, long id, ErrorCode code, String message) {
        session.send(ServerMessage.Reply.failure(id, code.wire(), message));
    }

    private static String printable(String text) {
        return PrintableText.of(text, 16);
    }
}
