package netkit.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netkit.api.stats.TcpCounter;

/**
 * The connections of one stack by 4-tuple (one hash lookup per segment), the {@link TimeWaits}
 * records that closed ones leave, the ports TIME_WAIT holds, and the end of a connection: out of
 * the table, timers off, buffers returned, the listener's and the socket's books updated, the
 * outcome counted.
 */
final class ConnectionTable {
    private final TcpInstance tcp;
    private final Map<ConnectionKey, TcpConnection> connections = new HashMap<>();
    private final PortCounts timeWaitPorts = new PortCounts();
    final TimeWaits timeWaits;

    ConnectionTable(TcpInstance tcp) {
        this.tcp = tcp;
        this.timeWaits = new TimeWaits(tcp, timeWaitPorts);
    }

    /** The connection of a 4-tuple, {@code key} a {@link ConnectionKey} or a {@link ConnectionKey.Probe}. */
    TcpConnection get(Object key) {
        return connections.get(key);
    }

    boolean contains(ConnectionKey key) {
        return connections.containsKey(key);
    }

    void add(TcpConnection c) {
        connections.put(c.key, c);
    }

    /** A snapshot of every connection. */
    List<TcpConnection> all() {
        return new ArrayList<>(connections.values());
    }

    /** Connections in ESTABLISHED or CLOSE_WAIT (RFC 4022 tcpCurrEstab). */
    long established() {
        return connections.values().stream()
                .filter(c -> c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT).count();
    }

    void timeWaitStarted(TcpConnection c) {
        timeWaitPorts.add(c.key.localPort());
    }

    /** Whether a TIME_WAIT connection holds {@code port} (bind needs SO_REUSEADDR then). */
    boolean portInTimeWait(int port) {
        return timeWaitPorts.contains(port);
    }

    /** Connections in TIME_WAIT now: records and control blocks of sockets still open. */
    int timeWaitCount() {
        return timeWaitPorts.total();
    }

    /**
     * {@code c} entered TIME_WAIT and nobody will read it (its socket is closed): its control block
     * and buffers go, a {@link TimeWait} record keeps the 4-tuple for what is left of 2·MSL; beyond
     * {@code maxTimeWait} records, nothing does (counted as TCPTimeWaitOverflow, like Linux).
     */
    void retire(TcpConnection c) {
        TimeWait tw = null;
        if (timeWaits.hasRoom()) {
            tw = new TimeWait(c);
        } else {
            tcp.count(TcpCounter.TIME_WAIT_OVERFLOW);
        }
        destroy(c);
        if (tw != null) {
            timeWaits.add(tw);
        }
    }

    /**
     * Whether a new outgoing connection may use {@code key}: no connection has it, and no TIME_WAIT
     * record, or one that timestamps make safe to take over ({@link TimeWait#reusable}).
     */
    boolean usableForConnect(ConnectionKey key, long nowNanos) {
        if (connections.containsKey(key)) {
            return false;
        }
        TimeWait tw = timeWaits.get(key);
        return tw == null || tw.reusable(nowNanos);
    }

    /**
     * Takes {@code key} (checked by {@link #usableForConnect}) for a new outgoing connection.
     *
     * @return the ISS the connection must start at when it takes over a TIME_WAIT record, else -1
     */
    long claimForConnect(ConnectionKey key) {
        TimeWait tw = timeWaits.get(key);
        if (tw == null) {
            return -1;
        }
        timeWaits.remove(tw);
        tcp.count(TcpCounter.TIME_WAIT_REUSED);
        return tw.successorIss();
    }

    /** The connection is gone (CLOSED): timers off, out of the table, its waiters woken. */
    void destroy(TcpConnection c) {
        if (connections.get(c.key) == c) {
            connections.remove(c.key);
        }
        if (c.state == TcpState.TIME_WAIT) {
            timeWaitPorts.remove(c.key.localPort());
        }
        if (c.state.synchronizedState() && c.state != TcpState.TIME_WAIT && c.error != null) {
            tcp.count(TcpCounter.ESTAB_RESETS);
        }
        if (c.state == TcpState.SYN_SENT && c.error != null) {
            tcp.count(TcpCounter.ATTEMPT_FAILS);
        }
        if (c.state == TcpState.SYN_RECEIVED && c.parent != null) {
            c.parent.halfOpen--;
        }
        if (c.parent != null) {
            c.parent.acceptQueue.remove(c);
        }
        c.cancelTimers();
        c.state(TcpState.CLOSED);
        c.sendBuf.clear();
        if (c.socket == null || c.orphan) {
            c.recvBuf.clear(); // nobody will read it: give the packet buffers back
        }
        if (c.socket != null) {
            c.socket.connectionClosed();
        }
    }
}
