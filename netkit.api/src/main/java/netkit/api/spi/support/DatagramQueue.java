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
 * The receive side of a datagram socket: a queue bounded by SO_RCVBUF (bytes of payload; one
 * datagram is always accepted into an empty queue), and a blocking receive honouring
 * SO_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO (on the loop's clock, see {@link Deadline}), MSG_PEEK and
 * truncation (MSG_TRUNC). Guarded by the stack lock.
 */
public final class DatagramQueue {
    /** What a receive must check before it takes data or waits. */
    @FunctionalInterface
    public interface StateCheck {
        /** Throws when the socket cannot receive (closed, detached, pending error). */
        void check() throws ErrnoException;
    }

    private record Datagram(SockAddr from, int ttl, byte[] data) {
    }

    private final EventLoop loop;
    private final ReentrantLock lock;
    private final Condition changed;
    private final SocketOptions options;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int bytes;

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
        if (!queue.isEmpty() && bytes + len > options.receiveBuffer()) {
            return false;
        }
        queue.add(new Datagram(from, ttl, java.util.Arrays.copyOfRange(data, off, off + len)));
        bytes += len;
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

    /** Drops everything queued. */
    public void clear() {
        queue.clear();
        bytes = 0;
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
        }
        int n = Math.min(len, d.data().length);
        System.arraycopy(d.data(), 0, buf, off, n);
        if (info != null) {
            info.set(d.from(), n < d.data().length ? Net.MSG_TRUNC : 0, d.data().length, d.ttl());
        }
        return n;
    }
}
