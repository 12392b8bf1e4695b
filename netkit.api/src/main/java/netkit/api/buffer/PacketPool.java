package netkit.api.buffer;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of same-sized packet buffers. Requests that do not fit the pool's size are served
 * by fresh allocations; at most {@code maxPooled} idle buffers are kept. Each stack owns one; a
 * released buffer goes back to the pool it came from. Thread-safe.
 */
public final class PacketPool {
    /** Idle buffers a pool made by {@link #forEthernet()} keeps: system property {@code netkit.pool.max}. */
    private static final int ETHERNET_MAX_POOLED = Integer.getInteger("netkit.pool.max", 4096);

    private final int headroom;
    private final int payloadSize;
    private final int maxPooled;
    private final ConcurrentLinkedQueue<PacketBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();

    /** A pool of buffers with {@code headroom} bytes of room and {@code payloadSize} bytes of space. */
    public PacketPool(int headroom, int payloadSize, int maxPooled) {
        this.headroom = headroom;
        this.payloadSize = payloadSize;
        this.maxPooled = maxPooled;
    }

    /**
     * A pool sized for Ethernet-MTU frames: 2048 bytes of space after the default header room, at
     * most 4096 idle buffers (system property {@code netkit.pool.max}).
     */
    public static PacketPool forEthernet() {
        return new PacketPool(PacketBuffer.DEFAULT_HEADROOM, 2048, ETHERNET_MAX_POOLED);
    }

    /** A buffer with the pool's header room and space for at least {@code payload} bytes. */
    public PacketBuffer acquire(int payload) {
        if (payload > payloadSize) {
            allocations.incrementAndGet();
            return PacketBuffer.allocate(headroom, payload);
        }
        outstanding.incrementAndGet();
        PacketBuffer b = free.poll();
        if (b != null) {
            idle.decrementAndGet();
            b.reset(headroom);
            return b;
        }
        allocations.incrementAndGet();
        return new PacketBuffer(this, headroom + payloadSize, headroom);
    }

    void recycle(PacketBuffer b) {
        if (b.capacity() == headroom + payloadSize) {
            outstanding.decrementAndGet();
        }
        if (b.capacity() == headroom + payloadSize && idle.incrementAndGet() <= maxPooled) {
            free.offer(b);
        } else if (b.capacity() == headroom + payloadSize) {
            idle.decrementAndGet();
        }
    }

    /** Number of idle buffers held. */
    public int idle() {
        return idle.get();
    }

    /**
     * Pool-sized buffers handed out and not yet released: a count that only grows while the stack is
     * idle means a buffer leaks (larger buffers, allocated apart, are not counted).
     */
    public int outstanding() {
        return outstanding.get();
    }

    /** Number of arrays allocated so far (pool misses). */
    public long allocations() {
        return allocations.get();
    }
}
