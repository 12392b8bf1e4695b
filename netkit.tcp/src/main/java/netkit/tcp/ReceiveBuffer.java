package netkit.tcp;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import netkit.api.buffer.PacketBuffer;

/**
 * Received data kept in the packet buffers it arrived in: in-order chunks waiting for the
 * application, and out-of-order chunks (bounded by the window) until the hole before them fills
 * (RFC 9293 §3.10.7.4). Segments are never copied on the way in; the one copy is into the
 * application's array. Sequence numbers are 64-bit extended. Also yields SACK blocks (RFC 2018 §4).
 * The stack's {@link MemoryAccount} is charged the capacity of every packet buffer held, from the
 * moment a chunk keeps it until it is released, however few bytes of it are data.
 */
final class ReceiveBuffer {
    /** A view of {@code len} bytes at {@code off} in a retained packet buffer. */
    private static final class Chunk {
        final PacketBuffer buf;
        final int held;
        int off;
        int len;

        Chunk(PacketBuffer buf, int off, int len) {
            this.buf = buf;
            this.held = buf.capacity();
            this.off = off;
            this.len = len;
        }
    }

    private final ArrayDeque<Chunk> inOrder = new ArrayDeque<>();
    private final TreeMap<Long, Chunk> outOfOrder = new TreeMap<>();
    private int size;
    private int outOfOrderBytes;
    private int capacity;
    private long lastOutOfOrderStart = -1;
    private final MemoryAccount memory;

    ReceiveBuffer(int capacity, MemoryAccount memory) {
        this.capacity = capacity;
        this.memory = memory;
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
     * Takes the segment data {@code pkt.array()[off..off+len)} at {@code seq}; trims what was
     * already received, keeps an out-of-order piece, moves contiguous data in order.
     *
     * @return the number of bytes by which RCV.NXT advances; when the packet's bytes were kept,
     *         {@code kept[0]} is set and the caller must not release the packet
     */
    long accept(long rcvNxt, long seq, PacketBuffer pkt, int off, int len, boolean[] kept) {
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
            storeOutOfOrder(seq, pkt, off, len, kept);
            return 0;
        }
        inOrder.add(keep(pkt, off, len));
        kept[0] = true;
        size += len;
        long next = rcvNxt + len;
        Map.Entry<Long, Chunk> e;
        while ((e = outOfOrder.firstEntry()) != null && e.getKey() <= next) {
            outOfOrder.pollFirstEntry();
            Chunk c = e.getValue();
            outOfOrderBytes -= c.len;
            long end = e.getKey() + c.len;
            if (end > next) {
                int skip = (int) (next - e.getKey());
                c.off += skip;
                c.len -= skip;
                inOrder.add(c);
                size += c.len;
                next = end;
            } else {
                release(c);
            }
        }
        return next - rcvNxt;
    }

    private void storeOutOfOrder(long seq, PacketBuffer pkt, int off, int len, boolean[] kept) {
        // Trim against neighbours so stored pieces never overlap.
        Map.Entry<Long, Chunk> before = outOfOrder.floorEntry(seq);
        if (before != null) {
            long beforeEnd = before.getKey() + before.getValue().len;
            if (beforeEnd >= seq + len) {
                lastOutOfOrderStart = before.getKey();
                return; // a duplicate
            }
            if (beforeEnd > seq) {
                int skip = (int) (beforeEnd - seq);
                off += skip;
                len -= skip;
                seq = beforeEnd;
            }
        }
        Map.Entry<Long, Chunk> after;
        while ((after = outOfOrder.ceilingEntry(seq)) != null && after.getKey() < seq + len) {
            long afterEnd = after.getKey() + after.getValue().len;
            if (afterEnd <= seq + len) {
                outOfOrder.remove(after.getKey());
                outOfOrderBytes -= after.getValue().len;
                release(after.getValue());
            } else {
                len = (int) (after.getKey() - seq);
                break;
            }
        }
        if (len > 0) {
            outOfOrder.put(seq, keep(pkt, off, len));
            kept[0] = true;
            outOfOrderBytes += len;
            lastOutOfOrderStart = seq;
        }
    }

    /**
     * Copies up to {@code len} readable bytes into {@code dst} (heap or direct) at its position, moved
     * past them; removes them unless peeking.
     */
    int read(ByteBuffer dst, int len, boolean peek) {
        int n = 0;
        if (peek) {
            for (Chunk c : inOrder) {
                int k = Math.min(len - n, c.len);
                dst.put(c.buf.array(), c.off, k);
                n += k;
                if (n == len) {
                    break;
                }
            }
            return n;
        }
        while (n < len && !inOrder.isEmpty()) {
            Chunk c = inOrder.peek();
            int k = Math.min(len - n, c.len);
            dst.put(c.buf.array(), c.off, k);
            n += k;
            c.off += k;
            c.len -= k;
            if (c.len == 0) {
                release(inOrder.poll());
            }
        }
        size -= n;
        return n;
    }

    /** The array form of {@link #read(ByteBuffer, int, boolean)}. */
    int read(byte[] dst, int off, int len, boolean peek) {
        return read(ByteBuffer.wrap(dst, off, len), len, peek);
    }

    /** Drops {@code n} readable bytes without copying them (shut for reading). */
    void discard(int n) {
        while (n > 0 && !inOrder.isEmpty()) {
            Chunk c = inOrder.peek();
            int k = Math.min(n, c.len);
            c.off += k;
            c.len -= k;
            size -= k;
            n -= k;
            if (c.len == 0) {
                release(inOrder.poll());
            }
        }
    }

    /** Gives up the out-of-order data. */
    private void pruneOutOfOrder() {
        outOfOrder.values().forEach(this::release);
        outOfOrder.clear();
        outOfOrderBytes = 0;
    }

    private Chunk keep(PacketBuffer pkt, int off, int len) {
        Chunk c = new Chunk(pkt, off, len);
        memory.add(c.held);
        return c;
    }

    private void release(Chunk c) {
        memory.add(-c.held);
        c.buf.release();
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
        for (Map.Entry<Long, Chunk> e : outOfOrder.entrySet()) {
            if (start >= 0 && e.getKey() == end) {
                end += e.getValue().len;
            } else {
                if (start >= 0) {
                    blocks[n++] = new long[] {start, end};
                }
                start = e.getKey();
                end = start + e.getValue().len;
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
        out[0] = (int) blocks[first][0];
        out[1] = (int) blocks[first][1];
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

    /** Drops everything (abort, close), returning the buffers. */
    void clear() {
        inOrder.forEach(this::release);
        inOrder.clear();
        size = 0;
        pruneOutOfOrder();
    }
}
