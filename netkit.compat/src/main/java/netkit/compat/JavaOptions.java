package netkit.compat;

import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.util.Set;

/**
 * The typed Java options ({@link StandardSocketOptions}) as the int forms of
 * {@link java.net.SocketOptions} that the socket impls handle, shared by the stream and datagram
 * impls.
 */
final class JavaOptions {
    private JavaOptions() {
    }

    /** UnsupportedOperationException unless {@code name} is one of {@code supported}, as the JDK's impls. */
    static void check(Set<SocketOption<?>> supported, SocketOption<?> name) {
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    /** The int form of {@code name} (SO_REUSEPORT and the keepalive tuning have none). */
    static int intOption(SocketOption<?> name) {
        if (name == StandardSocketOptions.SO_SNDBUF) {
            return SocketOptions.SO_SNDBUF;
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            return SocketOptions.SO_RCVBUF;
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            return SocketOptions.SO_KEEPALIVE;
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            return SocketOptions.SO_REUSEADDR;
        } else if (name == StandardSocketOptions.SO_LINGER) {
            return SocketOptions.SO_LINGER;
        } else if (name == StandardSocketOptions.TCP_NODELAY) {
            return SocketOptions.TCP_NODELAY;
        } else if (name == StandardSocketOptions.SO_BROADCAST) {
            return SocketOptions.SO_BROADCAST;
        } else if (name == StandardSocketOptions.IP_TOS) {
            return SocketOptions.IP_TOS;
        }
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }

    /** A Boolean option value as netkit's 0 or 1. */
    static int bool(Object value) {
        return (Boolean) value ? 1 : 0;
    }
}
