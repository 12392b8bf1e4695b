package netkit.tcp;

import java.util.function.IntFunction;

/**
 * Spare power-of-two reference arrays (the rings of {@link ReceiveBuffer} and {@link SentSegments})
 * of one stack: a ring that empties goes back here instead of to the collector, and the next burst
 * takes it again instead of growing a new one from its first size by doubling. Bounded: at most
 * {@link #MAX_SPARE} arrays are kept (the largest ones). Caller holds the stack lock.
 *
 * @param <T> element type
 */
final class SpareArrays<T> {
    /** Arrays kept per stack and kind. */
    static final int MAX_SPARE = 8;
    private final IntFunction<T[]> factory;
    private final Object[][] spare = new Object[MAX_SPARE][];
    /**
     * The spare arrays' lengths: a receive or send ring that empties comes back and is taken again
     * per segment in a bulk transfer, and the choice then reads one small array instead of the
     * headers of up to {@link #MAX_SPARE} arrays in as many cache lines (#13).
     */
    private final int[] lengths = new int[MAX_SPARE];
    private int count;

    /** Spares of arrays made by {@code factory}. */
    SpareArrays(IntFunction<T[]> factory) {
        this.factory = factory;
    }

    /** An array of at least {@code length} slots, all null: the smallest spare one that fits, or a new one of {@code length}. */
    @SuppressWarnings("unchecked")
    T[] take(int length) {
        int best = -1;
        int bestLength = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int l = lengths[i];
            if (l >= length && l < bestLength) {
                best = i;
                bestLength = l;
            }
        }
        if (best < 0) {
            return factory.apply(length);
        }
        T[] a = (T[]) spare[best];
        spare[best] = spare[--count];
        lengths[best] = lengths[count];
        spare[count] = null;
        return a;
    }

    /** Keeps {@code a}, whose slots the caller has cleared, unless {@link #MAX_SPARE} larger ones are kept. */
    void give(T[] a) {
        if (count < MAX_SPARE) {
            lengths[count] = a.length;
            spare[count++] = a;
            return;
        }
        int smallest = 0;
        for (int i = 1; i < count; i++) {
            if (lengths[i] < lengths[smallest]) {
                smallest = i;
            }
        }
        if (lengths[smallest] < a.length) {
            spare[smallest] = a;
            lengths[smallest] = a.length;
        }
    }

    /** Arrays kept now. */
    int size() {
        return count;
    }
}
