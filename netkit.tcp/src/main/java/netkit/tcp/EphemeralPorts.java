package netkit.tcp;

import java.security.SecureRandom;
import java.util.function.Predicate;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.spi.support.PortTable;

/**
 * TCP's ephemeral ports (RFC 6056), from {@link PortTable#EPHEMERAL_LOW} to
 * {@link PortTable#EPHEMERAL_HIGH}. A connect without bind chooses by RFC 6056 §3.3.4, Algorithm 4
 * (double-hash port selection): the search for a destination starts at a keyed hash of (local
 * address, remote address, remote port) plus that destination's entry of a table of counters,
 * which each attempt moves on. So an off-path attacker cannot guess the port, one destination's
 * ports go round the whole range before one comes back, and a port serves as many destinations as
 * there are: what must be unique is the 4-tuple (checked against connections and TIME_WAIT, whose
 * 4-tuples may be taken over when timestamps make it safe), not the port. Such ports are counted
 * here, not bound in the {@link PortTable}, which keeps what {@code bind} took. A {@code bind} to
 * port 0 draws a random start and searches on (RFC 6056 §3.3.1), past ports that bindings,
 * connections or TIME_WAIT hold. Stack lock held.
 */
final class EphemeralPorts {
    private static final int LOW = PortTable.EPHEMERAL_LOW;
    private static final int SPAN = PortTable.EPHEMERAL_HIGH - PortTable.EPHEMERAL_LOW + 1;
    /** Counters per destination hash (RFC 6056's {@code table[]}; Linux uses 2^16 since 5.18). */
    private static final int TABLE = 1024;
    private final TcpInstance tcp;
    private final SecureRandom random;
    private final KeyedHash hash;
    private final int[] perturb = new int[TABLE];
    private final PortCounts connected = new PortCounts();

    EphemeralPorts(TcpInstance tcp, SecureRandom random) {
        this.tcp = tcp;
        this.random = random;
        this.hash = new KeyedHash(random);
    }

    /**
     * A local port for a connection from {@code local} to {@code remote:remotePort} (its 4-tuple
     * usable: see {@link ConnectionTable#usableForConnect}), counted as held until {@link #release}.
     *
     * @throws ErrnoException EADDRNOTAVAIL when every port of the range is taken for this destination
     */
    int forConnect(int local, int remote, int remotePort) throws ErrnoException {
        ConnectionKey destination = new ConnectionKey(local, 0, remote, remotePort);
        int offset = hash.hash(destination, 1, 0); // F(local, remote, remote port, secret)
        int index = hash.hash(destination, 2, 0) & (TABLE - 1); // G(...), another key in effect
        long now = tcp.ctx.loop().nanoTime();
        for (int i = 0; i < SPAN; i++) {
            int port = LOW + Integer.remainderUnsigned(offset + perturb[index]++, SPAN);
            if (tcp.ports.lookup(local, port) == null
                    && tcp.connections.usableForConnect(new ConnectionKey(local, port, remote, remotePort), now)) {
                connected.add(port);
                return port;
            }
        }
        throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free ephemeral port for that destination");
    }

    /** A port {@link #forConnect} gave is free again. */
    void release(int port) {
        connected.remove(port);
    }

    /** Whether a connect holds {@code port} (a bind to it needs SO_REUSEADDR). */
    boolean heldByConnect(int port) {
        return connected.contains(port);
    }

    /**
     * Binds {@code owner} to {@code address} and a free ephemeral port: a random start, then on
     * (RFC 6056 §3.3.1, Algorithm 1), past ports held by bindings, connects or TIME_WAIT.
     *
     * @throws ErrnoException EADDRNOTAVAIL when none is free
     */
    PortTable.Binding<TcpSocket> bind(int address, boolean reuse, TcpSocket owner, Predicate<TcpSocket> lingering)
            throws ErrnoException {
        int start = random.nextInt(SPAN);
        for (int i = 0; i < SPAN; i++) {
            int port = LOW + (start + i) % SPAN;
            if (connected.contains(port) || tcp.connections.portInTimeWait(port) || tcp.ports.lookup(address, port) != null) {
                continue;
            }
            try {
                return tcp.ports.bind(address, port, reuse, owner, lingering);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EADDRINUSE) {
                    throw e;
                }
            }
        }
        throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free ephemeral port");
    }
}
