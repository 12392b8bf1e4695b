package netkit.tcp;

import java.util.Map;
import java.util.TreeMap;

/**
 * The blocks of a receive buffer's out-of-order data (runs of contiguous stored pieces), kept as
 * pieces come and go, so that the SACK blocks of an ACK (RFC 2018 §4) cost a few lookups instead of a
 * walk over every piece held: with a hole before 250 segments that walk ran for every segment after
 * it (12 % of the samples of a receiver fed by a kernel BBR sender through 1 % loss), and a peer
 * sending small out-of-order pieces could make every ACK walk thousands (Linux keeps its out-of-order
 * queue coalesced and its SACK blocks apart for the same reason). Each block is a map entry from
 * its first sequence number to a one-element array holding its end, so growing a block allocates
 * nothing; a new block allocates one entry. Caller holds the stack lock.
 */
final class OutOfOrderBlocks {
    /** Blocks remembered by the order segments last arrived in them. */
    static final int RECENT = 4;
    private final TreeMap<Long, long[]> blocks = new TreeMap<>();
    /** A sequence number in each of the blocks segments arrived in most recently, the latest first. */
    private final long[] recent = new long[RECENT];
    private final long[] scratch = new long[RECENT];
    private int recentCount;

    /** Data {@code [start, end)} was stored; it overlaps nothing stored before. */
    void add(long start, long end) {
        Map.Entry<Long, long[]> before = blocks.floorEntry(start);
        long[] block;
        if (before != null && before.getValue()[0] >= start) {
            block = before.getValue();
            block[0] = Math.max(block[0], end);
        } else {
            block = new long[] {end};
            blocks.put(start, block);
        }
        Map.Entry<Long, long[]> after;
        while ((after = blocks.higherEntry(start)) != null && after.getKey() <= block[0]) {
            block[0] = Math.max(block[0], after.getValue()[0]);
            blocks.remove(after.getKey());
        }
    }

    /**
     * A segment starting at {@code seq} arrived and its data is held (stored now, or held already):
     * its block becomes the most recent, the one the next SACK option names first (RFC 2018 §4).
     * Blocks are remembered in the order segments last arrived in them, at most {@value #RECENT}, as
     * Linux keeps {@code selective_acks}.
     */
    void arrived(long seq) {
        long start = startOfBlockHolding(seq);
        int kept = 0;
        for (int i = 0; i < recentCount && kept < RECENT - 1; i++) {
            if (startOfBlockHolding(recent[i]) != start) {
                scratch[kept++] = recent[i];
            }
        }
        recent[0] = seq;
        System.arraycopy(scratch, 0, recent, 1, kept);
        recentCount = kept + 1;
    }

    /** The data up to {@code next} went in order: blocks starting at or before it are gone. */
    void removeUpTo(long next) {
        Map.Entry<Long, long[]> first;
        while ((first = blocks.firstEntry()) != null && first.getKey() <= next) {
            blocks.pollFirstEntry();
        }
        int kept = 0;
        for (int i = 0; i < recentCount; i++) {
            if (recent[i] >= next) { // a block gone ended at or before next
                recent[kept++] = recent[i];
            }
        }
        recentCount = kept;
    }

    /**
     * Writes up to {@code max} blocks into {@code out} as 32-bit (left, right) pairs (RFC 2018 §4):
     * first the block of the latest segment that arrived, then the other blocks segments arrived in
     * most recently (a block that went in order is skipped; with none left of them, the lowest block
     * comes first), so that each block is reported in several ACKs in a row and survives the loss of
     * some; then, while there is room, the others from the highest down. Returns how many.
     */
    int write(int[] out, int max) {
        if (blocks.isEmpty() || max == 0) {
            return 0;
        }
        int count = 0;
        for (int i = 0; i < recentCount && count < max; i++) {
            Map.Entry<Long, long[]> e = blocks.floorEntry(recent[i]);
            count = put(out, count, e);
        }
        if (count == 0) {
            count = put(out, 0, blocks.firstEntry());
        }
        for (Map.Entry<Long, long[]> e = blocks.lastEntry(); e != null && count < max; e = blocks.lowerEntry(e.getKey())) {
            count = put(out, count, e);
        }
        return count;
    }

    /** Writes block {@code e} as the {@code count}th unless it is written already: the new count. */
    private static int put(int[] out, int count, Map.Entry<Long, long[]> e) {
        int left = (int) (long) e.getKey();
        for (int i = 0; i < count; i++) {
            if (out[2 * i] == left) {
                return count;
            }
        }
        out[2 * count] = left;
        out[2 * count + 1] = (int) e.getValue()[0];
        return count + 1;
    }

    /** The first sequence number of the block holding {@code seq} (it is held). */
    private long startOfBlockHolding(long seq) {
        return blocks.floorKey(seq);
    }
}
