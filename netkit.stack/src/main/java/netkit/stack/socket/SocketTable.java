package netkit.stack.socket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;

/**
 * The token table. Tokens are small non-negative ints taken from a FIFO of free tokens over a
 * space at least twice the table bound, so a closed token waits behind every other free token:
 * it is not handed out again until at least {@code maxSockets} other sockets have been created,
 * and a stale token gets EBADF instead of somebody else's socket. Thread-safe.
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

        Entry(int token, Owner owner, SocketOptions options, int type) {
            this.token = token;
            this.owner = owner;
            this.options = options;
            this.type = type;
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

    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private Entry[] entries;
    private int open;
    private int maxSockets;

    /** A table for at most {@code maxSockets} open sockets. */
    public SocketTable(int maxSockets) {
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

    /** Reserves a token for {@code owner}; EMFILE when the table is full. */
    synchronized Entry reserve(Owner owner, SocketOptions options, int type) throws ErrnoException {
        if (open >= maxSockets) {
            throw new ErrnoException(Errno.EMFILE, open + " sockets open, the limit is " + maxSockets);
        }
        int token = free.poll();
        Entry e = new Entry(token, owner, options, type);
        entries[token] = e;
        open++;
        return e;
    }

    /** Frees a token (it goes to the back of the free queue). Returns false if it was not in use. */
    synchronized boolean release(Entry e) {
        if (e.token < 0 || e.token >= entries.length || entries[e.token] != e) {
            return false;
        }
        entries[e.token] = null;
        free.add(e.token);
        open--;
        return true;
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
}
