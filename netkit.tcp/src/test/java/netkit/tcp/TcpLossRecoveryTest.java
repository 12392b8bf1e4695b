package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.link.wire.WirePort;
import org.junit.jupiter.api.Test;

/** Loss detection and recovery of a bulk sender (stack 0 to stack 1) on the simulated clock. */
class TcpLossRecoveryTest {
    /** Drops first transmissions of TCP data segments from stack 0 whose ordinal (1-based) is in {@code drop}. */
    static BiPredicate<WirePort, PacketBuffer> droppingDataSegments(Set<Integer> drop) {
        int[] n = {0};
        Set<Long> seen = new HashSet<>();
        return (port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) != 0 || f.length() < 54 || (a[o + 23] & 0xff) != 6) {
                return true;
            }
            int hl = ((a[o + 46] & 0xff) >>> 4) * 4;
            int data = Bytes.get16(a, o + 16) - 20 - hl;
            long seq = Bytes.get32(a, o + 38) & 0xffffffffL;
            if (data <= 0 || !seen.add(seq)) {
                return true; // not data, or a retransmission
            }
            return !drop.contains(++n[0]);
        };
    }

    private static byte[] random(int size, long seed) {
        byte[] d = new byte[size];
        new Random(seed).nextBytes(d);
        return d;
    }

    /**
     * RFC 6675 §2: with SACK, an ACK that SACKs new data is a duplicate ACK whatever its window
     * says. A receiver whose window moves with every ACK (Linux's auto-tuning does) must still
     * trigger fast retransmit, not the RTO.
     */
    @Test
    void duplicateAcksWithNewSackCountEvenWhenTheWindowChanges() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        BiPredicate<WirePort, PacketBuffer> drop = droppingDataSegments(Set.of(3));
        int[] acks = {0};
        h.net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) == 1 && f.length() >= 54 && (a[o + 23] & 0xff) == 6
                    && Bytes.get16(a, o + 16) - 20 - ((a[o + 46] & 0xff) >>> 4) * 4 == 0) {
                int w = Bytes.get16(a, o + 34 + 14);
                Bytes.put16(a, o + 34 + 14, w - (++acks[0] % 2)); // every other ACK a little smaller
                int hl = ((a[o + 46] & 0xff) >>> 4) * 4;
                TcpHeader.checksum(a, o + 34, hl, Bytes.get32(a, o + 26), Bytes.get32(a, o + 30));
            }
            return drop.test(port, f);
        });
        byte[] data = random(60_000, 9);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(10), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS), "recovered without waiting for the RTO");
        assertEquals(1, h.counter(0, TcpCounter.FAST_RETRANSMITS));
        assertTrue(acks[0] > 10);
    }

    /** 5 ms each way: RTT 10 ms. */
    private static TcpHarness delayed(TcpSettings settings) throws Exception {
        TcpHarness h = new TcpHarness(settings);
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
        return h;
    }

    /** Drops the first {@code times} transmissions of stack 0's data segment number {@code n} (1-based). */
    static BiPredicate<WirePort, PacketBuffer> droppingSegment(int n, int times) {
        int[] count = {0};
        long[] seqOf = {-1};
        int[] dropped = {0};
        Set<Long> seen = new HashSet<>();
        return (port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) != 0 || f.length() < 54 || (a[o + 23] & 0xff) != 6) {
                return true;
            }
            int hl = ((a[o + 46] & 0xff) >>> 4) * 4;
            int data = Bytes.get16(a, o + 16) - 20 - hl;
            long seq = Bytes.get32(a, o + 38) & 0xffffffffL;
            if (data <= 0) {
                return true;
            }
            if (seen.add(seq) && ++count[0] == n) {
                seqOf[0] = seq;
            }
            if (seq == seqOf[0] && dropped[0] < times) {
                dropped[0]++;
                return false;
            }
            return true;
        };
    }

    private static void transfer(TcpHarness h, int[] p, byte[] data) {
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(30), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
    }

    /**
     * RFC 8985 §7: the last segment of a transfer is lost, nothing after it draws a duplicate ACK.
     * The tail loss probe (2·SRTT later) retransmits it; no retransmission timeout.
     */
    @Test
    void aLostLastSegmentIsRepairedByATailLossProbe() throws Exception {
        TcpHarness h = delayed(TcpSettings.defaults());
        int[] p = h.pair(80);
        int mss = 1448; // 1500 − 40 − timestamps
        byte[] data = random(100 * mss + 100, 21);
        h.net.hub.segment("lan").filter(droppingSegment(101, 1));
        transfer(h, p, data);
        assertEquals(1, h.net.hub.segment("lan").lost(), "the last data segment was lost");
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS), "no RTO");
        assertEquals(1, h.counter(0, TcpCounter.LOSS_PROBES), "one probe");
        assertEquals(1, h.counter(0, TcpCounter.RETRANS_SEGS), "the probe was the only retransmission");
    }

    /** A lost segment in the middle of a window: RACK starts fast recovery, no RTO, nothing else resent. */
    @Test
    void aLostMiddleSegmentIsRecoveredByRackWithoutTimeout() throws Exception {
        TcpHarness h = delayed(TcpSettings.defaults());
        int[] p = h.pair(80);
        h.net.hub.segment("lan").filter(droppingSegment(40, 1));
        transfer(h, p, random(300_000, 22));
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS));
        assertEquals(1, h.counter(0, TcpCounter.FAST_RETRANSMITS));
        assertEquals(1, h.counter(0, TcpCounter.RACK_LOST));
        assertEquals(1, h.counter(0, TcpCounter.RETRANS_SEGS));
    }

    /** RACK times retransmissions too: a lost fast retransmission is sent again without an RTO. */
    @Test
    void aLostRetransmissionIsDetectedWithoutTimeout() throws Exception {
        TcpHarness h = delayed(TcpSettings.defaults());
        int[] p = h.pair(80);
        h.net.hub.segment("lan").filter(droppingSegment(40, 2));
        transfer(h, p, random(600_000, 23));
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS));
        assertEquals(1, h.counter(0, TcpCounter.LOST_RETRANSMIT));
        assertEquals(2, h.counter(0, TcpCounter.RETRANS_SEGS));
    }

    /**
     * Segments stay full-sized through and after recovery: cwnd never cuts a segment short (Linux
     * counts cwnd in segments), only the end of the data may be small.
     */
    @Test
    void segmentsStayFullSizedThroughLossAndRecovery() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.net.hub.segment("lan").impairment(new Impairment(0.01, 0, 0, 0, 5000, 0, 0, 3));
        int[] sizes = new int[2]; // [full, short]
        h.net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) == 0 && f.length() >= 54 && (a[o + 23] & 0xff) == 6) {
                int data = Bytes.get16(a, o + 16) - 20 - ((a[o + 46] & 0xff) >>> 4) * 4;
                if (data > 0) {
                    sizes[data == 1448 ? 0 : 1]++;
                }
            }
            return true;
        });
        transfer(h, p, random(4 << 20, 24));
        assertTrue(h.counter(0, TcpCounter.FAST_RETRANSMITS) > 5, "several recoveries");
        assertTrue(sizes[1] <= 2, sizes[1] + " short segments of " + (sizes[0] + sizes[1]));
    }
}
