package netkit.tcp;

import java.util.ArrayDeque;

/**
 * The send rings of one stack's connections: handed out in power-of-two lengths from 4 KiB and
 * charged to the stack's {@link MemoryAccount} while a connection holds one; a ring given back
 * (its connection's data all acknowledged) is kept for the next connection or burst that needs
 * that length, up to {@link #MAX_SPARE_BYTES} of spare rings per stack. So an idle connection holds
 * no ring, and a bulk sender that drains its ring between bursts takes the same ring back instead
 * of allocating and zeroing a new one each time. A large ring given back displaces smaller spare
 * rings when the bound is reached (an auto-tuned 4 MiB ring is worth more than the steps that grew it).
 */
final class SendRings {
    /** The smallest ring (2^12). */
    static final int FIRST = 4096;
    /**
     * Spare rings kept per stack, in bytes (not charged to the memory account): two rings of the
     * largest auto-tuned send buffer by default ({@link TcpSettings#maxSendBuffer()}, 4 MiB).
     */
    static final long MAX_SPARE_BYTES = 8L << 20;
    private static final int FIRST_SHIFT = 12;
    private static final int CLASSES = 31 - FIRST_SHIFT; // 4 KiB .. 1 GiB
    private final MemoryAccount memory;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<byte[]>[] spare = new ArrayDeque[CLASSES];
    private long spareBytes;

    SendRings(MemoryAccount memory) {
        this.memory = memory;
    }

    MemoryAccount memory() {
        return memory;
    }

    /** A ring of at least {@code need} bytes (a power of two, at least {@link #FIRST}), charged to the account. */
    byte[] take(int need) {
        int cls = classOf(need);
        ArrayDeque<byte[]> q = spare[cls];
        byte[] ring = q == null ? null : q.pollFirst();
        if (ring == null) {
            ring = new byte[FIRST << cls];
        } else {
            spareBytes -= ring.length;
        }
        memory.add(ring.length);
        return ring;
    }

    /**
     * A spare ring of exactly {@code length} bytes (a length {@link #take} hands out), charged to the
     * account, or null when none is spare or the stack is under memory pressure: nothing is allocated.
     */
    byte[] takeSpare(int length) {
        ArrayDeque<byte[]> q = spare[classOf(length)];
        byte[] ring = q == null || memory.underPressure() ? null : q.pollFirst();
        if (ring != null) {
            spareBytes -= ring.length;
            memory.add(ring.length);
        }
        return ring;
    }

    /**
     * Gives back a ring {@link #take} handed out: no longer charged; kept while spare rings fit their
     * bound, smaller spare rings dropped first to make room for it.
     */
    void give(byte[] ring) {
        memory.add(-ring.length);
        if (ring.length > MAX_SPARE_BYTES || memory.underPressure()) {
            return;
        }
        int cls = classOf(ring.length);
        for (int smaller = 0; smaller < cls && spareBytes + ring.length > MAX_SPARE_BYTES; smaller++) {
            ArrayDeque<byte[]> q = spare[smaller];
            while (q != null && !q.isEmpty() && spareBytes + ring.length > MAX_SPARE_BYTES) {
                spareBytes -= q.pollLast().length;
            }
        }
        if (spareBytes + ring.length > MAX_SPARE_BYTES) {
            return;
        }
        if (spare[cls] == null) {
            spare[cls] = new ArrayDeque<>();
        }
        spare[cls].addFirst(ring);
        spareBytes += ring.length;
    }

    /** Bytes in spare rings. */
    long spareBytes() {
        return spareBytes;
    }

    private static int classOf(int need) {
        if (need <= FIRST) {
            return 0;
        }
        int cls = 32 - Integer.numberOfLeadingZeros(need - 1) - FIRST_SHIFT;
        if (cls >= CLASSES) {
            throw new IllegalArgumentException("send ring too large: " + need);
        }
        return cls;
    }
}
