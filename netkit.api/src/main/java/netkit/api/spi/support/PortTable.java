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
 * (INADDR_ANY) bindings, SO_REUSEADDR, SO_REUSEPORT groups and ephemeral ports (RFC 6056 §3.3.1:
 * random start, then sequential search). Not thread-safe: used under the stack lock.
 *
 * <p>SO_REUSEPORT (Linux semantics): bindings that all set it may share an address and port; the
 * members bound to the same address form a group, in bind order, and {@link #lookup(int, int, int, int,
 * Predicate)} picks one of a group's eligible members by a hash of the 4-tuple keyed with a value
 * drawn once from the table's random source (Linux's {@code reuseport_select_sock} over
 * {@code inet_ehashfn}): deterministic for a stack's secrets, unpredictable off-path. A group is only
 * its bindings, so it costs one flag per binding and is bounded by the socket table.
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
        private final boolean reusePort;
        private final T owner;

        Binding(int address, int port, boolean reuse, boolean reusePort, T owner) {
            this.address = address;
            this.port = port;
            this.reuse = reuse;
            this.reusePort = reusePort;
            this.owner = owner;
        }

        /** Whether the binding was made with SO_REUSEPORT (a member of its address's group). */
        public boolean reusePort() {
            return reusePort;
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
    private long hashKey;
    private boolean hashKeyDrawn;

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
        return bind(address, port, reuse, false, owner, lingering);
    }

    /**
     * Binds as {@link #bind(int, int, boolean, Object, Predicate)}, with the owner's SO_REUSEPORT:
     * when it and every binding it overlaps set SO_REUSEPORT, they share the port (Linux; seed 004).
     *
     * @param reusePort the owner's SO_REUSEPORT
     */
    public Binding<T> bind(int address, int port, boolean reuse, boolean reusePort, T owner, Predicate<T> lingering)
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
                    return add(address, candidate, reuse, reusePort, owner);
                }
            }
            throw new ErrnoException(Errno.EADDRNOTAVAIL, "no free ephemeral port");
        }
        List<Binding<T>> list = byPort.get(port);
        if (list != null) {
            for (Binding<T> b : list) {
                if (conflicts(b, address, reuse, reusePort, lingering)) {
                    throw new ErrnoException(Errno.EADDRINUSE, formatPort(address, port));
                }
            }
        }
        return add(address, port, reuse, reusePort, owner);
    }

    private boolean conflicts(Binding<T> existing, int address, boolean reuse, boolean reusePort,
            Predicate<T> lingering) {
        boolean overlap = existing.address == 0 || address == 0 || existing.address == address;
        if (!overlap) {
            return false;
        }
        if (reusePort && existing.reusePort) {
            return false; // SO_REUSEPORT on both (unix socket FAQ IV.12; Linux inet_csk_bind_conflict)
        }
        if (reuse && lingering != null && lingering.test(existing.owner)) {
            return false; // SO_REUSEADDR: bind over TIME_WAIT (unix socket FAQ IV.5)
        }
        // With SO_REUSEADDR on both, a specific address may sit beside a wildcard one.
        return !(reuse && existing.reuse && existing.address != address);
    }

    private Binding<T> add(int address, int port, boolean reuse, boolean reusePort, T owner) {
        Binding<T> b = new Binding<>(address, port, reuse, reusePort, owner);
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

    /**
     * The owner that receives a packet of the 4-tuple ({@code address:port} local, {@code from:fromPort}
     * remote): as {@link #lookup(int, int)}, an exact-address binding before a wildcard one, except that
     * where the address's bindings include an SO_REUSEPORT group with members {@code eligible} accepts
     * (all members when null), one of those is chosen by the keyed hash of the 4-tuple. Null when none.
     */
    public T lookup(int address, int port, int from, int fromPort, Predicate<T> eligible) {
        List<Binding<T>> list = byPort.get(port);
        if (list == null) {
            return null;
        }
        T exact = pick(list, address, address, port, from, fromPort, eligible);
        return exact != null || address == 0 ? exact : pick(list, 0, address, port, from, fromPort, eligible);
    }

    private T pick(List<Binding<T>> list, int bound, int address, int port, int from, int fromPort,
            Predicate<T> eligible) {
        Binding<T> first = null;
        int members = 0;
        for (Binding<T> b : list) {
            if (b.address == bound) {
                if (first == null) {
                    first = b;
                }
                if (b.reusePort && (eligible == null || eligible.test(b.owner))) {
                    members++;
                }
            }
        }
        if (first == null) {
            return null;
        }
        if (members == 0) {
            return first.owner;
        }
        // Linux's reciprocal_scale: the high 32 bits of hash * members, uniform over the members
        int k = (int) (((hash(address, port, from, fromPort) & 0xffffffffL) * members) >>> 32);
        for (Binding<T> b : list) {
            if (b.address == bound && b.reusePort && (eligible == null || eligible.test(b.owner)) && k-- == 0) {
                return b.owner;
            }
        }
        return first.owner; // not reached
    }

    /** The keyed hash of a 4-tuple (a 64-bit mix, keyed once per table from its random source). */
    private int hash(int address, int port, int from, int fromPort) {
        if (!hashKeyDrawn) {
            hashKey = random.nextLong(); // drawn on first use, so tables without groups draw nothing
            hashKeyDrawn = true;
        }
        long h = mix(hashKey ^ ((long) address << 32 | from & 0xffffffffL));
        h = mix(h ^ ((long) port << 16 | fromPort) ^ hashKey >>> 17);
        return (int) (h ^ h >>> 32);
    }

    /** SplitMix64's finaliser (Stafford's variant 13). */
    private static long mix(long z) {
        z = (z ^ z >>> 30) * 0xbf58476d1ce4e5b9L;
        z = (z ^ z >>> 27) * 0x94d049bb133111ebL;
        return z ^ z >>> 31;
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
