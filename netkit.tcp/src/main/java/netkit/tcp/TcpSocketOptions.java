package netkit.tcp;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.spi.protocol.SocketOptions;

/**
 * The option calls of one TCP socket ({@link TcpSocket#setOption}/{@link TcpSocket#getOption} take
 * the lock and come here): the {@code IPPROTO_TCP} options (TCP_NODELAY, TCP_KEEPIDLE/INTVL/CNT,
 * TCP_USER_TIMEOUT, TCP_MAXSEG in Linux's range 88..32767), TCP's part of the socket-level ones
 * (SO_RCVLOWAT's cap, SO_ACCEPTCONN) and the connection's reaction to socket-level changes
 * (keepalive, buffer sizes). The socket layer stores the generic options. Stack lock held.
 */
final class TcpSocketOptions {
    private final TcpInstance tcp;
    private final SocketOptions socket;
    private final TcpSettings defaults;
    boolean noDelay;
    int keepIdle;
    int keepInterval;
    int keepCount;
    /** TCP_USER_TIMEOUT in milliseconds, 0 when off. */
    int userTimeout;
    private int maxSeg;
    /** Linux's TCP_MIN_MSS and MAX_TCP_WINDOW: the range of TCP_MAXSEG. */
    static final int MIN_USER_MSS = 88;
    static final int MAX_USER_MSS = 32767;

    TcpSocketOptions(TcpInstance tcp, SocketOptions socket) {
        this.tcp = tcp;
        this.socket = socket;
        this.defaults = tcp.settings();
    }

    /** TCP_MAXSEG as set, 0 when not. */
    int userMss() {
        return maxSeg;
    }

    /** An accept socket takes its listener's TCP options. */
    void inherit(TcpSocketOptions o) {
        noDelay = o.noDelay;
        keepIdle = o.keepIdle;
        keepInterval = o.keepInterval;
        keepCount = o.keepCount;
        userTimeout = o.userTimeout;
        maxSeg = o.maxSeg;
    }

    void set(TcpConnection conn, int level, int option, int value) throws ErrnoException {
        if (level == Net.SOL_SOCKET && option == Net.SO_RCVLOWAT) {
            // Linux tcp_set_rcvlowat: at most half the largest buffer (SO_RCVBUF as set, Linux
            // doubling it; else what auto-tuning may reach)
            int cap = socket.receiveBufferSet() ? socket.receiveBuffer() : tcp.settings().maxReceiveBuffer() / 2;
            socket.receiveLowWater(Math.min(socket.receiveLowWater(), cap));
            tcp.ctx.readinessChanged(); // readiness may have risen at once
        }
        if (level == Net.IPPROTO_TCP) {
            switch (option) {
                case Net.TCP_NODELAY -> {
                    noDelay = value != 0;
                    if (conn != null && noDelay) {
                        TcpSender.output(conn);
                    }
                }
                case Net.TCP_KEEPIDLE -> {
                    keepIdle = positive(value);
                    if (conn != null) {
                        conn.touchKeepalive(); // the new idle time applies from now
                        conn.rearm();
                    }
                }
                case Net.TCP_KEEPINTVL -> keepInterval = positive(value);
                case Net.TCP_KEEPCNT -> keepCount = positive(value);
                case Net.TCP_USER_TIMEOUT -> {
                    if (value < 0) {
                        throw new ErrnoException(Errno.EINVAL, "TCP_USER_TIMEOUT must not be negative");
                    }
                    userTimeout = value;
                }
                case Net.TCP_MAXSEG -> {
                    // Linux: 0 (the default again) or TCP_MIN_MSS..MAX_TCP_WINDOW; announced in the
                    // SYN when set before the handshake, a ceiling for what is sent after it
                    if (value != 0 && (value < MIN_USER_MSS || value > MAX_USER_MSS)) {
                        throw new ErrnoException(Errno.EINVAL, "TCP_MAXSEG " + value + " not in " + MIN_USER_MSS
                                + ".." + MAX_USER_MSS);
                    }
                    maxSeg = value;
                    if (conn != null && value > 0) {
                        conn.userMss = value;
                        conn.computeMss();
                    }
                }
                default -> throw new ErrnoException(Errno.ENOPROTOOPT, "tcp option " + option);
            }
            return;
        }
        if (level != Net.SOL_SOCKET && !(level == Net.IPPROTO_IP && (option == Net.IP_TTL || option == Net.IP_TOS))) {
            // The socket layer stores the generic options and tells us; anything else is unknown
            // to TCP (Linux: ENOPROTOOPT), never silently accepted.
            throw new ErrnoException(Errno.ENOPROTOOPT, "level " + level + " option " + option);
        }
        if (conn != null && level == Net.SOL_SOCKET) {
            switch (option) {
                case Net.SO_KEEPALIVE -> {
                    conn.touchKeepalive();
                    conn.rearm();
                }
                case Net.SO_RCVBUF -> conn.recvBuf.capacity(conn.options.receiveBuffer());
                case Net.SO_SNDBUF -> conn.sendBuf.capacity(conn.options.sendBuffer());
                default -> {
                }
            }
        }
        if (conn != null) {
            conn.wake(); // SO_NONBLOCK or timeouts changed for waiting callers
        }
    }

    /** {@code listening}: the socket is a listener (SO_ACCEPTCONN). */
    int get(TcpConnection conn, boolean listening, int level, int option) throws ErrnoException {
        if (level == Net.SOL_SOCKET && option == Net.SO_ACCEPTCONN) {
            return listening ? 1 : 0;
        }
        if (level != Net.IPPROTO_TCP) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        return switch (option) {
            case Net.TCP_NODELAY -> noDelay ? 1 : 0;
            case Net.TCP_KEEPIDLE -> keepIdle > 0 ? keepIdle : defaults.keepIdleSeconds();
            case Net.TCP_KEEPINTVL -> keepInterval > 0 ? keepInterval : defaults.keepIntervalSeconds();
            case Net.TCP_KEEPCNT -> keepCount > 0 ? keepCount : defaults.keepCount();
            case Net.TCP_USER_TIMEOUT -> userTimeout;
            case Net.TCP_MAXSEG -> conn != null ? conn.mss : maxSeg > 0 ? maxSeg : 536;
            default -> throw new ErrnoException(Errno.ENOPROTOOPT, "tcp option " + option);
        };
    }

    private static int positive(int v) throws ErrnoException {
        if (v <= 0) {
            throw new ErrnoException(Errno.EINVAL, "must be positive");
        }
        return v;
    }
}
