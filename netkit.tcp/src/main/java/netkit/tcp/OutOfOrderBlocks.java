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
    private final TreeMap<Long, long[]> blocks = new TreeMap<>();

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

    /** The data up to {@code next} went in order: blocks starting at or before it are gone. */
    void removeUpTo(long next) {
        Map.Entry<Long, long[]> first;
        while ((first = blocks.firstEntry()) != null && first.getKey() <= next) {
            blocks.pollFirstEntry();
        }
    }

    /**
     * Writes up to {@code max} blocks into {@code out} as 32-bit (left, right) pairs: first the one
     * holding {@code latest} (the start of the latest segment stored; else the lowest block), then the
     * others from the highest down (RFC 2018 §4). Returns how many.
     */
    int write(int[] out, int max, long latest) {
        if (blocks.isEmpty() || max == 0) {
            return 0;
        }
        Map.Entry<Long, long[]> first = blocks.floorEntry(latest);
        if (first == null || first.getValue()[0] <= latest) {
            first = blocks.firstEntry();
        }
        long firstStart = first.getKey();
        out[0] = (int) firstStart;
        out[1] = (int) first.getValue()[0];
        int count = 1;
        for (Map.Entry<Long, long[]> e = blocks.lastEntry(); e != null && count < max; e = blocks.lowerEntry(e.getKey())) {
            if (e.getKey() != firstStart) {
                out[2 * count] = (int) (long) e.getKey();
                out[2 * count + 1] = (int) e.getValue()[0];
                count++;
            }
        }
        return count;
    }
}
