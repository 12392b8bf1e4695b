package netkit.stack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded multi-producer, single-consumer ring of elements that allocates nothing after it is
 * built (the queue of {@link RxQueue}: a {@code ConcurrentLinkedQueue} cost a node per frame). The
 * model is JCTools' {@code MpscArrayQueue}: producers claim a slot by a compare-and-set of the
 * producer index, then publish the element into it with a release store; the consumer reads the slot
 * with an acquire load, clears it, and advances the consumer index. A claimed slot whose element is
 * not visible yet is waited for by the consumer (the producer is between its two steps).
 *
 * <p>Any number of threads may {@link #offer}; one thread at a time may {@link #poll} (callers of
 * {@code poll} must be serialized, e.g. by a lock, which also orders their plain accesses).
 *
 * @param <E> element type
 */
final class FrameRing<E> {
    private static final VarHandle PRODUCER;
    private static final VarHandle CONSUMER;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PRODUCER = l.findVarHandle(FrameRing.class, "producerIndex", long.class);
            CONSUMER = l.findVarHandle(FrameRing.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Unused slots before and after the ring's: the array's header (its class, read by every typed
     * store, and its length, read by every bounds check) and its neighbours in the heap stay off the
     * cache lines the producer and the consumer write, as JCTools pads its buffers. Without it a JFR
     * profile of wire bulk showed the stores waiting on the header's line (#13).
     */
    private static final int PAD = 32;

    private final Object[] slots;
    private final int mask;
    // the two indices are written by different threads: keep them on different cache lines
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long producerIndex;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    private volatile long consumerIndex;
    /** A producer's cached view of the consumer index (stale is safe: it only underestimates room). */
    private volatile long consumerLimit;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;

    /** A ring holding at least {@code capacity} elements (rounded up to a power of two, at most 2^30). */
    FrameRing(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        slots = new Object[size + 2 * PAD];
        mask = size - 1;
    }

    /** Elements the ring can hold. */
    int capacity() {
        return mask + 1;
    }

    /**
     * Adds {@code e} unless the ring already holds {@code limit} elements (or is full); any thread.
     *
     * @return false when it was full
     */
    boolean offer(E e, int limit) {
        if (e == null) {
            throw new NullPointerException();
        }
        long bound = Math.min(limit, mask + 1);
        long p;
        do {
            p = producerIndex;
            if (p - consumerLimit >= bound) {
                long c = consumerIndex; // refresh the cached view only when it says full
                if (p - c >= bound) {
                    return false;
                }
                consumerLimit = c;
            }
        } while (!PRODUCER.compareAndSet(this, p, p + 1));
        SLOTS.setRelease(slots, PAD + ((int) p & mask), e);
        return true;
    }

    /** Removes the oldest element, or returns null when empty. Callers are serialized. */
    @SuppressWarnings("unchecked")
    E poll() {
        long c = (long) CONSUMER.getOpaque(this);
        int i = PAD + ((int) c & mask);
        Object e = SLOTS.getAcquire(slots, i);
        if (e == null) {
            if (c == producerIndex) {
                return null; // empty
            }
            // claimed, not yet published: the producer is between its CAS and its store (a few
            // instructions, unless it was descheduled there: then give it the core)
            for (int spins = 0; (e = SLOTS.getAcquire(slots, i)) == null; spins++) {
                if (spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
        SLOTS.setRelease(slots, i, null);
        CONSUMER.setRelease(this, c + 1);
        return (E) e;
    }

    /** Elements held now (a snapshot; exact when no thread offers or polls). */
    int size() {
        // read the consumer first: the difference is then never negative
        while (true) {
            long c = consumerIndex;
            long p = producerIndex;
            if (c == consumerIndex) {
                return (int) Math.max(0, Math.min(p - c, mask + 1));
            }
        }
    }

    /** Whether it holds nothing now (a snapshot). */
    boolean isEmpty() {
        return consumerIndex == producerIndex;
    }
}
