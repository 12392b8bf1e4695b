package netkit.api.spi.support;

import netkit.api.spi.protocol.SocketOptions;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.time.EventLoop;

/**
 * The receive side of a datagram socket: a queue bounded by SO_RCVBUF, and a blocking receive honouring
 * SO_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO (on the loop's clock, see {@link Deadline}), MSG_PEEK and
 * truncation (MSG_TRUNC). Guarded by the stack lock.
 *
 * <p>Each queued datagram is charged the memory it holds, its payload plus
 * {@link #DATAGRAM_OVERHEAD}, as Linux charges an skb's {@code truesize} (payload plus
 * {@code struct sk_buff} and {@code skb_shared_info}) to {@code sk_rmem_alloc} against
 * {@code sk_rcvbuf} (net/ipv4/udp.c {@code __udp_enqueue_schedule_skb}); so zero-length datagrams
 * fill the buffer too. A datagram is dropped when the charge would exceed SO_RCVBUF, except that
 * an empty queue always takes one.
 */
public final class DatagramQueue {
    /** What a receive must check before it takes data or waits. */
    @FunctionalInterface
    public interface StateCheck {
        /** Throws when the socket cannot receive (closed, detached, pending error). */
        void check() throws ErrnoException;
    }

    private record Datagram(SockAddr from, int ttl, byte[] options, byte[] data) {
    }

    /**
     * Bytes charged per datagram on top of its payload: what a queued datagram holds on a 64-bit
     * JVM with compressed pointers, its record (24), payload array header (16, plus up to 7 of
     * padding), sender address (24) and deque slot (up to 8), rounded up. Linux's equivalent is
     * the skb overhead in {@code SKB_TRUESIZE()} (576 bytes on x86-64, include/linux/skbuff.h).
     */
    public static final int DATAGRAM_OVERHEAD = 80;

    private final EventLoop loop;
    private final ReentrantLock lock;
    private final Condition changed;
    private final SocketOptions options;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int bytes;
    private long charged;

    /**
     * A queue guarded by {@code lock}, bounded by {@code options}' receive buffer, timing receives on
     * {@code loop}.
     */
    public DatagramQueue(EventLoop loop, ReentrantLock lock, SocketOptions options) {
        this.loop = loop;
        this.lock = lock;
        this.changed = lock.newCondition();
        this.options = options;
    }

    /**
     * Queues a copy of {@code data[off..off+len)} from {@code from}, received with IP TTL
     * {@code ttl}; false (dropped) when full.
     */
    public boolean offer(SockAddr from, int ttl, byte[] data, int off, int len) {
        return offer(from, ttl, null, data, off, len);
    }

    /**
     * The same for a datagram that arrived with IP options {@code ipOptions} (kept as given, shown
     * by {@link netkit.api.RecvInfo#ipOptions()}; null when none).
     */
    public boolean offer(SockAddr from, int ttl, byte[] ipOptions, byte[] data, int off, int len) {
        if (!queue.isEmpty() && charged + cost(len) > options.receiveBuffer()) {
            return false;
        }
        queue.add(new Datagram(from, ttl, ipOptions, java.util.Arrays.copyOfRange(data, off, off + len)));
        bytes += len;
        charged += cost(len);
        changed.signalAll();
        return true;
    }

    /** Wakes blocked receivers (state changed: closed, error, detached). Lock held. */
    public void wake() {
        changed.signalAll();
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Payload bytes queued. */
    public int bytes() {
        return bytes;
    }

    /** Bytes charged against SO_RCVBUF: payload plus {@link #DATAGRAM_OVERHEAD} per datagram. */
    public long charged() {
        return charged;
    }

    private static long cost(int len) {
        return (long) len + DATAGRAM_OVERHEAD;
    }

    /** Drops everything queued. */
    public void clear() {
        queue.clear();
        bytes = 0;
        charged = 0;
    }

    /**
     * Takes (or with MSG_PEEK, copies) the next datagram into {@code buf}; blocks unless told not
     * to. Takes the stack lock itself.
     *
     * @return bytes copied (the rest of a longer datagram is discarded, MSG_TRUNC set in info)
     * @throws ErrnoException what {@code state} throws; EWOULDBLOCK when non-blocking or after
     *                        SO_RCVTIMEO; EINTR when interrupted
     */
    public int receive(byte[] buf, int off, int len, int flags, RecvInfo info, StateCheck state)
            throws ErrnoException {
        lock.lock();
        try (Deadline deadline = Deadline.ofTimeoutOption(loop, lock, options.receiveTimeoutMillis())) {
            while (true) {
                state.check();
                Datagram d = queue.peek();
                if (d != null) {
                    return take(d, buf, off, len, flags, info);
                }
                if (options.nonBlocking() || (flags & Net.MSG_DONTWAIT) != 0) {
                    throw new ErrnoException(Errno.EWOULDBLOCK);
                }
                if (!deadline.await(changed)) {
                    throw new ErrnoException(Errno.EWOULDBLOCK, "SO_RCVTIMEO expired");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Copies {@code d} into {@code buf} and dequeues it unless peeking. Lock held. */
    private int take(Datagram d, byte[] buf, int off, int len, int flags, RecvInfo info) {
        if ((flags & Net.MSG_PEEK) == 0) {
            queue.poll();
            bytes -= d.data().length;
            charged -= cost(d.data().length);
        }
        int n = Math.min(len, d.data().length);
        System.arraycopy(d.data(), 0, buf, off, n);
        if (info != null) {
            info.set(d.from(), n < d.data().length ? Net.MSG_TRUNC : 0, d.data().length, d.ttl(), d.options());
        }
        return n;
    }
}
