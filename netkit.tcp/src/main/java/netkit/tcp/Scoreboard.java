package netkit.tcp;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sender's SACK scoreboard (RFC 6675 §3): which bytes above SND.UNA the peer has reported
 * holding, as merged ranges of 64-bit extended sequence numbers.
 */
final class Scoreboard {
    private static final TreeMap<Long, Long> NONE = new TreeMap<>();
    /** SACKed ranges, left to right; {@link #NONE} (shared, never written) while there are none. */
    private TreeMap<Long, Long> sacked = NONE;

    /** Records a SACK block [left, right), clipped to (una, nxt]; returns the bytes newly SACKed. */
    long add(long left, long right, long una, long nxt) {
        left = Math.max(left, una);
        right = Math.min(right, nxt);
        if (left >= right) {
            return 0;
        }
        long left0 = left;
        long right0 = right;
        long alreadySacked = sackedAbove(left) - sackedAbove(right);
        if (sacked == NONE) {
            sacked = new TreeMap<>();
        }
        Map.Entry<Long, Long> before = sacked.floorEntry(left);
        if (before != null && before.getValue() >= left) {
            left = before.getKey();
            right = Math.max(right, before.getValue());
            sacked.remove(before.getKey());
        }
        Map.Entry<Long, Long> next;
        while ((next = sacked.ceilingEntry(left)) != null && next.getKey() <= right) {
            right = Math.max(right, next.getValue());
            sacked.remove(next.getKey());
        }
        sacked.put(left, right);
        return (right0 - left0) - alreadySacked;
    }

    /** Forgets everything below the new SND.UNA. */
    void ackTo(long una) {
        if (sacked == NONE) {
            return;
        }
        Map.Entry<Long, Long> e;
        while ((e = sacked.firstEntry()) != null && e.getKey() < una) {
            sacked.remove(e.getKey());
            if (e.getValue() > una) {
                sacked.put(una, e.getValue());
            }
        }
        if (sacked.isEmpty()) {
            sacked = NONE;
        }
    }

    /** The highest sequence the peer has SACKed (or {@code una} when none). */
    long highestSacked(long una) {
        return sacked.isEmpty() ? una : sacked.lastEntry().getValue();
    }

    /** Whether {@code seq} is SACKed. */
    boolean isSacked(long seq) {
        if (sacked == NONE) {
            return false; // no boxed key per call on the path without loss
        }
        Map.Entry<Long, Long> e = sacked.floorEntry(seq);
        return e != null && seq < e.getValue();
    }

    /** The end of the unSACKed stretch starting at {@code seq} (the next SACKed byte, or {@code limit}). */
    long holeEnd(long seq, long limit) {
        if (sacked == NONE) {
            return limit;
        }
        Map.Entry<Long, Long> e = sacked.ceilingEntry(seq);
        return e == null ? limit : Math.min(limit, e.getKey());
    }

    /** The first unSACKed byte at or after {@code seq}. */
    long nextUnsacked(long seq) {
        if (sacked == NONE) {
            return seq;
        }
        Map.Entry<Long, Long> e = sacked.floorEntry(seq);
        return e != null && seq < e.getValue() ? e.getValue() : seq;
    }

    /** SACKed bytes above {@code seq} (RFC 6675 IsLost: ≥ DupThresh·SMSS means lost). */
    long sackedAbove(long seq) {
        if (sacked == NONE) {
            return 0;
        }
        long n = 0;
        for (Map.Entry<Long, Long> e : sacked.tailMap(seq, true).entrySet()) {
            n += e.getValue() - Math.max(e.getKey(), seq);
        }
        Map.Entry<Long, Long> e = sacked.lowerEntry(seq);
        if (e != null && e.getValue() > seq) {
            n += e.getValue() - seq;
        }
        return n;
    }

    void clear() {
        sacked = NONE;
    }

    /** Whether the ranges take memory now (not while nothing is SACKed). */
    boolean allocated() {
        return sacked != NONE;
    }
}
