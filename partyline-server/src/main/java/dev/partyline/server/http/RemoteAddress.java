package dev.partyline.server.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The client IP of a channel, as used for per-address limits and logs. */
public final class RemoteAddress {
    static final AttributeKey<Boolean> OVER_LIMIT = AttributeKey.valueOf("partyline.overLimit");

    private RemoteAddress() {}

    public static String of(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
