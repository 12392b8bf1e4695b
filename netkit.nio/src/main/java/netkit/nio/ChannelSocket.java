package netkit.nio;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SocketManager;

/**
 * What the three channel classes and the adaptors share: the socket manager and token, the channel's
 * selection keys, the Java socket options (the channel type's set) as netkit options, and closing the
 * token.
 */
final class ChannelSocket {
    /** The options of stream sockets, as the JDK's SocketChannel lists them (no IPv6, no multicast). */
    static final Set<SocketOption<?>> STREAM_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS,
            StandardSocketOptions.SO_REUSEPORT);
    /** The options of listeners. */
    static final Set<SocketOption<?>> LISTENER_OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT);
    /** The options of datagram sockets. */
    static final Set<SocketOption<?>> DATAGRAM_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_REUSEPORT);

    final SocketManager sockets;
    final int token;
    /** The Java options this channel type supports. */
    final Set<SocketOption<?>> options;
    private final Registrations registrations = new Registrations();
    private volatile boolean closed;

    ChannelSocket(SocketManager sockets, int token, Set<SocketOption<?>> options) {
        this.sockets = sockets;
        this.token = token;
        this.options = options;
    }

    /** Opens a new socket of {@code type} whose channel supports {@code options}. */
    static ChannelSocket open(SocketManager sockets, int type, Set<SocketOption<?>> options) throws IOException {
        try {
            int token = sockets.socket(Net.AF_INET, type, 0);
            if (type == Net.SOCK_STREAM) {
                // the JDK's channels on Linux: SO_OOBINLINE off (a received urgent byte leaves the
                // stream) until socket().setOOBInline(true); accepted channels inherit it
                sockets.setsockopt(token, Net.SOL_SOCKET, Net.SO_OOBINLINE, 0);
            }
            return new ChannelSocket(sockets, token, options);
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
    }

    void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    void blocking(boolean block) throws IOException {
        try {
            sockets.setsockopt(token, Net.SOL_SOCKET, Net.SO_NONBLOCK, block ? 0 : 1);
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
    }

    /** Adds a selection key of the channel (the first one sets the readiness listener). */
    void register(NetkitSelectionKey key) throws ErrnoException {
        registrations.add(sockets, token, key);
    }

    /** Removes a cancelled key (the last one clears the readiness listener). */
    void deregister(NetkitSelectionKey key) {
        registrations.remove(sockets, token, key);
    }

    void close() {
        closed = true;
        try {
            sockets.closesocket(token);
        } catch (ErrnoException e) {
            // closed already
        }
    }

    <T> void setOption(SocketOption<T> name, T value) throws IOException {
        check(name);
        if (value == null) {
            throw new IllegalArgumentException("null value for " + name);
        }
        int v = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
        if (name == StandardSocketOptions.SO_LINGER && v < 0) {
            v = -1;
        }
        try {
            sockets.setsockopt(token, level(name), option(name), v);
        } catch (ErrnoException e) {
            if (e.errno() == netkit.api.Errno.EINVAL) {
                throw new IllegalArgumentException("bad value " + value + " for " + name, e);
            }
            throw Errors.io(e);
        }
    }

    @SuppressWarnings("unchecked")
    <T> T getOption(SocketOption<T> name) throws IOException {
        check(name);
        int v;
        try {
            v = sockets.getsockopt(token, level(name), option(name));
        } catch (ErrnoException e) {
            throw Errors.io(e);
        }
        if (name.type() == Boolean.class) {
            return (T) Boolean.valueOf(v != 0);
        }
        return (T) Integer.valueOf(name == StandardSocketOptions.SO_LINGER && v < 0 ? -1 : v);
    }

    /** A netkit option that has no Java name (SO_OOBINLINE), for the adaptors: errors as SocketException. */
    void setRaw(int level, int option, int value) throws SocketException {
        try {
            sockets.setsockopt(token, level, option, value);
        } catch (ErrnoException e) {
            throw new SocketException(e.getMessage());
        }
    }

    /** The same, read. */
    int getRaw(int level, int option) throws SocketException {
        try {
            return sockets.getsockopt(token, level, option);
        } catch (ErrnoException e) {
            throw new SocketException(e.getMessage());
        }
    }

    private void check(SocketOption<?> name) throws ClosedChannelException {
        if (name == null) {
            throw new NullPointerException("option");
        }
        if (!options.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        ensureOpen();
    }

    private static int level(SocketOption<?> name) {
        if (name == StandardSocketOptions.TCP_NODELAY) {
            return Net.IPPROTO_TCP;
        }
        return name == StandardSocketOptions.IP_TOS ? Net.IPPROTO_IP : Net.SOL_SOCKET;
    }

    private static int option(SocketOption<?> name) {
        if (name == StandardSocketOptions.SO_SNDBUF) {
            return Net.SO_SNDBUF;
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            return Net.SO_RCVBUF;
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            return Net.SO_KEEPALIVE;
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            return Net.SO_REUSEADDR;
        } else if (name == StandardSocketOptions.SO_LINGER) {
            return Net.SO_LINGER;
        } else if (name == StandardSocketOptions.TCP_NODELAY) {
            return Net.TCP_NODELAY;
        } else if (name == StandardSocketOptions.IP_TOS) {
            return Net.IP_TOS;
        } else if (name == StandardSocketOptions.SO_BROADCAST) {
            return Net.SO_BROADCAST;
        } else if (name == StandardSocketOptions.SO_REUSEPORT) {
            return Net.SO_REUSEPORT;
        }
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }
}
