package dev.partyline.server;

import dev.partyline.core.RequestRouter;
import dev.partyline.core.auth.Authenticator;
import dev.partyline.core.auth.Tickets;
import dev.partyline.core.session.SessionRegistry;
import dev.partyline.protocol.ClientMessageCodec;
import dev.partyline.protocol.ServerMessageCodec;
import dev.partyline.server.http.OriginPolicy;
import dev.partyline.server.http.StaticFiles;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection of a node shares. {@code webSockets} holds the upgraded channels (they get
 * a close frame on shutdown), {@code allChannels} the others (HTTP keep-alive); a channel moves
 * from the second to the first when it upgrades.
 * Built once by {@link PartylineServer}; thread-safe parts only.
 */
public record ServerContext(ServerConfig config, String nodeId, Clock clock, Tickets tickets,
                           Authenticator authenticator, SessionRegistry sessions, RequestRouter router,
                           ServerMetrics metrics, ClientMessageCodec clientCodec, ServerMessageCodec serverCodec,
                           OriginPolicy origins, StaticFiles staticFiles, AtomicBoolean ready,
                           ChannelGroup webSockets, ChannelGroup allChannels,
                           Map<EventLoop, EventLoopDeliveryGroup> deliveryGroups) {

    /** The delivery group of a loop: one per loop, so a broadcast hands each loop one task. */
    EventLoopDeliveryGroup deliveryGroup(EventLoop loop) {
        return deliveryGroups.computeIfAbsent(loop, l -> new EventLoopDeliveryGroup(l, metrics));
    }

    static Map<EventLoop, EventLoopDeliveryGroup> newDeliveryGroups() {
        return new ConcurrentHashMap<>();
    }
}
