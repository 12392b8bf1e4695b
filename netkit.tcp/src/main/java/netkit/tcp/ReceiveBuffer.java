package netkit.tcp;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import netkit.api.buffer.PacketBuffer;

/**
 * Received data kept in the packet buffers it arrived in: in-order buffers waiting for the
 * application, and out-of-order ones (bounded by the window) until the hole before them fills
 * (RFC 9293 §3.10.7.4). Segments are never copied on the way in; the one copy is into the
 * application's array. Each kept buffer is windowed to its data ({@link PacketBuffer#window}), so
 * it is its own record: no object per segment. Sequence numbers are 64-bit extended. Also yields
 * SACK blocks (RFC 2018 §4). Both queues exist only while they hold data, so an idle connection
 * keeps none. The stack's {@link MemoryAccount} is charged the capacity of every packet buffer
 * held, from the moment it is kept until it is released, however few bytes of it are data.
 */
final class ReceiveBuffer {
    private static final int FIRST_QUEUE = 16;
    /** In-order buffers, a ring of {@code count} from {@code head}; null while empty. */
    private PacketBuffer[] inOrder;
    private final SpareArrays<PacketBuffer> spareRings;
    private int head;
    private int count;
    /** Out-of-order buffers by the sequence number of their first byte; null while empty. */
    private TreeMap<Long, PacketBuffer> outOfOrder;
    /** The runs of contiguous out-of-order buffers (SACK blocks); null while none are held. */
    private OutOfOrderBlocks blocks;
    private int size;
    private int outOfOrderBytes;
    private int capacity;
    private boolean kept;
    private long duplicateStart; // the last data received twice, to report once as a D-SACK
    private long duplicateEnd; // (RFC 2883); empty when duplicateEnd <= duplicateStart
    private final MemoryAccount memory;

    ReceiveBuffer(int capacity, MemoryAccount memory) {
        this(capacity, memory, new SpareArrays<>(PacketBuffer[]::new));
    }

    /** A buffer taking its in-order ring from, and giving it back to, the stack's {@code spareRings}. */
    ReceiveBuffer(int capacity, MemoryAccount memory, SpareArrays<PacketBuffer> spareRings) {
        this.capacity = capacity;
        this.memory = memory;
        this.spareRings = spareRings;
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

    /** Queue structures allocated now (0 when idle: nothing is kept for an empty buffer). */
    int allocated() {
        return (inOrder != null ? 1 : 0) + (outOfOrder != null ? 1 : 0);
    }

    /** Whether the last {@link #accept} kept the packet (the caller must then not release it). */
    boolean keptLast() {
        return kept;
    }

    /**
     * Takes the segment data {@code pkt.array()[off..off+len)} at {@code seq}; trims what was
     * already received, keeps an out-of-order piece, moves contiguous data in order. When the packet
     * was kept ({@link #keptLast}), it is windowed to the data kept and the caller must not release it.
     *
     * @return the number of bytes by which RCV.NXT advances
     */
    long accept(long rcvNxt, long seq, PacketBuffer pkt, int off, int len) {
        kept = false;
        if (seq < rcvNxt) {
            int skip = (int) Math.min(len, rcvNxt - seq);
            duplicate(seq, seq + skip);
            off += skip;
            len -= skip;
            seq = rcvNxt;
        }
        if (len <= 0) {
            return 0;
        }
        if (seq > rcvNxt) {
            storeOutOfOrder(seq, pkt, off, len);
            return 0;
        }
        enqueue(keep(pkt, off, len));
        long next = rcvNxt + len;
        Map.Entry<Long, PacketBuffer> e;
        while (outOfOrder != null && (e = outOfOrder.firstEntry()) != null && e.getKey() <= next) {
            outOfOrder.pollFirstEntry();
            PacketBuffer b = e.getValue();
            outOfOrderBytes -= b.length();
            long end = e.getKey() + b.length();
            if (end > next) {
                b.window(b.offset() + (int) (next - e.getKey()), b.offset() + b.length());
                enqueue(b);
                next = end;
            } else {
                release(b);
            }
        }
        if (blocks != null) {
            blocks.removeUpTo(next);
        }
        if (outOfOrder != null && outOfOrder.isEmpty()) {
            outOfOrder = null;
            blocks = null;
        }
        return next - rcvNxt;
    }

    private void enqueue(PacketBuffer b) {
        if (inOrder == null) {
            inOrder = spareRings.take(FIRST_QUEUE);
            head = 0;
        } else if (count == inOrder.length) {
            PacketBuffer[] bigger = spareRings.take(count * 2);
            for (int i = 0; i < count; i++) {
                bigger[i] = inOrder[(head + i) & (inOrder.length - 1)];
            }
            java.util.Arrays.fill(inOrder, null);
            spareRings.give(inOrder);
            inOrder = bigger;
            head = 0;
        }
        inOrder[(head + count) & (inOrder.length - 1)] = b;
        count++;
        size += b.length();
    }

    private PacketBuffer first() {
        return inOrder[head];
    }

    /** Drops the first in-order buffer (emptied), giving it back; the queue goes when empty. */
    private void dequeue() {
        PacketBuffer b = inOrder[head];
        inOrder[head] = null;
        head = (head + 1) & (inOrder.length - 1);
        count--;
        if (count == 0) {
            spareRings.give(inOrder); // empty: the ring goes back to the stack's spares
            inOrder = null;
        }
        release(b);
    }

    private void storeOutOfOrder(long seq, PacketBuffer pkt, int off, int len) {
        if (outOfOrder == null) {
            outOfOrder = new TreeMap<>();
            blocks = new OutOfOrderBlocks();
        }
        // Trim against neighbours so stored pieces never overlap.
        long arrived = seq;
        long arrivedEnd = seq + len;
        Map.Entry<Long, PacketBuffer> before = outOfOrder.floorEntry(seq);
        if (before != null) {
            long beforeEnd = before.getKey() + before.getValue().length();
            if (beforeEnd >= seq + len) {
                blocks.arrived(arrived); // the block holding it comes right after the D-SACK
                duplicate(arrived, arrivedEnd);
                return; // a duplicate
            }
            if (beforeEnd > seq) {
                int skip = (int) (beforeEnd - seq);
                off += skip;
                len -= skip;
                seq = beforeEnd;
            }
        }
        Map.Entry<Long, PacketBuffer> after;
        while ((after = outOfOrder.ceilingEntry(seq)) != null && after.getKey() < seq + len) {
            long afterEnd = after.getKey() + after.getValue().length();
            if (afterEnd <= seq + len) {
                outOfOrder.remove(after.getKey());
                outOfOrderBytes -= after.getValue().length();
                release(after.getValue());
            } else {
                len = (int) (after.getKey() - seq);
                break;
            }
        }
        if (len > 0) {
            outOfOrder.put(seq, keep(pkt, off, len));
            blocks.add(seq, seq + len);
            blocks.arrived(seq);
            outOfOrderBytes += len;
        } else {
            // held already, in two or more pieces: a duplicate too (RFC 2883), and the block holding
            // it still comes first (RFC 2018 §4)
            blocks.arrived(arrived);
            duplicate(arrived, arrivedEnd);
        }
        if (outOfOrder.isEmpty()) {
            outOfOrder = null;
            blocks = null;
        }
    }

    /**
     * Copies up to {@code len} readable bytes into {@code dst} (heap or direct) at its position, moved
     * past them; removes them unless peeking.
     */
    int read(ByteBuffer dst, int len, boolean peek) {
        int n = 0;
        if (peek) {
            for (int i = 0; i < count && n < len; i++) {
                PacketBuffer b = inOrder[(head + i) & (inOrder.length - 1)];
                int k = Math.min(len - n, b.length());
                dst.put(b.array(), b.offset(), k);
                n += k;
            }
            return n;
        }
        while (n < len && count > 0) {
            PacketBuffer b = first();
            int k = Math.min(len - n, b.length());
            dst.put(b.array(), b.offset(), k);
            n += k;
            if (k == b.length()) {
                dequeue();
            } else {
                b.consume(k);
            }
        }
        size -= n;
        return n;
    }

    /**
     * Copies up to {@code len} readable bytes from {@code from} bytes past the first into {@code dst}
     * without removing them (a peek that steps over an urgent byte taken out of the stream).
     */
    int peek(ByteBuffer dst, int from, int len) {
        int n = 0;
        int skip = from;
        for (int i = 0; i < count && n < len; i++) {
            PacketBuffer b = inOrder[(head + i) & (inOrder.length - 1)];
            if (skip >= b.length()) {
                skip -= b.length();
                continue;
            }
            int k = Math.min(len - n, b.length() - skip);
            dst.put(b.array(), b.offset() + skip, k);
            skip = 0;
            n += k;
        }
        return n;
    }

    /** The array form of {@link #read(ByteBuffer, int, boolean)}. */
    int read(byte[] dst, int off, int len, boolean peek) {
        return read(ByteBuffer.wrap(dst, off, len), len, peek);
    }

    /** Drops {@code n} readable bytes without copying them (shut for reading). */
    void discard(int n) {
        while (n > 0 && count > 0) {
            PacketBuffer b = first();
            int k = Math.min(n, b.length());
            size -= k;
            n -= k;
            if (k == b.length()) {
                dequeue();
            } else {
                b.consume(k);
            }
        }
    }

    /** Gives up the out-of-order data. */
    private void pruneOutOfOrder() {
        if (outOfOrder != null) {
            outOfOrder.values().forEach(this::release);
            outOfOrder = null;
            blocks = null;
        }
        outOfOrderBytes = 0;
    }

    /** Keeps {@code pkt}, windowed to the data {@code [off, off + len)} of its array. */
    private PacketBuffer keep(PacketBuffer pkt, int off, int len) {
        pkt.window(off, off + len);
        memory.add(pkt.capacity());
        kept = true;
        return pkt;
    }

    private void release(PacketBuffer b) {
        memory.add(-b.capacity());
        b.release();
    }

    /**
     * Data [start, end) arrived that was received before (a retransmission, or the network's
     * duplicate): the next ACK reports it first, once, as a D-SACK (RFC 2883 §4; Linux
     * {@code tcp_dsack_set}, on by default).
     */
    void duplicate(long start, long end) {
        duplicateStart = start;
        duplicateEnd = end;
    }

    /** Whether a D-SACK is due ({@link #duplicate}) or out-of-order data is held: SACK blocks to send. */
    boolean sackDue() {
        return outOfOrderBytes > 0 || duplicateEnd > duplicateStart;
    }

    /**
     * Writes SACK blocks (left, right as 32-bit sequence numbers) into {@code out}: a D-SACK first if
     * one is due (then forgotten: it is reported once), then for the out-of-order data the block
     * holding the latest segment, the other blocks segments arrived in most recently (RFC 2018 §4),
     * then the others from the highest down.
     */
    int sackBlocks(int[] out, int max) {
        if (max == 0) {
            return 0;
        }
        if (duplicateEnd > duplicateStart) {
            int left = (int) duplicateStart;
            int right = (int) duplicateEnd;
            duplicateEnd = duplicateStart; // reported once
            int n = max == 1 ? 0 : outOfOrderBlocks(out, max - 1);
            System.arraycopy(out, 0, out, 2, 2 * n); // arraycopy copies as if through a temporary
            out[0] = left;
            out[1] = right;
            return n + 1;
        }
        return outOfOrderBlocks(out, max);
    }

    private int outOfOrderBlocks(int[] out, int max) {
        return outOfOrder == null ? 0 : blocks.write(out, max);
    }

    /** Drops everything (abort, close), returning the buffers. */
    void clear() {
        while (count > 0) {
            dequeue();
        }
        inOrder = null;
        size = 0;
        pruneOutOfOrder();
    }
}
