package netkit.stack;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkReceiver;
import netkit.stack.iface.NetInterface;

/**
 * Frames received by one link, waiting for the stack's loop. Link threads only enqueue; one drain
 * task at a time processes a batch under the stack lock, so frames cost no task allocation and the
 * lock is taken once per batch. Bounded: beyond the limit frames are dropped and counted.
 */
final class RxQueue implements LinkReceiver {
    private static final int BATCH = 64;

    private final Stack stack;
    private final NetInterface iface;
    private final ConcurrentLinkedQueue<PacketBuffer> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Link link;
    private volatile boolean closed;

    RxQueue(Stack stack, NetInterface iface) {
        this.stack = stack;
        this.iface = iface;
    }

    void link(Link l) {
        this.link = l;
    }

    @Override
    public void receive(PacketBuffer frame) {
        if (closed || size.get() >= stack.settings().rxQueueFrames()) {
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
            stack.loop().execute(drain);
        }
    }

    private void drain() {
        stack.lock().lock();
        try {
            for (int i = 0; i < BATCH; i++) {
                PacketBuffer f = frames.poll();
                if (f == null) {
                    break;
                }
                size.decrementAndGet();
                stack.frameInput(iface, link, f); // frames already queued stay valid after a swap
            }
        } finally {
            stack.lock().unlock();
        }
        scheduled.set(false);
        if (!frames.isEmpty() && scheduled.compareAndSet(false, true)) {
            stack.loop().execute(drain);
        }
    }

    /** Stops taking frames; those already queued are still processed. */
    void close() {
        closed = true;
    }
}
