package netkit.api.spi.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import netkit.api.Errno;
import netkit.api.ErrnoException;

/**
 * Local port bindings of one protocol: who is bound to which (address, port), with wildcard
 * (INADDR_ANY) bindings, SO_REUSEADDR and ephemeral ports (RFC 6056 §3.3.1: random start, then
 * sequential search). Not thread-safe: used under the stack lock.
 *
 * @param <T> the owner of a binding (a protocol socket)
 */
public final class PortTable<T> {
    /** First ephemeral port (IANA range, RFC 6335). */
    public static final int EPHEMERAL_LOW = 49152;
    /** Last ephemeral port. */
    public static final int EPHEMERAL_HIGH = 65535;

    /** One binding. */
    public static final class Binding<T> {
        private final int address;
        private final int port;
        private final boolean reuse;
        private final T owner;

        Binding(int address, int port, boolean reuse, T owner) {
            this.address = address;
            this.port = port;
            this.reuse = reuse;
            this.owner = owner;
        }

        /** Bound address, 0 for the wildcard. */
        public int address() {
            return address;
        }

        /** Bound port. */
        public int port() {
            return port;
        }

        /** The owner. */
        public T owner() {
            return owner;
        }
    }

    private final Map<Integer, List<Binding<T>>> byPort = new HashMap<>();
    private final IntPredicate isLocal;
    private final SecureRandom random;
    private int count;

    /**
     * A table whose specific-address bindings must satisfy {@code isLocal} (else EADDRNOTAVAIL),
     * drawing where the search for a free ephemeral port starts from {@code random}: a source an
     * off-path attacker cannot predict (RFC 6056 §3.3.1).
     */
    public PortTable(IntPredicate isLocal, SecureRandom random) {
        this.isLocal = isLocal;
        this.random = random;
    }

    /**
     * Binds {@code owner} to {@code address:port}; port 0 picks a free ephemeral port.
     *
     * @param reuse      the owner's SO_REUSEADDR
     * @param lingering  tells which existing owners are only lingering (TCP TIME_WAIT): with
     *                   {@code reuse}, a new binding may share their exact address and port
     * @throws ErrnoException EADDRINUSE; EADDRNOTAVAIL for a non-local address or when no
     *                        ephemeral port is free
     */
    public Binding<T> bind(int address, int port, boolean reuse, T owner, Predicate<T> lingering)
            throws ErrnoException {
        if (address != 0 && !isLocal.test(address)) {
            throw new ErrnoException(Errno.EADDRNOTAVAIL, "not a local address");
        }
        if (port < 0 || port > 0xffff) {
            throw new ErrnoException(Errno.EINVAL, "port out of range");
        }
        if (port == 0) {
            int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
            int start = random.nextInt(span);
            for (int i = 0; i < span; i++) {
                int candidate = EPHEMERAL_LOW + (start + i) % span;
                if (!byPort.containsKey(candidate)) {
                    return add(address, candidate, reuse, owner);
                }
            }
            throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free ephemeral port");
        }
        List<Binding<T>> list = byPort.get(port);
        if (list != null) {
            for (Binding<T> b : list) {
                if (conflicts(b, address, reuse, lingering)) {
                    throw new ErrnoException(Errno.EADDRINUSE, formatPort(address, port));
                }
            }
        }
        return add(address, port, reuse, owner);
    }

    private boolean conflicts(Binding<T> existing, int address, boolean reuse, Predicate<T> lingering) {
        boolean overlap = existing.address == 0 || address == 0 || existing.address == address;
        if (!overlap) {
            return false;
        }
        if (reuse && lingering != null && lingering.test(existing.owner)) {
            return false; // SO_REUSEADDR: bind over TIME_WAIT (unix socket FAQ IV.5)
        }
        // With SO_REUSEADDR on both, a specific address may sit beside a wildcard one.
        return !(reuse && existing.reuse && existing.address != address);
    }

    private Binding<T> add(int address, int port, boolean reuse, T owner) {
        Binding<T> b = new Binding<>(address, port, reuse, owner);
        byPort.computeIfAbsent(port, p -> new ArrayList<>(1)).add(b);
        count++;
        return b;
    }

    /** Removes a binding; harmless when already removed. */
    public void release(Binding<T> binding) {
        if (binding == null) {
            return;
        }
        List<Binding<T>> list = byPort.get(binding.port);
        if (list != null && list.remove(binding)) {
            count--;
            if (list.isEmpty()) {
                byPort.remove(binding.port);
            }
        }
    }

    /**
     * The owner that receives packets to {@code address:port}: an exact-address binding wins over
     * a wildcard one; null when none.
     */
    public T lookup(int address, int port) {
        List<Binding<T>> list = byPort.get(port);
        if (list == null) {
            return null;
        }
        T wildcard = null;
        for (Binding<T> b : list) {
            if (b.address == address) {
                return b.owner;
            }
            if (b.address == 0 && wildcard == null) {
                wildcard = b.owner;
            }
        }
        return wildcard;
    }

    /** Every owner bound to {@code port} (for broadcast delivery). */
    public List<T> all(int port) {
        List<Binding<T>> list = byPort.get(port);
        List<T> out = new ArrayList<>();
        if (list != null) {
            for (Binding<T> b : list) {
                out.add(b.owner);
            }
        }
        return out;
    }

    /** Number of bindings. */
    public int size() {
        return count;
    }

    private static String formatPort(int address, int port) {
        return netkit.api.SockAddr.formatAddress(address) + ":" + port;
    }
}
