package netkit.tcp;

import java.util.Arrays;

/**
 * Spare {@link SentSegments} records and sequence rings of one stack's connections, so a bulk sender
 * whose outstanding data drains to nothing between bursts (its records given back: an idle connection
 * holds none) takes records back instead of allocating them for every segment of the next burst, as
 * {@link SendRings} does for send rings. Bounded: at most {@link #MAX_RECORDS} spare records and
 * {@link SpareArrays#MAX_SPARE} spare rings per stack. Caller holds the stack lock.
 */
final class SegmentRecords {
    /** Spare records kept per stack (a record is about 50 bytes). */
    static final int MAX_RECORDS = 8192;
    private SentSegments.Segment[] records = new SentSegments.Segment[16];
    private int recordCount;
    private final SpareArrays<SentSegments.Segment> rings = new SpareArrays<>(SentSegments.Segment[]::new);

    /** A spare record (its fields as a finished record left them), or null. */
    SentSegments.Segment take() {
        if (recordCount == 0) {
            return null;
        }
        SentSegments.Segment s = records[--recordCount];
        records[recordCount] = null;
        return s;
    }

    /** Keeps {@code s}, no longer in any connection's log, while there is room. */
    void give(SentSegments.Segment s) {
        if (recordCount == MAX_RECORDS) {
            return;
        }
        if (recordCount == records.length) {
            records = Arrays.copyOf(records, recordCount * 2);
        }
        records[recordCount++] = s;
    }

    /** A ring of at least {@code length} slots, all null. */
    SentSegments.Segment[] ring(int length) {
        return rings.take(length);
    }

    /** Keeps {@code ring} (all slots null) as a spare. */
    void give(SentSegments.Segment[] ring) {
        rings.give(ring);
    }

    /** Spare records held now. */
    int records() {
        return recordCount;
    }

    /** Spare rings held now. */
    int rings() {
        return rings.size();
    }
}
