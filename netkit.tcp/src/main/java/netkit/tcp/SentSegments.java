package netkit.tcp;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a SACK sender has sent and the peer has not cumulatively acknowledged, one record per
 * transmitted segment (RFC 8985 §6.1: per-segment transmit time, retransmitted, SACKed and lost),
 * in sequence order and (those not SACKed) in transmit-time order. Records are split only at the boundaries of our own
 * transmissions (never at a peer's SACK edges), so their number is bounded by what we sent and the
 * send buffer holds; a record counts as SACKed once the {@link Scoreboard} covers all of it.
 */
final class SentSegments {
    /** One transmitted segment [start, end) (a FIN counts one). */
    static final class Segment {
        long start;
        long end;
        long xmitTime;
        long xmitOrder; // breaks ties of xmitTime: transmissions in one instant are still ordered
        boolean retransmitted;
        boolean sacked;
        boolean lost;
        private Segment older;
        private Segment newer;

        long length() {
            return end - start;
        }
    }

    private static final int FIRST_RING = 16;
    /** The records in sequence order: a ring of {@code count} from {@code head}; null while empty. */
    private Segment[] bySeq;
    private int head;
    private int count;
    private TreeMap<Long, Segment> lost; // the records deemed lost, by sequence; null while none
    private Segment spare; // acknowledged records to fill again, linked through newer; none when idle
    private Segment oldest; // the time order holds the records not SACKed
    private Segment newest;
    private long sackedBytes;
    private long lostBytes;
    private long transmissions;
    private final SegmentRecords records; // the stack's spare records and rings

    /** A log taking spare records and rings from, and giving them back to, {@code records}. */
    SentSegments(SegmentRecords records) {
        this.records = records;
    }

    /** Bytes in records the peer has SACKed. */
    long sackedBytes() {
        return sackedBytes;
    }

    /** Bytes in records deemed lost and not retransmitted since. */
    long lostBytes() {
        return lostBytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The record with the highest sequence numbers, or null. */
    Segment highest() {
        return count == 0 ? null : at(count - 1);
    }

    /** The least recently transmitted record, or null; {@link #newer} walks on. */
    Segment oldest() {
        return oldest;
    }

    Segment newer(Segment s) {
        return s.newer;
    }

    /**
     * Records a transmission of [start, end) at {@code now}: new records past the highest one, and
     * the records it covers again (split where it starts or ends inside one) marked retransmitted,
     * not lost, and moved to the newest end of the time order.
     *
     * @return the bytes that were sent before (retransmitted)
     */
    long transmitted(long start, long end, long now) {
        long again = 0;
        Segment top = highest();
        long topEnd = top == null ? start : top.end;
        if (start < topEnd) {
            split(start);
            split(Math.min(end, topEnd));
            long limit = Math.min(end, topEnd);
            for (int i = ceiling(start); i < count && at(i).start < limit; i++) {
                Segment s = at(i);
                s.xmitTime = now;
                s.xmitOrder = ++transmissions;
                s.retransmitted = true;
                unmarkLost(s);
                if (!s.sacked) {
                    unlinkTime(s);
                    linkNewest(s);
                }
                again += s.length();
            }
        }
        long from = Math.max(start, topEnd);
        if (from < end) {
            Segment s = fresh();
            s.start = from;
            s.end = end;
            s.xmitTime = now;
            s.xmitOrder = ++transmissions;
            insert(count, s);
            linkNewest(s);
        }
        return again;
    }

    /** Splits the record containing {@code seq} inside it into two, both keeping its state. */
    private void split(long seq) {
        int i = ceiling(seq) - 1; // the record starting below seq
        if (i < 0 || at(i).end <= seq) {
            return;
        }
        Segment s = at(i);
        Segment tail = fresh();
        tail.start = seq;
        tail.end = s.end;
        tail.xmitTime = s.xmitTime;
        tail.xmitOrder = s.xmitOrder;
        tail.retransmitted = s.retransmitted;
        tail.sacked = s.sacked;
        tail.lost = s.lost;
        s.end = seq;
        insert(i + 1, tail);
        if (s.lost) {
            lost.put(seq, tail);
        }
        if (s.sacked) {
            return;
        }
        // Right after s in time order.
        tail.older = s;
        tail.newer = s.newer;
        if (s.newer != null) {
            s.newer.older = tail;
        } else {
            newest = tail;
        }
        s.newer = tail;
    }

    /** Forgets what SND.UNA {@code una} acknowledges, handing each whole record gone to {@code delivered}. */
    void ackTo(long una, Consumer<Segment> delivered) {
        while (count > 0 && at(0).start < una) {
            Segment s = at(0);
            if (s.end <= una) {
                removeFirst();
                forget(s);
                unlinkTime(s);
                if (!s.sacked) {
                    delivered.accept(s);
                }
                recycle(s);
            } else {
                long cut = una - s.start; // acknowledged up to the middle of a record: keep the rest
                if (s.sacked) {
                    sackedBytes -= cut;
                }
                if (s.lost) {
                    lostBytes -= cut;
                    lost.remove(s.start);
                    lost.put(una, s);
                }
                s.start = una; // its place in the order stays
                return;
            }
        }
    }

    private void forget(Segment s) {
        if (s.sacked) {
            sackedBytes -= s.length();
        }
        unmarkLost(s);
    }

    private void unmarkLost(Segment s) {
        if (s.lost) {
            s.lost = false;
            lostBytes -= s.length();
            lost.remove(s.start);
            if (lost.isEmpty()) {
                lost = null;
            }
        }
    }

    /**
     * Marks the records overlapping [left, right), a stretch newly SACKed, that {@code board} now
     * covers entirely as SACKed, handing each to {@code newly}.
     */
    void sacked(long left, long right, Scoreboard board, Consumer<Segment> newly) {
        int first = ceiling(left);
        if (first > 0 && at(first - 1).start <= left && (first == count || at(first).start != left)) {
            first--; // the record holding left
        }
        for (int i = first; i < count && at(i).start < right; i++) {
            Segment s = at(i);
            if (!s.sacked && board.nextUnsacked(s.start) >= s.end) {
                s.sacked = true;
                sackedBytes += s.length();
                unmarkLost(s);
                unlinkTime(s);
                newly.accept(s);
            }
        }
    }

    /** Deems a record lost (RACK, RFC 8985 §6.2 step 5). */
    void markLost(Segment s) {
        if (!s.lost && !s.sacked) {
            s.lost = true;
            lostBytes += s.length();
            lostMap().put(s.start, s);
        }
    }

    /** After a retransmission timeout: SACK information is dropped (RFC 2018 §8) and everything is lost (RFC 8985 §6.3). */
    void timeout() {
        oldest = null;
        newest = null;
        sackedBytes = 0;
        lostBytes = 0;
        lost = null;
        for (int i = 0; i < count; i++) {
            Segment s = at(i);
            s.sacked = false;
            s.lost = true;
            lostBytes += s.length();
            lostMap().put(s.start, s);
            s.older = null;
            s.newer = null;
            linkNewest(s);
        }
    }

    /** An undone timeout: no record is deemed lost any more (their originals were in flight). */
    void undoLoss() {
        if (lost == null) {
            return;
        }
        for (int i = 0; i < count; i++) {
            at(i).lost = false;
        }
        lostBytes = 0;
        lost = null;
    }

    /** The lowest record deemed lost that starts below {@code limit} (RFC 6675 NextSeg rule 1), or null. */
    Segment firstLost(long limit) {
        if (lost == null) {
            return null;
        }
        Map.Entry<Long, Segment> e = lost.firstEntry();
        return e != null && e.getKey() < limit ? e.getValue() : null;
    }

    /** Index structures allocated now (0 when nothing is outstanding). */
    int allocated() {
        return (bySeq != null ? 1 : 0) + (lost != null ? 1 : 0);
    }

    private TreeMap<Long, Segment> lostMap() {
        if (lost == null) {
            lost = new TreeMap<>();
        }
        return lost;
    }

    private Segment at(int i) {
        return bySeq[(head + i) & (bySeq.length - 1)];
    }

    /** The index of the first record starting at or above {@code seq} ({@code count} when none). */
    private int ceiling(long seq) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).start < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Puts {@code s} at index {@code i} of the sequence order, moving the records from there up. */
    private void insert(int i, Segment s) {
        if (bySeq == null) {
            bySeq = records.ring(FIRST_RING);
            head = 0;
        } else if (count == bySeq.length) {
            Segment[] bigger = records.ring(count * 2);
            for (int k = 0; k < count; k++) {
                bigger[k] = at(k);
            }
            Arrays.fill(bySeq, null);
            records.give(bySeq);
            bySeq = bigger;
            head = 0;
        }
        int mask = bySeq.length - 1;
        for (int k = count; k > i; k--) {
            bySeq[(head + k) & mask] = bySeq[(head + k - 1) & mask];
        }
        bySeq[(head + i) & mask] = s;
        count++;
    }

    private void removeFirst() {
        bySeq[head] = null;
        head = (head + 1) & (bySeq.length - 1);
        count--;
        if (count == 0) {
            // nothing outstanding: the ring and the spare records go back to the stack's records
            records.give(bySeq);
            bySeq = null;
            for (Segment s = spare; s != null; s = spare) {
                spare = s.newer;
                s.newer = null;
                records.give(s);
            }
        }
    }

    /** A record to fill: a spare one (acknowledged before, while data stays outstanding) or a new one. */
    private Segment fresh() {
        Segment s = spare;
        if (s == null) {
            s = records.take();
            return s != null ? s : new Segment();
        }
        spare = s.newer;
        s.newer = null;
        return s;
    }

    /** {@code s}, acknowledged and out of every order, may be filled again ({@link #fresh}). */
    private void recycle(Segment s) {
        s.retransmitted = false;
        s.sacked = false;
        s.lost = false;
        s.older = null;
        if (count == 0) {
            s.newer = null;
            records.give(s); // the log is empty: to the stack's spare records
            return;
        }
        s.newer = spare;
        spare = s;
    }

    private void unlinkTime(Segment s) {
        if (s.older != null) {
            s.older.newer = s.newer;
        } else if (oldest == s) {
            oldest = s.newer;
        }
        if (s.newer != null) {
            s.newer.older = s.older;
        } else if (newest == s) {
            newest = s.older;
        }
        s.older = null;
        s.newer = null;
    }

    private void linkNewest(Segment s) {
        s.older = newest;
        s.newer = null;
        if (newest != null) {
            newest.newer = s;
        } else {
            oldest = s;
        }
        newest = s;
    }
}
