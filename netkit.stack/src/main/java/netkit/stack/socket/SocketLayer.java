package netkit.stack.socket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.Accepted;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.Readiness;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.spi.support.Deadline;
import netkit.api.time.EventLoop;

/**
 * The socket layer of one stack: turns token calls into protocol socket calls, keeps tokens per
 * owner, handles the shared options, select, and the sockets of protocols that leave.
 */
public final class SocketLayer {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(SocketLayer.class);

    private final SocketTable table;
    private final ProtocolRegistry protocols;
    private final EventLoop loop;
    private final ReentrantLock lock;
    private final Condition readiness;
    private final List<SocketTable.Entry> listened = new ArrayList<>(); // sockets with a listener; stack lock
    private boolean dispatchQueued; // a readiness dispatch is queued on the loop; stack lock
    private long readinessSignals; // readinessChanged calls (tests); stack lock
    private volatile int somaxconn = 4096;

    /**
     * A socket layer over {@code protocols} holding each owner to its quota in {@code quotas},
     * guarded by the stack lock; select times out on {@code loop}.
     */
    public SocketLayer(int maxSockets, OwnerQuotas quotas, ProtocolRegistry protocols, EventLoop loop,
            ReentrantLock lock) {
        this.table = new SocketTable(maxSockets, quotas);
        this.protocols = protocols;
        this.loop = loop;
        this.lock = lock;
        this.readiness = lock.newCondition();
    }

    /** The token table. */
    public SocketTable table() {
        return table;
    }

    /** The largest listen backlog; larger ones are clamped to it (Linux {@code net.core.somaxconn}). */
    public int somaxconn() {
        return somaxconn;
    }

    /** Changes {@link #somaxconn()}; listeners keep the backlog they were given. */
    public void somaxconn(int backlog) {
        somaxconn = backlog;
    }

    /** The socket API as {@code owner} sees it. */
    public SocketManager forOwner(Owner owner) {
        return new OwnerSockets(this, owner);
    }

    /** The stack lock. */
    ReentrantLock lock() {
        return lock;
    }

    /**
     * Wakes select callers and, when some socket has a readiness listener, queues one dispatch on the
     * loop (several changes before it runs are reported together); stack lock held.
     */
    public void readinessChanged() {
        readinessSignals++;
        readiness.signalAll();
        if (!listened.isEmpty() && !dispatchQueued) {
            dispatchQueued = true;
            loop.execute(this::dispatchReadiness);
        }
    }

    /** How many times readiness was signalled to accept and select waiters (tests); stack lock held. */
    public long readinessSignals() {
        return readinessSignals;
    }

    /**
     * Runs on the loop: with the stack lock held, finds the listened sockets whose readiness gained a
     * bit since it was last looked at; then, with the lock released, calls their listeners, so a
     * listener may make (non-blocking) calls on the stack. A listener that throws is logged.
     */
    private void dispatchReadiness() {
        int n = 0;
        int[] tokens;
        int[] bits;
        netkit.api.ReadinessListener[] calls;
        lock.lock();
        try {
            dispatchQueued = false;
            tokens = new int[listened.size()];
            bits = new int[tokens.length];
            calls = new netkit.api.ReadinessListener[tokens.length];
            for (SocketTable.Entry e : listened) {
                int now = e.socket.readiness();
                int rose = now & ~e.lastReadiness;
                e.lastReadiness = now;
                if (rose != 0) {
                    tokens[n] = e.token;
                    bits[n] = now;
                    calls[n++] = e.listener;
                }
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < n; i++) {
            try {
                calls[i].ready(tokens[i], bits[i]);
            } catch (RuntimeException | LinkageError | AssertionError ex) {
                LOG.log(System.Logger.Level.WARNING, "readiness listener of socket " + tokens[i] + " failed", ex);
            }
        }
    }

    /**
     * The owner's call saw the socket's readiness: bits clear now are forgotten, so the listener hears
     * of them when they rise again (never fewer calls than rises, at worst one spurious). Stack lock
     * held, in the same hold as the call that looked.
     */
    static void observe(SocketTable.Entry e) {
        e.lastReadiness &= e.socket.readiness();
    }

    /** {@link SocketManager#poll}. */
    int poll(Owner owner, int token) throws ErrnoException {
        SocketTable.Entry e = table.get(token, owner);
        lock.lock();
        try {
            int r = e.socket.readiness();
            e.lastReadiness &= r;
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** {@link SocketManager#readinessListener}: null removes. */
    void readinessListener(Owner owner, int token, netkit.api.ReadinessListener l) throws ErrnoException {
        SocketTable.Entry e = table.get(token, owner);
        lock.lock();
        try {
            if (table.get(token, owner) != e) { // closed meanwhile (close removes listeners with this lock)
                throw new ErrnoException(Errno.EBADF, "token " + token);
            }
            if (l == null) {
                if (e.listener != null) {
                    listened.remove(e);
                    e.listener = null;
                }
                return;
            }
            if (e.listener == null) {
                listened.add(e);
            }
            e.listener = l;
            e.lastReadiness = 0; // the current readiness is reported by the next dispatch
            readinessChanged();
        } finally {
            lock.unlock();
        }
    }

    /**
     * For {@link netkit.api.Net#MSG_TRY}: whether the call can do nothing now, so it may answer
     * WOULDBLOCK without asking the protocol. Only a socket in the state the call needs qualifies
     * (connected for send/recv, bound for recvfrom); any other goes to the protocol, which gives its
     * error. A read under an SO_RCVLOWAT above 1 goes to the protocol too: not readable may still
     * mean some bytes, which a non-blocking read returns (Linux). Stack lock held.
     */
    static boolean nothingNow(SocketTable.Entry e, int bit, boolean needsPeer) {
        ProtocolSocket s = e.socket;
        if ((s.readiness() & bit) != 0 || bit == Readiness.READ && e.options.receiveLowWater() > 1) {
            return false;
        }
        return needsPeer ? s.remoteAddress() != null : s.localAddress().port() != 0;
    }

    int socket(Owner owner, int family, int type, int protocol) throws ErrnoException {
        TransportProtocol p;
        ProtocolInstance inst;
        lock.lock();
        try {
            p = protocols.resolve(family, type, protocol);
            inst = protocols.instance(p);
        } finally {
            lock.unlock();
        }
        SocketOptions options = new SocketOptions();
        SocketTable.Entry e = table.reserve(owner, options, type, charge(options));
        try {
            ProtocolSocket s = inst.open(options);
            e.protocolName = p.name();
            e.instance = inst;
            commit(e, s, inst);
            return e.token;
        } catch (ErrnoException | RuntimeException ex) {
            table.cancel(e);
            throw wrap(ex);
        }
    }

    /** The buffer bytes a socket with {@code o} reserves, charged to its owner's quota. */
    private static long charge(SocketOptions o) {
        return (long) o.sendBuffer() + o.receiveBuffer();
    }

    /** Commits a socket unless its protocol left meanwhile. */
    private void commit(SocketTable.Entry e, ProtocolSocket s, ProtocolInstance inst) throws ErrnoException {
        lock.lock();
        try {
            if (!protocols.active().containsValue(inst)) {
                s.close();
                throw new ErrnoException(Errno.EPROTONOSUPPORT, "protocol left while the socket was created");
            }
            e.socket = s;
        } finally {
            lock.unlock();
        }
    }

    void close(Owner owner, int token) throws ErrnoException {
        SocketTable.Entry e = table.get(token, owner);
        if (!table.release(e)) {
            throw new ErrnoException(Errno.EBADF, "token " + token);
        }
        closeQuietly(e);
    }

    private void closeQuietly(SocketTable.Entry e) {
        try {
            e.socket.close();
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "closing socket " + e.token + " failed", ex);
        }
        lock.lock();
        try {
            if (e.listener != null) {
                listened.remove(e);
                e.listener = null;
            }
            readiness.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every socket of {@code owner} (its bundle stopped); returns how many. */
    public int closeAll(Owner owner) {
        int n = 0;
        for (SocketTable.Entry e : table.all()) {
            if (e.owner.equals(owner) && table.release(e)) {
                closeQuietly(e);
                n++;
            }
        }
        return n;
    }

    /**
     * A protocol left: its sockets become detached (ENETDOWN until closed). Stack lock held; the
     * caller then detaches the instance itself, which wakes blocked callers.
     */
    public void detachSocketsOf(ProtocolInstance inst) {
        for (SocketTable.Entry e : table.all()) {
            if (e.instance == inst) {
                ProtocolSocket old = e.socket;
                e.socket = new DetachedSocket(e.protocolName, old.localAddress(), old.remoteAddress());
            }
        }
        readinessChanged();
    }

    /**
     * Accepts a connection. The child's token is reserved, and charged to the owner (a socket and
     * the listener's buffer sizes, which the child inherits), only when a connection is there to take,
     * with the stack lock held from the reservation to the dequeue: a waiting accept holds no table
     * slot, and one over the table or the owner's quota fails (EMFILE, ENOBUFS) before the connection
     * is dequeued, so it stays queued (as on Linux). A blocking accept waits here on the stack's
     * readiness until the listener is readable (a connection queued, or the socket closed or
     * detached), within the listener's SO_RCVTIMEO (EWOULDBLOCK when it passes).
     */
    Accepted accept(Owner owner, int token) throws ErrnoException {
        SocketTable.Entry listener = table.get(token, owner);
        lock.lock();
        try (Deadline deadline = Deadline.ofTimeoutOption(loop, lock, listener.options.receiveTimeoutMillis())) {
            boolean waited = false;
            while (true) {
                if (waited && (listener.socket.readiness() & Readiness.READ) == 0) {
                    awaitReadiness(deadline); // woken for another socket: nothing to accept yet
                    continue;
                }
                boolean blocking = !listener.options.nonBlocking();
                SocketOptions childOptions = new SocketOptions();
                SocketTable.Entry child = table.reserve(owner, childOptions, listener.type, charge(listener.options));
                ProtocolSocket s;
                try {
                    s = acceptWithoutWaiting(listener, childOptions);
                } catch (ErrnoException | RuntimeException ex) {
                    table.cancel(child);
                    if (!blocking || !(ex instanceof ErrnoException ee) || ee.errno() != Errno.EWOULDBLOCK) {
                        throw wrap(ex);
                    }
                    waited = true;
                    awaitReadiness(deadline);
                    continue;
                }
                child.protocolName = listener.protocolName;
                child.instance = listener.instance;
                try {
                    commit(child, s, listener.instance);
                } catch (ErrnoException ex) {
                    table.cancel(child);
                    throw ex;
                }
                table.recharge(child, charge(childOptions), true); // what the child really inherited
                return new Accepted(child.token, s.remoteAddress());
            }
        } finally {
            if (listener.listener != null) {
                observe(listener);
            }
            lock.unlock();
        }
    }

    /** Waits for a readiness change within {@code deadline}; EWOULDBLOCK once it has passed. Lock held. */
    private void awaitReadiness(Deadline deadline) throws ErrnoException {
        if (!deadline.await(readiness)) {
            throw new ErrnoException(Errno.EWOULDBLOCK, "timed out");
        }
    }

    /**
     * The protocol's accept made non-blocking for this call: EWOULDBLOCK when no connection is
     * queued. Stack lock held, so nobody sees the listener's option changed (option calls take the lock).
     */
    private static ProtocolSocket acceptWithoutWaiting(SocketTable.Entry listener, SocketOptions child)
            throws ErrnoException {
        boolean nonBlocking = listener.options.nonBlocking();
        listener.options.nonBlocking(true);
        try {
            return listener.socket.accept(child);
        } finally {
            listener.options.nonBlocking(nonBlocking);
        }
    }

    /**
     * Sets an option. A raised SO_SNDBUF or SO_RCVBUF is charged to the owner first: ENOBUFS beyond
     * its buffer quota, and the option keeps its value. Takes the stack lock (see {@link #accept}).
     */
    void setsockopt(Owner owner, int token, int level, int option, int value) throws ErrnoException {
        SocketTable.Entry e = table.get(token, owner);
        lock.lock();
        try {
            if (SocketOptionCodec.generic(level, option)) {
                if (level == Net.SOL_SOCKET && (option == Net.SO_SNDBUF || option == Net.SO_RCVBUF)) {
                    SocketOptions after = new SocketOptions();
                    after.copyFrom(e.options);
                    SocketOptionCodec.set(after, level, option, value); // validates; EINVAL changes nothing
                    table.recharge(e, charge(after), false);
                }
                SocketOptionCodec.set(e.options, level, option, value);
                try {
                    e.socket.setOption(level, option, value); // tell the protocol; it may refine
                } catch (ErrnoException ex) {
                    if (ex.errno() != Errno.ENOPROTOOPT) {
                        throw ex;
                    }
                }
                return;
            }
            if (level == Net.SOL_SOCKET && (option == Net.SO_ERROR || option == Net.SO_ACCEPTCONN)) {
                throw new ErrnoException(Errno.ENOPROTOOPT, "read-only option " + option);
            }
            e.socket.setOption(level, option, value);
        } finally {
            lock.unlock();
        }
    }

    int getsockopt(Owner owner, int token, int level, int option) throws ErrnoException {
        SocketTable.Entry e = table.get(token, owner);
        lock.lock();
        try {
            if (level == Net.SOL_SOCKET && option == Net.SO_ERROR) {
                return e.socket.takeError();
            }
            if (level == Net.SOL_SOCKET && option == Net.SO_ACCEPTCONN) {
                try {
                    return e.socket.getOption(level, option); // a stream protocol knows its listeners
                } catch (ErrnoException notAListeningProtocol) {
                    return 0;
                }
            }
            if (SocketOptionCodec.generic(level, option)) {
                return SocketOptionCodec.get(e.options, e.type, level, option);
            }
            return e.socket.getOption(level, option);
        } finally {
            lock.unlock();
        }
    }

    int select(Owner owner, TokenSet read, TokenSet write, TokenSet except, Duration timeout)
            throws ErrnoException {
        List<SocketTable.Entry> r = entries(owner, read);
        List<SocketTable.Entry> w = entries(owner, write);
        List<SocketTable.Entry> x = entries(owner, except);
        lock.lock();
        try (Deadline deadline = timeout == null ? Deadline.never(loop, lock)
                : Deadline.after(loop, lock, TimeUnit.NANOSECONDS.convert(timeout))) { // saturates, never throws
            while (true) {
                int n = ready(r, Readiness.READ, read) + ready(w, Readiness.WRITE, write)
                        + ready(x, Readiness.EXCEPTION, except);
                if (n > 0 || deadline.expired()) {
                    return n;
                }
                restore(r, read);
                restore(w, write);
                restore(x, except);
                deadline.await(readiness);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<SocketTable.Entry> entries(Owner owner, TokenSet set) throws ErrnoException {
        List<SocketTable.Entry> out = new ArrayList<>();
        if (set != null) {
            for (int t : set.tokens()) {
                out.add(table.get(t, owner));
            }
        }
        return out;
    }

    /** Rewrites {@code set} to the ready entries; returns how many. Stack lock held. */
    private static int ready(List<SocketTable.Entry> entries, int bit, TokenSet set) {
        if (set == null) {
            return 0;
        }
        set.zero();
        int n = 0;
        for (SocketTable.Entry e : entries) {
            if ((e.socket.readiness() & bit) != 0) {
                set.set(e.token);
                n++;
            }
        }
        return n;
    }

    private static void restore(List<SocketTable.Entry> entries, TokenSet set) {
        if (set != null) {
            for (SocketTable.Entry e : entries) {
                set.set(e.token);
            }
        }
    }

    /** Every socket for netstat, then the orphans the protocols still run (token -1). */
    public List<SocketStatus> statuses() {
        List<SocketStatus> out = new ArrayList<>();
        lock.lock();
        try {
            for (SocketTable.Entry e : table.all()) {
                out.add(e.socket.status(e.token, e.owner.name()));
            }
            for (ProtocolInstance p : protocols.active().values()) {
                out.addAll(p.orphans());
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    static ErrnoException wrap(Exception ex) {
        if (ex instanceof ErrnoException ee) {
            return ee;
        }
        LOG.log(System.Logger.Level.ERROR, "protocol failure", ex);
        ErrnoException ee = new ErrnoException(Errno.EIO, "internal error: " + ex);
        ee.initCause(ex);
        return ee;
    }
}
