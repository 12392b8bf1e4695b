package netkit.tcp;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import netkit.api.spi.protocol.SocketOptions;

/**
 * A listening socket's queues. The backlog is the Network Kit's acceptance count: connections
 * waiting in the accept queue plus accepted ones whose socket is still open may not exceed it;
 * beyond it clients are refused with RST, and closing an accepted socket frees a slot. Half-open
 * connections are bounded separately (the SYN queue), with SYN cookies beyond it.
 */
final class Listener {
    final TcpSocket socket;
    final SocketOptions options;
    final Condition changed;
    final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    int backlog;
    int halfOpen;
    int acceptedOpen;

    Listener(TcpSocket socket, SocketOptions options, Condition changed, int backlog) {
        this.socket = socket;
        this.options = options;
        this.changed = changed;
        this.backlog = Math.max(1, backlog);
    }

    /** Options for a new connection: a copy of the listener's. */
    SocketOptions childOptions() {
        SocketOptions child = new SocketOptions();
        child.copyFrom(options);
        return child;
    }

    /** Whether one more established connection fits the acceptance count. */
    boolean hasSlot() {
        return acceptQueue.size() + acceptedOpen < backlog;
    }
}
