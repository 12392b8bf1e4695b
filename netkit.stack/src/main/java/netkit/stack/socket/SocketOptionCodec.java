package netkit.stack.socket;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.spi.protocol.SocketOptions;

/**
 * The socket-level options every protocol shares ({@code SOL_SOCKET} and {@code IPPROTO_IP}):
 * validation and storage in {@link SocketOptions}. Anything else belongs to the protocol.
 */
final class SocketOptionCodec {
    private SocketOptionCodec() {
    }

    /** Whether the socket layer handles this option (possibly also telling the protocol). */
    static boolean generic(int level, int option) {
        if (level == Net.SOL_SOCKET) {
            return option != Net.SO_ERROR && option != Net.SO_ACCEPTCONN;
        }
        return level == Net.IPPROTO_IP && (option == Net.IP_TTL || option == Net.IP_TOS);
    }

    /** Validates and stores; ENOPROTOOPT for unknown options, EINVAL for bad values. */
    static void set(SocketOptions o, int level, int option, int value) throws ErrnoException {
        if (level == Net.IPPROTO_IP) {
            if (option == Net.IP_TTL) {
                check(value >= 1 && value <= 255, "IP_TTL must be 1..255");
                o.ttl(value);
            } else {
                check(value >= 0 && value <= 255, "IP_TOS must be 0..255");
                o.tos(value);
            }
            return;
        }
        switch (option) {
            case Net.SO_NONBLOCK -> o.nonBlocking(value != 0);
            case Net.SO_REUSEADDR -> o.reuseAddress(value != 0);
            case Net.SO_BROADCAST -> o.broadcast(value != 0);
            case Net.SO_DONTROUTE -> o.dontRoute(value != 0);
            case Net.SO_KEEPALIVE -> o.keepAlive(value != 0);
            case Net.SO_LINGER -> o.lingerSeconds(value < 0 ? -1 : value);
            case Net.SO_RCVTIMEO -> {
                check(value >= 0, "timeout must be >= 0 ms");
                o.receiveTimeoutMillis(value);
            }
            case Net.SO_SNDTIMEO -> {
                check(value >= 0, "timeout must be >= 0 ms");
                o.sendTimeoutMillis(value);
            }
            case Net.SO_RCVBUF -> {
                check(value > 0, "buffer size must be positive");
                o.receiveBuffer(clampBuffer(value));
            }
            case Net.SO_SNDBUF -> {
                check(value > 0, "buffer size must be positive");
                o.sendBuffer(clampBuffer(value));
            }
            case Net.SO_REUSEPORT -> o.reusePort(value != 0);
            case Net.SO_OOBINLINE -> o.oobInline(value != 0);
            case Net.SO_RCVLOWAT -> {
                check(value >= 0, "SO_RCVLOWAT must be >= 0");
                o.receiveLowWater(value); // 0 is 1; a stream socket clamps it to its buffer
            }
            case Net.SO_SNDLOWAT -> throw new ErrnoException(Errno.ENOPROTOOPT, "SO_SNDLOWAT is not changeable (Linux)");
            case Net.SO_TYPE -> throw new ErrnoException(Errno.ENOPROTOOPT, "SO_TYPE is read-only");
            default -> throw new ErrnoException(Errno.ENOPROTOOPT, "level " + level + " option " + option);
        }
    }

    /** Reads a stored option; ENOPROTOOPT for unknown options. */
    static int get(SocketOptions o, int type, int level, int option) throws ErrnoException {
        if (level == Net.IPPROTO_IP) {
            return option == Net.IP_TTL ? o.ttl() : o.tos();
        }
        return switch (option) {
            case Net.SO_NONBLOCK -> bool(o.nonBlocking());
            case Net.SO_REUSEADDR -> bool(o.reuseAddress());
            case Net.SO_BROADCAST -> bool(o.broadcast());
            case Net.SO_DONTROUTE -> bool(o.dontRoute());
            case Net.SO_KEEPALIVE -> bool(o.keepAlive());
            case Net.SO_LINGER -> o.lingerSeconds();
            case Net.SO_RCVTIMEO -> o.receiveTimeoutMillis();
            case Net.SO_SNDTIMEO -> o.sendTimeoutMillis();
            case Net.SO_RCVBUF -> o.receiveBuffer();
            case Net.SO_SNDBUF -> o.sendBuffer();
            case Net.SO_REUSEPORT -> bool(o.reusePort());
            case Net.SO_OOBINLINE -> bool(o.oobInline());
            case Net.SO_RCVLOWAT -> o.receiveLowWater();
            case Net.SO_SNDLOWAT -> 1; // Linux: fixed at 1
            case Net.SO_TYPE -> type;
            default -> throw new ErrnoException(Errno.ENOPROTOOPT, "level " + level + " option " + option);
        };
    }

    private static int clampBuffer(int v) {
        return Math.max(2048, Math.min(SocketOptions.MAX_BUFFER, v));
    }

    private static int bool(boolean b) {
        return b ? 1 : 0;
    }

    private static void check(boolean ok, String why) throws ErrnoException {
        if (!ok) {
            throw new ErrnoException(Errno.EINVAL, why);
        }
    }
}
