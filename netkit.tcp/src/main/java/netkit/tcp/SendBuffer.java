package netkit.tcp;

import java.nio.ByteBuffer;

/**
 * Bytes the application has written and the peer has not acknowledged: a ring whose first byte
 * is at sequence {@code base} (SND.UNA), growing up to its capacity (SO_SNDBUF). The ring exists
 * only while it holds bytes (it goes back to the stack's {@link SendRings} when everything is
 * acknowledged), and the stack's {@link MemoryAccount} is charged its length, not the bytes in it.
 */
final class SendBuffer {
    private static final byte[] NONE = new byte[0];
    private byte[] ring = NONE;
    private int head;
    private int size;
    private int capacity;
    /** The length of the ring given back when the buffer last emptied (0: none yet). */
    private int lastRing;
    private final SendRings rings;
    private final MemoryAccount memory;

    SendBuffer(int capacity, SendRings rings) {
        this.capacity = capacity;
        this.rings = rings;
        this.memory = rings.memory();
    }

    void capacity(int c) {
        capacity = Math.max(c, 1);
    }

    /** The buffer's size (SO_SNDBUF). */
    int capacity() {
        return capacity;
    }

    /** Rings allocated now (0 or 1: none while empty). */
    int allocated() {
        return ring == NONE ? 0 : 1;
    }

    /** Bytes held (unacknowledged, sent or not). */
    int size() {
        return size;
    }

    /** Room for the application (none beyond what is queued while the stack is under memory pressure). */
    int free() {
        if (size > 0 && memory.underPressure()) {
            return 0;
        }
        return Math.max(0, capacity - size);
    }

    /** Appends up to {@code len} of {@code src}'s bytes from its position (moved past them); returns how many. */
    int append(ByteBuffer src, int len) {
        int n = Math.min(len, free());
        if (n <= 0) {
            return 0;
        }
        if (size + n > ring.length) {
            grow(size + n);
        }
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        src.get(ring, tail, first);
        src.get(ring, 0, n - first);
        size += n;
        return n;
    }

    /** The array form of {@link #append(ByteBuffer, int)}. */
    int append(byte[] src, int off, int len) {
        return append(ByteBuffer.wrap(src, off, len), len);
    }

    /**
     * A larger ring: twice the present one, or, when the buffer has emptied, the ring it had then if
     * that is spare (a bulk sender whose buffer drains between bursts takes its large ring back
     * instead of growing one again by doubling, copying at each step); never more than twice the
     * capacity (a ring is a power of two).
     */
    private void grow(int need) {
        int want = Math.max(need, ring.length * 2);
        byte[] bigger = ring == NONE && lastRing > want && lastRing < 2L * capacity ? rings.takeSpare(lastRing) : null;
        if (bigger == null) {
            bigger = rings.take(want);
        }
        copy(0, bigger, 0, size);
        if (ring != NONE) {
            rings.give(ring);
        }
        ring = bigger;
        head = 0;
    }

    /** Copies {@code len} bytes starting {@code from} bytes after the base. */
    void copy(int from, byte[] dst, int dstOff, int len) {
        if (len == 0) {
            return;
        }
        int start = (head + from) % ring.length;
        int first = Math.min(len, ring.length - start);
        System.arraycopy(ring, start, dst, dstOff, first);
        System.arraycopy(ring, 0, dst, dstOff + first, len - first);
    }

    /** Drops {@code n} acknowledged bytes from the front; an emptied ring is given back. */
    void consume(int n) {
        n = Math.min(n, size);
        if (n <= 0) {
            return;
        }
        head = (head + n) % ring.length;
        size -= n;
        if (size == 0) {
            releaseRing();
        }
    }

    void clear() {
        size = 0;
        releaseRing();
        lastRing = 0;
    }

    private void releaseRing() {
        if (ring != NONE) {
            lastRing = ring.length;
            rings.give(ring);
        }
        ring = NONE;
        head = 0;
    }
}
