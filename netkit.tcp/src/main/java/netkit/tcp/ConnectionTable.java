package netkit.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netkit.api.stats.TcpCounter;

/**
 * The connections of one stack by 4-tuple (one hash lookup per segment), the ports their TIME_WAIT
 * members hold, and the end of a connection: out of the table, timers off, buffers returned, the
 * listener's and the socket's books updated, the outcome counted.
 */
final class ConnectionTable {
    private final TcpInstance tcp;
    private final Map<ConnectionKey, TcpConnection> connections = new HashMap<>();
    private final TimeWaitPorts timeWaitPorts = new TimeWaitPorts();

    ConnectionTable(TcpInstance tcp) {
        this.tcp = tcp;
    }

    TcpConnection get(ConnectionKey key) {
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
