package netkit.api.buffer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded pool of packet buffers in size classes. The base class holds buffers of the pool's
 * payload size (at most {@code maxPooled} idle); a pool may also keep larger classes, 1.5 or 4/3
 * times the one before (2K, 3K, 4K, 6K, 8K, ...) up to 64 KiB of payload (a whole IPv4 datagram), whose
 * idle buffers together hold at most a byte budget. Requests larger than the largest class are served by fresh allocations and
 * never pooled. Each stack owns one; a released buffer goes back to the class it came from, unless it
 * grew (then it is dropped). Thread-safe and lock-free. Idle buffers wait in a bounded ring per
 * class, so a buffer going back and out again allocates nothing (a {@code ConcurrentLinkedQueue}
 * cost a node per release).
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
     * ones wait in a bounded lock-free ring (Vyukov's MPMC queue: a sequence number per slot), made
     * when the class first keeps a buffer and kept: taking and giving back allocate nothing, and no
     * thread ever waits for another one that the scheduler took off its core.
     */
    private static final class SizeClass {
        final int payload;
        private final int slots; // ring size, a power of two
        private volatile AtomicReferenceArray<PacketBuffer> ring; // null until first used
        private AtomicLongArray sequences;
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();
        final AtomicInteger idle = new AtomicInteger();

        SizeClass(int payload, int maxIdle) {
            this.payload = payload;
            int n = Integer.highestOneBit(Math.max(1, maxIdle));
            this.slots = n < maxIdle ? n << 1 : n;
        }

        private AtomicReferenceArray<PacketBuffer> ring() {
            AtomicReferenceArray<PacketBuffer> r = ring;
            if (r == null) {
                synchronized (this) { // once per class
                    r = ring;
                    if (r == null) {
                        AtomicLongArray seq = new AtomicLongArray(slots);
                        for (int i = 0; i < slots; i++) {
                            seq.set(i, i);
                        }
                        sequences = seq;
                        ring = r = new AtomicReferenceArray<>(slots); // publishes sequences too
                    }
                }
            }
            return r;
        }

        /** The oldest idle buffer, or null. */
        PacketBuffer poll() {
            AtomicReferenceArray<PacketBuffer> r = ring;
            if (r == null) {
                return null;
            }
            AtomicLongArray seq = sequences;
            int mask = slots - 1;
            long pos = head.get();
            while (true) {
                long dif = seq.get((int) pos & mask) - (pos + 1);
                if (dif == 0) {
                    if (head.compareAndSet(pos, pos + 1)) {
                        break;
                    }
                    pos = head.get();
                } else if (dif < 0) {
                    return null; // empty
                } else {
                    pos = head.get(); // another thread took it
                }
            }
            int i = (int) pos & mask;
            PacketBuffer b = r.get(i);
            r.lazySet(i, null);
            seq.lazySet(i, pos + slots); // the slot is free for the enqueue one lap later
            return b;
        }

        /** Adds {@code b}; false when the ring is full. */
        boolean offer(PacketBuffer b) {
            AtomicReferenceArray<PacketBuffer> r = ring();
            AtomicLongArray seq = sequences;
            int mask = slots - 1;
            long pos = tail.get();
            while (true) {
                long dif = seq.get((int) pos & mask) - pos;
                if (dif == 0) {
                    if (tail.compareAndSet(pos, pos + 1)) {
                        break;
                    }
                    pos = tail.get();
                } else if (dif < 0) {
                    return false; // full
                } else {
                    pos = tail.get();
                }
            }
            int i = (int) pos & mask;
            r.lazySet(i, b);
            seq.lazySet(i, pos + 1); // ordered after the element: a dequeuer that sees it sees the buffer
            return true;
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
        list.add(new SizeClass(payloadSize, maxPooled));
        for (int p = payloadSize; largeIdleBytes > 0 && p < MAX_POOLED_PAYLOAD;) {
            // steps of 1.5 and 4/3 (2K, 3K, 4K, 6K, 8K, 12K, ... 64K): at most a third of a buffer unused
            long next = Integer.bitCount(p) == 1 ? p + p / 2L : p * 4L / 3;
            p = (int) Math.min(MAX_POOLED_PAYLOAD, next);
            // as many as the byte budget holds
            list.add(new SizeClass(p, (int) Math.min(1 << 20, largeIdleBytes / (headroom + p) + 1)));
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
        PacketBuffer b = sc.poll();
        if (b != null) {
            sc.idle.decrementAndGet();
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
            if (sc.idle.incrementAndGet() > maxPooled || !sc.offer(b)) {
                sc.idle.decrementAndGet();
            }
            return;
        }
        long cap = b.capacity();
        if (largeIdleBytes.addAndGet(cap) > largeIdleBudget) {
            largeIdleBytes.addAndGet(-cap);
            return;
        }
        sc.idle.incrementAndGet();
        if (!sc.offer(b)) {
            sc.idle.decrementAndGet();
            largeIdleBytes.addAndGet(-cap);
        }
    }

    /** Number of idle buffers held, all classes. */
    public int idle() {
        int n = 0;
        for (SizeClass sc : classes) {
            n += sc.idle.get();
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
