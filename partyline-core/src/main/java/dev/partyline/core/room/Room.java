package dev.partyline.core.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partyline.core.game.GameException;
import dev.partyline.core.game.LeaveReason;
import dev.partyline.core.game.Player;
import dev.partyline.core.game.PlayerId;
import dev.partyline.core.game.RoomContext;
import dev.partyline.core.game.RoomLogic;
import dev.partyline.core.game.RoomType;
import dev.partyline.core.session.Session;
import dev.partyline.protocol.ClientMessage;
import dev.partyline.protocol.ErrorCode;
import dev.partyline.protocol.Json;
import dev.partyline.protocol.ServerMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live room: its members, its logic and its event numbering, all confined to its mailbox.
 * Other threads only {@link #post}. Events are encoded once and published on the room's broker
 * topic; the room never writes to sockets itself, only replies go straight to the asking session.
 */
public final class Room implements RoomContext {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CLOSE_TIMER = "\0close"; // not a name a room type can pass

    private final RoomCode code;
    private final RoomType type;
    private final RoomLogic logic;
    private final Mailbox mailbox;
    private final RoomEnvironment env;
    private final String epoch = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EventLog eventLog;

    // Mailbox only, from here on.
    private final Map<PlayerId, Member> members = new LinkedHashMap<>();
    private final Map<String, Mailbox.Cancellable> timers = new HashMap<>();
    private PlayerId host;
    private long seq;

    Room(RoomCode code, RoomType type, Mailbox mailbox, RoomEnvironment env) {
        this.code = code;
        this.type = type;
        this.logic = type.logic().get();
        this.mailbox = mailbox;
        this.env = env;
        this.eventLog = new EventLog(env.settings().eventLogSize(), env.settings().eventLogMaxAge().toMillis());
    }

    /** Thread-safe. Queues the event; logic never runs on the caller's thread. */
    public void post(RoomEvent event) {
        mailbox.execute(() -> dispatch(event));
    }

    public RoomCode roomCode() {
        return code;
    }

    public RoomType type() {
        return type;
    }

    /** The room's event log, for memory accounting in tests. Mailbox only. */
    EventLog eventLog() {
        return eventLog;
    }

    /** Thread-safe. Whether the room has closed; a closed room refuses joins as not found. */
    public boolean isClosed() {
        return closed.get();
    }

    private void dispatch(RoomEvent event) {
        try {
            if (closed.get()) {
                refuseClosed(event);
            } else if (event instanceof RoomEvent.Create create) {
                onCreate(create);
            } else if (event instanceof RoomEvent.Join join) {
                onJoin(join.session(), join.requestId(), true);
            } else if (event instanceof RoomEvent.Leave leave) {
                onLeave(leave);
            } else if (event instanceof RoomEvent.Message message) {
                onMessage(message);
            } else if (event instanceof RoomEvent.Away away) {
                onAway(away.session());
            } else if (event instanceof RoomEvent.Back back) {
                onBack(back.session(), back.position());
            } else if (event instanceof RoomEvent.TimedOut timedOut) {
                removeMember(timedOut.session(), LeaveReason.TIMED_OUT);
            } else if (event instanceof RoomEvent.Close) {
                close();
            }
        } catch (RuntimeException e) {
            // One bad event must not stop the mailbox.
            log.error("room {} ({}) failed on {}", code, type.name(), event.getClass().getSimpleName(), e);
            replyInternalError(event);
            if (event instanceof RoomEvent.Create && members.isEmpty()) {
                close(); // the creator never got in: nothing to keep, and the code must be freed
            }
        }
    }

    private void onCreate(RoomEvent.Create create) {
        try {
            logic.onCreate(this, create.options());
        } catch (GameException e) {
            reply(create.session(), ServerMessage.Reply.failure(create.requestId(), e.code(), e.getMessage()));
            close();
            return;
        }
        onJoin(create.session(), create.requestId(), false);
        if (members.isEmpty()) {
            close(); // the creator could not join its own room: nothing to keep
        }
    }

    /** @param repeatable whether the request was a join, which may run again (see {@link Session#sendRepeatable}) */
    private void onJoin(Session session, long requestId, boolean repeatable) {
        Player player = session.player();
        Member existing = members.get(player.id());
        if (existing != null) {
            rejoin(existing, session, requestId);
            return;
        }
        if (members.size() >= type.maxMembers()) {
            replyError(session, requestId, ErrorCode.ROOM_FULL.wire(),
                    "Room " + code + " is full (" + type.maxMembers() + " players).");
            return;
        }
        try {
            logic.onJoin(this, player);
        } catch (GameException e) {
            replyError(session, requestId, e.code(), e.getMessage());
            return;
        }
        members.put(player.id(), new Member(session));
        session.enter(code);
        if (host == null) {
            host = player.id();
        }
        publish("joined", player.id(), presence(player), null);
        env.fanout().attach(code, session);
        cancelTimer(CLOSE_TIMER);
        ServerMessage.Reply joined = ServerMessage.Reply.ok(requestId, env.codec().snapshotData(snapshot(player)));
        if (repeatable) {
            session.sendRepeatable(joined);
        } else {
            reply(session, joined); // a create must not run twice: its reply is remembered
        }
        // Live after the reply: the joiner's snapshot already counts everything before it.
        session.goLive(code);
    }

    /** The same player joins again, possibly from a newer session: the seat moves to it. */
    private void rejoin(Member member, Session session, long requestId) {
        if (member.session != session) {
            env.fanout().detach(code, member.session);
            member.session.forget(code);
            member.session = session;
            session.enter(code);
            env.fanout().attach(code, session);
        }
        boolean wasAway = !member.online;
        if (wasAway) {
            member.online = true;
            notifyLogic("onBack", () -> logic.onBack(this, session.player()));
            cancelTimer(CLOSE_TIMER);
        }
        // Only a join rejoins (a new room has no members yet): running it again is harmless.
        session.sendRepeatable(ServerMessage.Reply.ok(requestId, env.codec().snapshotData(snapshot(session.player()))));
        session.goLive(code);
        if (wasAway) {
            publish("back", session.player().id(), presence(session.player()), null);
        }
    }

    private void onLeave(RoomEvent.Leave leave) {
        if (!isMember(leave.session())) {
            replyError(leave.session(), leave.requestId(), ErrorCode.NOT_A_MEMBER.wire(),
                    "You are not in room " + code + ".");
            return;
        }
        removeMember(leave.session(), LeaveReason.LEFT);
        reply(leave.session(), ServerMessage.Reply.ok(leave.requestId(), null));
    }

    private void onMessage(RoomEvent.Message message) {
        Session session = message.session();
        if (!isMember(session)) {
            replyError(session, message.requestId(), ErrorCode.NOT_A_MEMBER.wire(), "You are not in room " + code + ".");
            return;
        }
        try {
            logic.onMessage(this, session.player(), message.name(), message.data());
            reply(session, ServerMessage.Reply.ok(message.requestId(), null));
        } catch (GameException e) {
            replyError(session, message.requestId(), e.code(), e.getMessage());
        }
    }

    private void onAway(Session session) {
        Member member = memberOf(session);
        // A resume can attach a new socket before this Away is handled: the player is not away then.
        if (member == null || !member.online || session.connection() != null) {
            return;
        }
        member.online = false;
        notifyLogic("onAway", () -> logic.onAway(this, session.player()));
        publish("away", session.player().id(), presence(session.player()), null);
        scheduleCloseIfEmpty();
    }

    /**
     * A resumed session asks to catch up from {@code position} (null: it has nothing of this room).
     * It gets exactly the events it missed and may see, from the log; or, when the epoch changed
     * or the log no longer reaches back, a snapshot marked as a resync. Then it goes live.
     */
    private void onBack(Session session, ClientMessage.RoomPosition position) {
        Member member = memberOf(session);
        // The resumed socket can drop again before this Back is handled: the player is away then.
        if (member == null || session.connection() == null) {
            return;
        }
        boolean wasAway = !member.online;
        if (wasAway) {
            member.online = true;
            notifyLogic("onBack", () -> logic.onBack(this, session.player()));
            cancelTimer(CLOSE_TIMER);
        }
        List<EventLog.Entry> missed = position == null || !position.epoch().equals(epoch) || position.seq() > seq
                ? null
                : eventLog.since(position.seq(), session.player().id().value(), seq, env.clock().millis());
        if (missed == null) {
            session.send(snapshot(session.player()).asResync());
        } else {
            for (EventLog.Entry entry : missed) {
                session.sendFrame(entry.frame());
            }
        }
        session.goLive(code);
        if (wasAway) {
            publish("back", session.player().id(), presence(session.player()), null);
        }
    }

    private void removeMember(Session session, LeaveReason reason) {
        Member member = memberOf(session);
        if (member == null) {
            return;
        }
        Player player = session.player();
        members.remove(player.id());
        session.forget(code);
        env.fanout().detach(code, session);
        notifyLogic("onLeave", () -> logic.onLeave(this, player, reason));
        publish("left", player.id(), presence(player), null);
        if (player.id().equals(host)) {
            host = members.isEmpty() ? null : members.keySet().iterator().next();
            if (host != null) {
                publish("host", null, Json.nodes().objectNode().put("id", host.value()), null);
            }
        }
        scheduleCloseIfEmpty();
    }

    private void scheduleCloseIfEmpty() {
        boolean anyoneOnline = members.values().stream().anyMatch(m -> m.online);
        if (!anyoneOnline && !timers.containsKey(CLOSE_TIMER)) {
            timers.put(CLOSE_TIMER, mailbox.schedule(() -> {
                timers.remove(CLOSE_TIMER);
                if (!closed.get() && members.values().stream().noneMatch(m -> m.online)) {
                    close();
                }
            }, env.settings().emptyRoomGrace()));
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timers.values().forEach(Mailbox.Cancellable::cancel);
        timers.clear();
        for (Member member : members.values()) {
            member.session.forget(code);
            env.fanout().detach(code, member.session);
        }
        List<Player> leaving = members.values().stream().map(m -> m.session.player()).toList();
        members.clear();
        for (Player player : leaving) {
            notifyLogic("onLeave", () -> logic.onLeave(this, player, LeaveReason.ROOM_CLOSED));
        }
        env.onClosed().accept(this);
        log.debug("room {} closed", code);
    }

    private void refuseClosed(RoomEvent event) {
        if (!(event instanceof RoomEvent.Request request)) {
            return; // presence changes for a closed room: nothing to answer
        }
        if (request instanceof RoomEvent.Create) {
            replyError(request.session(), request.requestId(), ErrorCode.SHUTTING_DOWN.wire(), "The server is shutting down.");
        } else {
            String errorCode = request instanceof RoomEvent.Join ? ErrorCode.ROOM_NOT_FOUND.wire() : ErrorCode.NOT_A_MEMBER.wire();
            replyError(request.session(), request.requestId(), errorCode, "Room " + code + " has closed.");
        }
    }

    private void replyInternalError(RoomEvent event) {
        if (event instanceof RoomEvent.Request request) {
            replyError(request.session(), request.requestId(), ErrorCode.INTERNAL_ERROR.wire(),
                    "The room could not handle that request.");
        }
    }

    // --- snapshot -------------------------------------------------------------------------

    /** This player's full view of the room. Mailbox only. */
    ServerMessage.State snapshot(Player player) {
        List<ServerMessage.MemberInfo> infos = new ArrayList<>(members.size());
        for (Member member : members.values()) {
            Player p = member.session.player();
            infos.add(new ServerMessage.MemberInfo(p.id().value(), p.name(), member.online, p.id().equals(host)));
        }
        return new ServerMessage.State(code.value(), type.name(), epoch, seq, infos, logic.view(player),
                player.id().value());
    }

    // --- RoomContext ----------------------------------------------------------------------

    @Override
    public String code() {
        return code.value();
    }

    @Override
    public void broadcast(String name, JsonNode data) {
        publish(name, null, data, null);
    }

    @Override
    public void broadcast(String name, Player from, JsonNode data) {
        publish(name, from.id(), data, null);
    }

    @Override
    public void send(Player to, String name, JsonNode data) {
        publish(name, null, data, to.id());
    }

    @Override
    public void schedule(String timer, Duration delay) {
        cancelTimer(timer);
        timers.put(timer, mailbox.schedule(() -> {
            timers.remove(timer);
            if (!closed.get()) {
                try {
                    logic.onTimer(this, timer);
                } catch (RuntimeException e) {
                    log.error("room {} ({}) failed on timer {}", code, type.name(), timer, e);
                }
            }
        }, delay));
    }

    @Override
    public void cancel(String timer) {
        cancelTimer(timer);
    }

    @Override
    public List<Player> members() {
        return members.values().stream().map(m -> m.session.player()).toList();
    }

    @Override
    public boolean isOnline(Player player) {
        Member member = members.get(player.id());
        return member != null && member.online;
    }

    @Override
    public Optional<Player> host() {
        return Optional.ofNullable(host).map(members::get).map(m -> m.session.player());
    }

    @Override
    public long now() {
        return env.clock().millis();
    }

    // --- helpers --------------------------------------------------------------------------

    private void publish(String name, PlayerId from, JsonNode data, PlayerId audience) {
        long next = ++seq;
        byte[] frame = env.codec().encode(new ServerMessage.Event(code.value(), next, name,
                from == null ? null : from.value(), data));
        String audienceId = audience == null ? null : audience.value();
        eventLog.append(next, audienceId, frame, env.clock().millis());
        env.broker().publish(LocalFanout.topic(code), Publication.pack(audienceId, frame));
    }

    /**
     * Runs a callback that cannot refuse anything (the member is away, back or gone already). A
     * bug in it is logged and the room's own bookkeeping goes on, so presence events, the host
     * hand-over and the empty-room close still happen.
     */
    private void notifyLogic(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("room {} ({}) failed in {}", code, type.name(), callback, e);
        }
    }

    private void cancelTimer(String timer) {
        Mailbox.Cancellable scheduled = timers.remove(timer);
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    private boolean isMember(Session session) {
        return memberOf(session) != null;
    }

    /** The member seated by this very session, or null. */
    private Member memberOf(Session session) {
        Member member = members.get(session.player().id());
        return member != null && member.session == session ? member : null;
    }

    private static JsonNode presence(Player player) {
        return Json.nodes().objectNode().put("id", player.id().value()).put("name", player.name());
    }

    private void reply(Session session, ServerMessage.Reply reply) {
        session.send(reply);
    }

    private void replyError(Session session, long requestId, String errorCode, String message) {
        session.send(ServerMessage.Reply.failure(requestId, errorCode, message));
    }

    /** One seat. Mailbox only. */
    private static final class Member {
        Session session;
        boolean online = true;

        Member(Session session) {
            this.session = session;
        }
    }
}
