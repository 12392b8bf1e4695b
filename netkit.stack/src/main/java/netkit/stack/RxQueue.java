package netkit.stack;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * lock is taken once per batch. Bounded: beyond the limit frames are dropped and counted.
 */
final class RxQueue implements LinkReceiver {
    private static final int BATCH = 64;

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
    private final ConcurrentLinkedQueue<PacketBuffer> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Link link;
    private volatile boolean closed;

    /**
     * A queue for {@code iface} draining into {@code handler} on {@code loop} under {@code lock},
     * holding at most {@code capacity} frames (read on every frame: settings may change).
     */
    RxQueue(NetInterface iface, FrameHandler handler, EventLoop loop, ReentrantLock lock, IntSupplier capacity) {
        this.iface = iface;
        this.handler = handler;
        this.loop = loop;
        this.lock = lock;
        this.capacity = capacity;
    }

    void link(Link l) {
        this.link = l;
    }

    /** A frame from the link's thread. Takes no lock. */
    @Override
    public void receive(PacketBuffer frame) {
        if (closed || size.get() >= capacity.getAsInt()) {
            iface.countRxDrop();
            frame.release();
            return;
        }
        Link l = link;
        if (l == null || l.kind() != Link.Kind.LOOPBACK) {
            iface.tap(frame, false); // on loopback the frame was already seen going out
        }
        size.incrementAndGet();
        frames.add(frame);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    /** Takes the stack lock for one batch. */
    private void drain() {
        lock.lock();
        try {
            for (int i = 0; i < BATCH; i++) {
                PacketBuffer f = frames.poll();
                if (f == null) {
                    break;
                }
                size.decrementAndGet();
                handler.input(iface, link, f); // frames already queued stay valid after a swap
            }
        } finally {
            lock.unlock();
        }
        scheduled.set(false);
        if (!frames.isEmpty() && scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    /** Stops taking frames; those already queued are still processed. */
    void close() {
        closed = true;
    }
}
