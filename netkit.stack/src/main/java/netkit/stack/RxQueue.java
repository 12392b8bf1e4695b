package netkit.stack;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.EventLoop;
import netkit.stack.iface.NetInterface;

/**
 * Frames received by one link, waiting for the stack's loop. Link threads only enqueue; one drain
 * task at a time processes a batch under the stack lock, so frames cost no task allocation and the
 * lock is taken once per batch. Bounded: beyond the limit frames are dropped and counted. The frames
 * wait in a {@link FrameRing} sized for the limit when the queue is made, so queueing allocates
 * nothing; a limit raised later takes effect up to that size (links opened afterwards get the new one).
 *
 * <p>Faults are contained per frame: a {@link RuntimeException} (or {@link StackOverflowError}: the
 * recursion has unwound, the lock is intact) thrown while a frame is processed costs that frame only;
 * it is counted, logged once per exception class, and draining goes on. Any other {@link Error}
 * (OutOfMemoryError, LinkageError, ...) leaves the stack's state unknown: the queue closes, its
 * frames are dropped, the stack is {@linkplain Faults#fatal failed} and the error reaches the loop.
 */
final class RxQueue implements LinkReceiver {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(RxQueue.class);
    private static final int BATCH = 64;

    /** Where the faults of frame processing are reported. */
    interface Faults {
        /** A frame's processing threw {@code t} and was abandoned (counted as RxFaults). */
        void contained(Throwable t);

        /** Processing threw an unrecoverable {@code e}: the stack must stop. Caller holds the stack lock. */
        void fatal(Error e);
    }

    /** Where drained frames go. */
    @FunctionalInterface
    interface FrameHandler {
        /** A frame received by {@code link} of {@code iface}. Caller holds the stack lock. */
        void input(NetInterface iface, Link link, PacketBuffer frame);
    }

    private final NetInterface iface;
    private final FrameHandler handler;
    private final EventLoop loop;
    private final ReentrantLock lock;
    private final IntSupplier capacity;
    private final Faults faults;
    private final Set<Class<?>> logged = new HashSet<>(); // fault classes already logged; under the lock
    private final FrameRing<PacketBuffer> frames;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Link link;
    private volatile boolean closed;
    private volatile boolean stopped;

    /**
     * A queue for {@code iface} draining into {@code handler} on {@code loop} under {@code lock},
     * holding at most {@code capacity} frames (read on every frame: settings may change), reporting
     * faults to {@code faults}.
     */
    RxQueue(NetInterface iface, FrameHandler handler, EventLoop loop, ReentrantLock lock, IntSupplier capacity,
            Faults faults) {
        this.iface = iface;
        this.handler = handler;
        this.loop = loop;
        this.lock = lock;
        this.capacity = capacity;
        this.faults = faults;
        this.frames = new FrameRing<>(Math.max(1, capacity.getAsInt()));
    }

    void link(Link l) {
        this.link = l;
    }

    /** A frame from the link's thread. Takes no lock. */
    @Override
    public void receive(PacketBuffer frame) {
        int limit = capacity.getAsInt();
        if (closed || stopped || frames.size() >= limit) {
            iface.countRxDrop();
            frame.release();
            return;
        }
        Link l = link;
        if (l == null || l.kind() != Link.Kind.LOOPBACK) {
            iface.tap(frame, false); // on loopback the frame was already seen going out
        }
        if (!frames.offer(frame, limit)) {
            iface.countRxDrop(); // filled up since the check above
            frame.release();
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    /** The link discarded a frame itself (a bad encapsulation): an rx error of the interface. Takes no lock. */
    @Override
    public void discarded() {
        iface.countRxError();
    }

    /** Takes the stack lock for one batch. */
    private void drain() {
        lock.lock();
        try {
            for (int i = 0; i < BATCH && !stopped; i++) {
                PacketBuffer f = frames.poll();
                if (f == null) {
                    break;
                }
                try {
                    handler.input(iface, link, f); // frames already queued stay valid after a swap
                } catch (RuntimeException | StackOverflowError e) {
                    // The frame is not released: the layer that threw may have passed it on or released
                    // it, and a second release could hand its array out twice. The GC takes it.
                    contain(e);
                }
            }
        } catch (Error e) {
            failed(e);
            throw e;
        } finally {
            lock.unlock();
            scheduled.set(false);
        }
        if (!frames.isEmpty() && scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void contain(Throwable e) {
        faults.contained(e);
        if (logged.add(e.getClass())) {
            LOG.log(System.Logger.Level.WARNING, "frame received on " + iface.name()
                    + " dropped: processing threw (logged once per exception class)", e);
        }
    }

    /** An unrecoverable error: fail the stack, which {@linkplain #stop stops} every queue. Lock held. */
    private void failed(Error e) {
        stop();
        LOG.log(System.Logger.Level.ERROR, "receive path of " + iface.name() + " failed; stack stops", e);
        faults.fatal(e);
    }

    /**
     * The stack failed: takes no more frames and drops (counts, releases) those queued. Caller holds
     * the stack lock.
     */
    void stop() {
        stopped = true;
        for (PacketBuffer f; (f = frames.poll()) != null;) {
            iface.countRxDrop();
            f.release();
        }
    }

    /** Stops taking frames; those already queued are still processed. */
    void close() {
        closed = true;
    }
}
