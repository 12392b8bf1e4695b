package netkit.tcp;

/**
 * Bytes the application has written and the peer has not acknowledged: a ring whose first byte
 * is at sequence {@code base} (SND.UNA), growing up to its capacity (SO_SNDBUF).
 */
final class SendBuffer {
    private byte[] ring = new byte[4096];
    private int head;
    private int size;
    private int capacity;
    private final MemoryAccount memory;

    SendBuffer(int capacity, MemoryAccount memory) {
        this.capacity = capacity;
        this.memory = memory;
    }

    void capacity(int c) {
        capacity = Math.max(c, 1);
    }

    int capacity() {
        return capacity;
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

    /** Appends up to {@code len} bytes; returns how many fitted. */
    int append(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        if (size + n > ring.length) {
            grow(size + n);
        }
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        System.arraycopy(src, off + first, ring, 0, n - first);
        size += n;
        memory.add(n);
        return n;
    }

    private void grow(int need) {
        int newLen = Math.max(need, ring.length * 2);
        byte[] bigger = new byte[newLen];
        copy(0, bigger, 0, size);
        ring = bigger;
        head = 0;
    }

    /** Copies {@code len} bytes starting {@code from} bytes after the base. */
    void copy(int from, byte[] dst, int dstOff, int len) {
        int start = (head + from) % ring.length;
        int first = Math.min(len, ring.length - start);
        System.arraycopy(ring, start, dst, dstOff, first);
        System.arraycopy(ring, 0, dst, dstOff + first, len - first);
    }

    /** Drops {@code n} acknowledged bytes from the front. */
    void consume(int n) {
        n = Math.min(n, size);
        head = (head + n) % ring.length;
        size -= n;
        memory.add(-n);
    }

    void clear() {
        memory.add(-size);
        head = 0;
        size = 0;
    }
}
