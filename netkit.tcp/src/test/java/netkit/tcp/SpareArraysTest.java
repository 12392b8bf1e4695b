package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SpareArraysTest {
    @Test
    void givesBackTheSmallestSpareThatFits() {
        SpareArrays<Object> s = new SpareArrays<>(Object[]::new);
        Object[] a16 = s.take(16);
        assertEquals(16, a16.length);
        Object[] a64 = s.take(64);
        s.give(a64);
        s.give(a16);
        assertEquals(2, s.size());
        assertSame(a16, s.take(8)); // the smallest that fits
        assertSame(a64, s.take(32));
        assertEquals(0, s.size());
        Object[] fresh = s.take(128);
        assertEquals(128, fresh.length);
        assertNotSame(a64, fresh);
    }

    @Test
    void keepsAtMostTheLargest() {
        SpareArrays<Object> s = new SpareArrays<>(Object[]::new);
        for (int i = 0; i < SpareArrays.MAX_SPARE; i++) {
            s.give(new Object[16]);
        }
        s.give(new Object[8]); // smaller than every kept one: dropped
        assertEquals(SpareArrays.MAX_SPARE, s.size());
        Object[] big = new Object[1024];
        s.give(big); // replaces a smaller one
        assertEquals(SpareArrays.MAX_SPARE, s.size());
        assertSame(big, s.take(512));
    }

    @Test
    void segmentRecordsAreBoundedAndReused() {
        SegmentRecords r = new SegmentRecords();
        assertNull(r.take());
        SentSegments.Segment seg = new SentSegments.Segment();
        r.give(seg);
        assertEquals(1, r.records());
        assertSame(seg, r.take());
        for (int i = 0; i < SegmentRecords.MAX_RECORDS + 10; i++) {
            r.give(new SentSegments.Segment());
        }
        assertEquals(SegmentRecords.MAX_RECORDS, r.records());
    }
}
