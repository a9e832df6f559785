package dev.partyline.server.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The client IP of a channel, as used for per-address limits and logs. */
public final class RemoteAddress {
    static final AttributeKey<Boolean> OVER_LIMIT = AttributeKey.valueOf("partyline.overLimit");

    private RemoteAddress() {}

    /** Interned: the connections from one address, often thousands, hold one string between them. */
    public static String of(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return (inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress()).intern();
        }
        return String.valueOf(address).intern();
    }
}
