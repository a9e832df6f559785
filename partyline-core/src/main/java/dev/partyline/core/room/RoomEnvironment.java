package dev.partyline.core.room;

import dev.partyline.core.broker.Broker;
import dev.partyline.protocol.ServerMessageCodec;
import java.time.Clock;
import java.util.function.Consumer;

/** What every room of a node shares: where it publishes, how it encodes, its clock and limits. */
record RoomEnvironment(Broker broker, LocalFanout fanout, ServerMessageCodec codec, Clock clock,
                       RoomSettings settings, Consumer<Room> onClosed) {}
