package netkit.tcp;

import java.util.Map;
import java.util.TreeMap;

/**
 * Received bytes: in-order data waiting for the application, and out-of-order segments kept
 * (bounded by the window) until the hole before them fills (RFC 9293 §3.10.7.4). Sequence
 * numbers are 64-bit extended, so ordering never wraps. Also yields the SACK blocks (RFC 2018 §4).
 */
final class ReceiveBuffer {
    private byte[] ring = new byte[4096];
    private int head;
    private int size;
    private int capacity;
    private final TreeMap<Long, byte[]> outOfOrder = new TreeMap<>();
    private int outOfOrderBytes;
    private long lastOutOfOrderStart = -1;

    ReceiveBuffer(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    void capacity(int c) {
        capacity = Math.max(c, 1);
    }

    /** Bytes ready for the application. */
    int readable() {
        return size;
    }

    /** Bytes held out of order. */
    int outOfOrderBytes() {
        return outOfOrderBytes;
    }

    /** Free space: what the window may offer. */
    int free() {
        return Math.max(0, capacity - size - outOfOrderBytes);
    }

    /**
     * Accepts data at {@code seq} given the next expected sequence {@code rcvNxt}; trims what was
     * already received, keeps out-of-order pieces, and moves contiguous data in.
     *
     * @return the number of bytes by which RCV.NXT advances
     */
    long accept(long rcvNxt, long seq, byte[] data, int off, int len) {
        if (seq < rcvNxt) {
            int skip = (int) Math.min(len, rcvNxt - seq);
            off += skip;
            len -= skip;
            seq = rcvNxt;
        }
        if (len <= 0) {
            return 0;
        }
        if (seq > rcvNxt) {
            storeOutOfOrder(seq, data, off, len);
            return 0;
        }
        append(data, off, len);
        long next = rcvNxt + len;
        // Pull in out-of-order pieces that are now contiguous.
        Map.Entry<Long, byte[]> e;
        while ((e = outOfOrder.firstEntry()) != null && e.getKey() <= next) {
            outOfOrder.pollFirstEntry();
            byte[] piece = e.getValue();
            outOfOrderBytes -= piece.length;
            long end = e.getKey() + piece.length;
            if (end > next) {
                int skip = (int) (next - e.getKey());
                append(piece, skip, piece.length - skip);
                next = end;
            }
        }
        return next - rcvNxt;
    }

    private void storeOutOfOrder(long seq, byte[] data, int off, int len) {
        // Trim against neighbours so stored pieces never overlap.
        Map.Entry<Long, byte[]> before = outOfOrder.floorEntry(seq);
        if (before != null) {
            long beforeEnd = before.getKey() + before.getValue().length;
            if (beforeEnd >= seq + len) {
                lastOutOfOrderStart = before.getKey();
                return; // duplicate
            }
            if (beforeEnd > seq) {
                int skip = (int) (beforeEnd - seq);
                off += skip;
                len -= skip;
                seq = beforeEnd;
            }
        }
        Map.Entry<Long, byte[]> after;
        while ((after = outOfOrder.ceilingEntry(seq)) != null && after.getKey() < seq + len) {
            long afterEnd = after.getKey() + after.getValue().length;
            if (afterEnd <= seq + len) {
                outOfOrder.remove(after.getKey());
                outOfOrderBytes -= after.getValue().length;
            } else {
                len = (int) (after.getKey() - seq);
                break;
            }
        }
        if (len > 0) {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            outOfOrder.put(seq, copy);
            outOfOrderBytes += len;
            lastOutOfOrderStart = seq;
        }
    }

    private void append(byte[] src, int off, int len) {
        if (size + len > ring.length) {
            byte[] bigger = new byte[Math.max(size + len, ring.length * 2)];
            copyOut(bigger, 0, size, 0);
            ring = bigger;
            head = 0;
        }
        int tail = (head + size) % ring.length;
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        System.arraycopy(src, off + first, ring, 0, len - first);
        size += len;
    }

    private void copyOut(byte[] dst, int dstOff, int len, int from) {
        int start = (head + from) % ring.length;
        int first = Math.min(len, ring.length - start);
        System.arraycopy(ring, start, dst, dstOff, first);
        System.arraycopy(ring, 0, dst, dstOff + first, len - first);
    }

    /** Copies up to {@code len} readable bytes; removes them unless peeking. */
    int read(byte[] dst, int off, int len, boolean peek) {
        int n = Math.min(len, size);
        copyOut(dst, off, n, 0);
        if (!peek) {
            head = (head + n) % ring.length;
            size -= n;
        }
        return n;
    }

    /**
     * Writes SACK blocks (left, right as 32-bit sequence numbers) for the out-of-order data into
     * {@code out}: the block holding the latest segment first (RFC 2018 §4), then the others.
     */
    int sackBlocks(int[] out, int max) {
        if (outOfOrder.isEmpty() || max == 0) {
            return 0;
        }
        long[][] blocks = new long[outOfOrder.size()][];
        int n = 0;
        long start = -1;
        long end = -1;
        for (Map.Entry<Long, byte[]> e : outOfOrder.entrySet()) {
            if (start >= 0 && e.getKey() == end) {
                end += e.getValue().length;
            } else {
                if (start >= 0) {
                    blocks[n++] = new long[] {start, end};
                }
                start = e.getKey();
                end = start + e.getValue().length;
            }
        }
        blocks[n++] = new long[] {start, end};
        int first = 0;
        for (int i = 0; i < n; i++) {
            if (blocks[i][0] <= lastOutOfOrderStart && lastOutOfOrderStart < blocks[i][1]) {
                first = i;
            }
        }
        int count = 0;
        out[2 * count] = (int) blocks[first][0];
        out[2 * count + 1] = (int) blocks[first][1];
        count++;
        for (int i = n - 1; i >= 0 && count < max; i--) {
            if (i != first) {
                out[2 * count] = (int) blocks[i][0];
                out[2 * count + 1] = (int) blocks[i][1];
                count++;
            }
        }
        return count;
    }

    /** Drops everything (abort). */
    void clear() {
        size = 0;
        head = 0;
        outOfOrder.clear();
        outOfOrderBytes = 0;
    }
}
