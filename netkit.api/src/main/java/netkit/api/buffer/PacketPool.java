package netkit.api.buffer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of packet buffers in size classes. The base class holds buffers of the pool's
 * payload size (at most {@code maxPooled} idle); a pool may also keep larger classes, 1.5 or 4/3
 * times the one before (2K, 3K, 4K, 6K, 8K, ...) up to 64 KiB of payload (a whole IPv4 datagram), whose
 * idle buffers together hold at most a byte budget. Requests larger than the largest class are served by fresh allocations and
 * never pooled. Each stack owns one; a released buffer goes back to the class it came from, unless it
 * grew (then it is dropped). Thread-safe. Idle buffers wait in an array per class, taken last in,
 * first out (the most recently used, cache-warm buffer goes out first), so a buffer going back and
 * out again allocates nothing (a {@code ConcurrentLinkedQueue} cost a node per release).
 */
public final class PacketPool {
    /** Idle buffers a pool made by {@link #forEthernet()} keeps: system property {@code netkit.pool.max}. */
    private static final int ETHERNET_MAX_POOLED = Integer.getInteger("netkit.pool.max", 4096);
    /**
     * Bytes the idle large buffers of a pool made by {@link #forEthernet()} may hold: system property
     * {@code netkit.pool.largeIdleKiB} (8 MiB: 128 buffers of 64 KiB).
     */
    private static final long ETHERNET_LARGE_IDLE_BYTES = Long.getLong("netkit.pool.largeIdleKiB", 8192) * 1024;
    /** Payload of the largest class: any IPv4 datagram (65,535 bytes) fits. */
    public static final int MAX_POOLED_PAYLOAD = 65536;

    /**
     * Buffers of one size; the base class (index 0) is bounded by count, the others by bytes. The idle
     * ones are a stack in an array that grows (doubling) as needed and is kept: guarded by the class's
     * monitor, held for a few instructions.
     */
    private static final class SizeClass {
        final int payload;
        private PacketBuffer[] free = new PacketBuffer[16];
        private int idle;

        SizeClass(int payload) {
            this.payload = payload;
        }

        /** The most recently pushed idle buffer, or null. */
        synchronized PacketBuffer pop() {
            if (idle == 0) {
                return null;
            }
            PacketBuffer b = free[--idle];
            free[idle] = null;
            return b;
        }

        /** Adds {@code b} unless {@code max} are idle already. */
        synchronized boolean push(PacketBuffer b, int max) {
            if (idle >= max) {
                return false;
            }
            if (idle == free.length) {
                free = Arrays.copyOf(free, idle * 2);
            }
            free[idle++] = b;
            return true;
        }

        synchronized int idle() {
            return idle;
        }
    }

    private final int headroom;
    private final int maxPooled;
    private final long largeIdleBudget;
    private final SizeClass[] classes;
    private final AtomicLong largeIdleBytes = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();

    /**
     * A pool of buffers with {@code headroom} bytes of room and {@code payloadSize} bytes of space, at
     * most {@code maxPooled} of them idle; larger requests are not pooled.
     */
    public PacketPool(int headroom, int payloadSize, int maxPooled) {
        this(headroom, payloadSize, maxPooled, 0);
    }

    /**
     * A pool as {@link #PacketPool(int, int, int)} that also pools larger buffers, in classes 1.5 or
     * 4/3 times the one before up to {@link #MAX_POOLED_PAYLOAD}, whose idle buffers hold at most
     * {@code largeIdleBytes} bytes (0: no large classes).
     */
    public PacketPool(int headroom, int payloadSize, int maxPooled, long largeIdleBytes) {
        if (headroom < 0 || payloadSize <= 0 || maxPooled < 0 || largeIdleBytes < 0) {
            throw new IllegalArgumentException("negative pool size");
        }
        this.headroom = headroom;
        this.maxPooled = maxPooled;
        this.largeIdleBudget = largeIdleBytes;
        java.util.List<SizeClass> list = new java.util.ArrayList<>();
        list.add(new SizeClass(payloadSize));
        for (int p = payloadSize; largeIdleBytes > 0 && p < MAX_POOLED_PAYLOAD;) {
            // steps of 1.5 and 4/3 (2K, 3K, 4K, 6K, 8K, 12K, ... 64K): at most a third of a buffer unused
            long next = Integer.bitCount(p) == 1 ? p + p / 2L : p * 4L / 3;
            p = (int) Math.min(MAX_POOLED_PAYLOAD, next);
            list.add(new SizeClass(p));
        }
        classes = list.toArray(new SizeClass[0]);
    }

    /**
     * A pool sized for Ethernet-MTU frames: 2048 bytes of space after the default header room, at
     * most 4096 idle buffers (system property {@code netkit.pool.max}); larger buffers up to 64 KiB
     * (loopback and {@code pair} links) pooled within 8 MiB of idle buffers (system property
     * {@code netkit.pool.largeIdleKiB}).
     */
    public static PacketPool forEthernet() {
        return new PacketPool(PacketBuffer.DEFAULT_HEADROOM, 2048, ETHERNET_MAX_POOLED, ETHERNET_LARGE_IDLE_BYTES);
    }

    /** A buffer with the pool's header room and space for at least {@code payload} bytes. */
    public PacketBuffer acquire(int payload) {
        int c = classOf(payload);
        if (c < 0) {
            allocations.incrementAndGet();
            return PacketBuffer.allocate(headroom, payload);
        }
        SizeClass sc = classes[c];
        outstanding.incrementAndGet();
        PacketBuffer b = sc.pop();
        if (b != null) {
            if (c > 0) {
                largeIdleBytes.addAndGet(-b.capacity());
            }
            b.reset(headroom);
            return b;
        }
        allocations.incrementAndGet();
        return new PacketBuffer(this, c, headroom + sc.payload, headroom);
    }

    private int classOf(int payload) {
        for (int i = 0; i < classes.length; i++) {
            if (payload <= classes[i].payload) {
                return i;
            }
        }
        return -1;
    }

    void recycle(PacketBuffer b, int sizeClass) {
        outstanding.decrementAndGet();
        SizeClass sc = classes[sizeClass];
        if (b.capacity() != headroom + sc.payload) {
            return; // it grew (prepend or append past its room): not this class's size any more
        }
        if (sizeClass == 0) {
            sc.push(b, maxPooled);
            return;
        }
        long cap = b.capacity();
        if (largeIdleBytes.addAndGet(cap) > largeIdleBudget || !sc.push(b, Integer.MAX_VALUE)) {
            largeIdleBytes.addAndGet(-cap);
        }
    }

    /** Number of idle buffers held, all classes. */
    public int idle() {
        int n = 0;
        for (SizeClass sc : classes) {
            n += sc.idle();
        }
        return n;
    }

    /** Bytes held by idle buffers of the large classes (at most the pool's large budget). */
    public long largeIdleBytes() {
        return largeIdleBytes.get();
    }

    /**
     * Pooled buffers (of any class) handed out and not yet released: a count that only grows while
     * the stack is idle means a buffer leaks (buffers larger than the largest class, allocated apart,
     * are not counted).
     */
    public int outstanding() {
        return outstanding.get();
    }

    /** Number of arrays allocated so far (pool misses). */
    public long allocations() {
        return allocations.get();
    }
}
