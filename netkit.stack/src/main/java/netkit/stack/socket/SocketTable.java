package netkit.stack.socket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.OwnerUsage;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;

/**
 * The token table and what each owner holds in it. Tokens are small non-negative ints taken from a
 * FIFO of free tokens over a space at least twice the table bound. A closed token goes to the back
 * and waits behind every other free token: it is not handed out again until at least
 * {@code maxSockets} other sockets have been created, so a stale token gets EBADF instead of
 * somebody else's socket. A reservation that never became a socket (a failed {@code socket} or
 * {@code accept}) puts its token back at the front, so failed calls do not move closed tokens
 * forward.
 *
 * <p>Each owner is charged its sockets and the buffers they reserve (SO_SNDBUF + SO_RCVBUF) against
 * its {@link SocketQuota}. Thread-safe.
 */
public final class SocketTable {
    /** One open (or reserved) socket. */
    public static final class Entry {
        final int token;
        final Owner owner;
        final SocketOptions options;
        final int type;
        volatile String protocolName;
        volatile ProtocolInstance instance;
        volatile ProtocolSocket socket;
        private long charge; // buffer bytes charged to the owner; guarded by the table
        volatile netkit.api.ReadinessListener listener; // written with the stack lock held
        int lastReadiness; // what the listener was told or the owner last saw; stack lock

        Entry(int token, Owner owner, SocketOptions options, int type, long charge) {
            this.token = token;
            this.owner = owner;
            this.options = options;
            this.type = type;
            this.charge = charge;
        }

        /** The token. */
        public int token() {
            return token;
        }

        /** The owner. */
        public Owner owner() {
            return owner;
        }

        /** The protocol socket (a detached placeholder after the protocol left). */
        public ProtocolSocket socket() {
            return socket;
        }
    }

    /** What one owner holds. */
    private static final class Usage {
        int sockets;
        long bufferBytes;
    }

    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final Map<Owner, Usage> usage = new HashMap<>();
    private final OwnerQuotas quotas;
    private Entry[] entries;
    private int open;
    private int maxSockets;

    /** A table for at most {@code maxSockets} open sockets, each owner held to its quota in {@code quotas}. */
    public SocketTable(int maxSockets, OwnerQuotas quotas) {
        this.quotas = quotas;
        entries = new Entry[0];
        resize(maxSockets);
    }

    /** Changes the bound (existing sockets stay, even above a lowered bound). */
    public synchronized void resize(int newMax) {
        if (newMax < 1) {
            throw new IllegalArgumentException("maxSockets must be positive");
        }
        maxSockets = newMax;
        int space = Math.max(2 * newMax, newMax + 1024);
        if (space > entries.length) {
            int old = entries.length;
            entries = java.util.Arrays.copyOf(entries, space);
            for (int t = old; t < space; t++) {
                free.add(t);
            }
        }
    }

    /** The bound. */
    public synchronized int maxSockets() {
        return maxSockets;
    }

    /** The number of tokens (open and free): at least twice the bound. */
    public synchronized int space() {
        return entries.length;
    }

    /**
     * Reserves a token for {@code owner}, charging it a socket and {@code charge} bytes of buffers.
     *
     * @throws ErrnoException EMFILE when the table or the owner's socket quota is full, ENOBUFS when
     *                        the charge does not fit the owner's buffer quota; nothing is reserved then
     */
    synchronized Entry reserve(Owner owner, SocketOptions options, int type, long charge) throws ErrnoException {
        if (open >= maxSockets) {
            throw new ErrnoException(Errno.EMFILE, open + " sockets open, the limit is " + maxSockets);
        }
        SocketQuota quota = quotas.of(owner);
        Usage u = usage.computeIfAbsent(owner, o -> new Usage());
        if (u.sockets >= quota.maxSockets()) {
            forgetIfIdle(owner, u);
            throw new ErrnoException(Errno.EMFILE, owner.name() + " holds " + u.sockets + " sockets, its quota is "
                    + quota.maxSockets());
        }
        if (u.bufferBytes + charge > quota.maxBufferBytes()) {
            forgetIfIdle(owner, u);
            throw new ErrnoException(Errno.ENOBUFS, owner.name() + " reserves " + u.bufferBytes
                    + " bytes of buffers, " + charge + " more exceed its quota of " + quota.maxBufferBytes());
        }
        int token = free.poll();
        Entry e = new Entry(token, owner, options, type, charge);
        entries[token] = e;
        open++;
        u.sockets++;
        u.bufferBytes += charge;
        return e;
    }

    /**
     * Changes the buffer bytes charged for {@code e}; a raise beyond the owner's buffer quota is
     * refused with ENOBUFS unless {@code force} (a lowering always succeeds).
     */
    synchronized void recharge(Entry e, long charge, boolean force) throws ErrnoException {
        if (entries[e.token] != e) {
            throw new ErrnoException(Errno.EBADF, "token " + e.token);
        }
        Usage u = usage.get(e.owner);
        long after = u.bufferBytes - e.charge + charge;
        long quota = quotas.of(e.owner).maxBufferBytes();
        if (!force && charge > e.charge && after > quota) {
            throw new ErrnoException(Errno.ENOBUFS, e.owner.name() + " reserves " + u.bufferBytes
                    + " bytes of buffers; raising this socket's to " + charge + " exceeds its quota of " + quota);
        }
        u.bufferBytes = after;
        e.charge = charge;
    }

    /** Undoes a reservation that never became a socket: the token goes back to the front of the free queue. */
    synchronized void cancel(Entry e) {
        if (remove(e)) {
            free.addFirst(e.token);
        }
    }

    /** Frees a token (it goes to the back of the free queue). Returns false if it was not in use. */
    synchronized boolean release(Entry e) {
        if (!remove(e)) {
            return false;
        }
        free.add(e.token);
        return true;
    }

    private boolean remove(Entry e) {
        if (e.token < 0 || e.token >= entries.length || entries[e.token] != e) {
            return false;
        }
        entries[e.token] = null;
        open--;
        Usage u = usage.get(e.owner);
        u.sockets--;
        u.bufferBytes -= e.charge;
        forgetIfIdle(e.owner, u);
        return true;
    }

    private void forgetIfIdle(Owner owner, Usage u) {
        if (u.sockets == 0) {
            usage.remove(owner);
        }
    }

    /** The entry of {@code token} if {@code owner} holds it and it is committed; else EBADF. */
    public synchronized Entry get(int token, Owner owner) throws ErrnoException {
        Entry e = token >= 0 && token < entries.length ? entries[token] : null;
        if (e == null || !e.owner.equals(owner) || e.socket == null) {
            throw new ErrnoException(Errno.EBADF, "token " + token);
        }
        return e;
    }

    /** Every committed entry, in token order. */
    public synchronized List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e != null && e.socket != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Number of open sockets. */
    public synchronized int open() {
        return open;
    }

    /** What every owner holding sockets uses of its quota, by owner name. */
    public synchronized List<OwnerUsage> usage() {
        List<OwnerUsage> out = new ArrayList<>();
        for (Map.Entry<Owner, Usage> e : usage.entrySet()) {
            SocketQuota q = quotas.of(e.getKey());
            out.add(new OwnerUsage(e.getKey().name(), e.getValue().sockets, q.maxSockets(), e.getValue().bufferBytes,
                    q.maxBufferBytes()));
        }
        out.sort(Comparator.comparing(OwnerUsage::owner));
        return out;
    }
}
