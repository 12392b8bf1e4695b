package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.link.wire.WirePort;
import org.junit.jupiter.api.Test;

/**
 * Undo of spurious congestion-window reductions ({@link Undo}) on the simulated clock: a bulk sender
 * (stack 0) to stack 1, timestamps and SACK negotiated, 5 ms each way (RTT 10 ms), whose frames are
 * delayed (the reduction was spurious: undone) or dropped (it was not: kept).
 */
class TcpUndoTest {
    private final TcpHarness h = new TcpHarness();
    private final byte[] data = random(3 << 20, 31);

    TcpUndoTest() {
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
    }

    private static byte[] random(int size, long seed) {
        byte[] d = new byte[size];
        new Random(seed).nextBytes(d);
        return d;
    }

    /** The sender's connection (the only one on stack 0). */
    private TcpConnection sender() {
        return h.instance(0).connections.all().get(0);
    }

    private static boolean tcp(PacketBuffer f) {
        return f.length() >= 54 && (f.array()[f.offset() + 23] & 0xff) == 6;
    }

    private static int dataLength(PacketBuffer f) {
        byte[] a = f.array();
        int o = f.offset();
        return Bytes.get16(a, o + 16) - 20 - ((a[o + 46] & 0xff) >>> 4) * 4;
    }

    private static boolean dataFromSender(WirePort port, PacketBuffer f) {
        return (port.mac() & 0xff) == 0 && tcp(f) && dataLength(f) > 0;
    }

    /**
     * From the sender's {@code startAfter}-th data frame on, for {@code nanos}: every TCP frame
     * either way is held and released in order at the end (a delay spike: nothing lost), or
     * ({@code drop}) the sender's data frames are lost (an outage). The sender's windows when it
     * began are kept.
     */
    private final class Spike implements BiPredicate<WirePort, PacketBuffer> {
        private final int startAfter;
        private final long nanos;
        private final boolean drop;
        private final List<WirePort> ports = new ArrayList<>();
        private final List<PacketBuffer> held = new ArrayList<>();
        private int seen;
        private long start = -1;
        private boolean releasing;
        long priorCwnd;
        long priorSsthresh;

        Spike(int startAfter, long nanos, boolean drop) {
            this.startAfter = startAfter;
            this.nanos = nanos;
            this.drop = drop;
        }

        @Override
        public boolean test(WirePort port, PacketBuffer f) {
            if (releasing || !tcp(f)) {
                return true;
            }
            long now = h.net.loop.nanoTime();
            if (start < 0) {
                if (!dataFromSender(port, f) || ++seen < startAfter) {
                    return true;
                }
                start = now;
                priorCwnd = sender().cc.cwnd();
                priorSsthresh = sender().cc.ssthresh();
                h.net.loop.schedule(nanos, this::release);
            }
            if (now >= start + nanos) {
                return true;
            }
            if (drop) {
                return !dataFromSender(port, f);
            }
            ports.add(port);
            held.add(f.copy());
            return false;
        }

        private void release() {
            releasing = true;
            for (int i = 0; i < held.size(); i++) {
                ports.get(i).transmit(held.get(i));
            }
            held.clear();
            ports.clear();
            releasing = false;
        }
    }

    /** Runs the transfer; returns the sender's [cwnd, ssthresh] when {@code undone} was first counted (or [-1, -1]). */
    private long[] transfer(int[] p, TcpCounter undone) {
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        long[] at = {-1, -1};
        boolean ok = h.net.loop.runUntil(() -> {
            try {
                f.step();
            } catch (netkit.api.ErrnoException e) {
                throw new AssertionError(e);
            }
            if (at[0] < 0 && h.counter(0, undone) > 0) {
                at[0] = sender().cc.cwnd();
                at[1] = sender().cc.ssthresh();
            }
            return f.eof;
        }, Duration.ofSeconds(30));
        assertTrue(ok, "transfer finished");
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        return at;
    }

    /**
     * A delay spike of 700 ms on the path, longer than the RTO (200 ms): the retransmission timeout
     * fires (twice, backed off), yet every original arrives. The first ACK after the
     * retransmission echoes an original's TSval, older than the retransmission's: the timeout was
     * spurious (Eifel, RFC 3522), cwnd and ssthresh come back (RFC 4015) and go-back-N stops, so
     * only the timeouts' own segments were resent.
     */
    @Test
    void aDelaySpikeBeyondTheRtoIsUndoneByTimestamps() throws Exception {
        int[] p = h.pair(80);
        Spike spike = new Spike(200, 700_000_000L, false);
        h.net.hub.segment("lan").filter(spike);
        long[] at = transfer(p, TcpCounter.LOSS_UNDO);
        assertTrue(h.counter(0, TcpCounter.TIMEOUTS) >= 1, "the RTO fired");
        assertEquals(1, h.counter(0, TcpCounter.LOSS_UNDO), "undone once");
        assertEquals(0, h.counter(0, TcpCounter.FULL_UNDO) + h.counter(0, TcpCounter.DSACK_UNDO));
        assertTrue(at[0] >= spike.priorCwnd, "cwnd " + at[0] + " back to at least " + spike.priorCwnd);
        assertTrue(at[1] >= spike.priorSsthresh, "ssthresh " + at[1] + " back to at least " + spike.priorSsthresh);
        assertTrue(h.counter(0, TcpCounter.RETRANS_SEGS) <= h.counter(0, TcpCounter.TIMEOUTS) + 1,
                h.counter(0, TcpCounter.RETRANS_SEGS) + " segments resent: no go-back-N after the undo");
    }

    /**
     * The same timeout with the data really lost (a 150 ms outage of the data path): the ACK of
     * the retransmission echoes its own TSval, nothing is undone and ssthresh stays reduced.
     */
    @Test
    void aTimeoutAfterRealLossIsNotUndone() throws Exception {
        int[] p = h.pair(80);
        Spike outage = new Spike(200, 150_000_000L, true);
        h.net.hub.segment("lan").filter(outage);
        transfer(p, TcpCounter.LOSS_UNDO);
        assertTrue(h.counter(0, TcpCounter.TIMEOUTS) >= 1, "the RTO fired");
        assertEquals(0, h.counter(0, TcpCounter.LOSS_UNDO) + h.counter(0, TcpCounter.FULL_UNDO)
                + h.counter(0, TcpCounter.DSACK_UNDO), "nothing undone");
        assertTrue(sender().cc.ssthresh() < outage.priorSsthresh, "ssthresh stays reduced");
    }

    /**
     * Holds the sender's {@code n}-th data frame (first transmissions counted) for {@code nanos}
     * where the wire delivers it, then sends it on (the wire's delay again), or drops it; records
     * the sender's windows then.
     */
    private final class One implements BiPredicate<WirePort, PacketBuffer> {
        private final int n;
        private final long nanos;
        private final boolean drop;
        private int seen;
        private boolean releasing;
        long priorCwnd;
        long priorSsthresh;

        One(int n, long nanos, boolean drop) {
            this.n = n;
            this.nanos = nanos;
            this.drop = drop;
        }

        @Override
        public boolean test(WirePort port, PacketBuffer f) {
            if (releasing || !dataFromSender(port, f) || ++seen != n) {
                return true;
            }
            priorCwnd = sender().cc.cwnd();
            priorSsthresh = sender().cc.ssthresh();
            if (!drop) {
                PacketBuffer copy = f.copy();
                h.net.loop.schedule(nanos, () -> {
                    releasing = true;
                    port.transmit(copy);
                    releasing = false;
                });
            }
            return false;
        }
    }

    /**
     * A segment 6 ms late (held 1 ms where the wire delivers it, then sent on with the wire's 5 ms
     * again): the SACKs of the segments after it make RACK deem it lost (more than DupThresh SACKed:
     * no reordering window) and a fast recovery retransmits it, but the original arrives first. The ACK that covers it echoes the
     * original's TSval: the recovery was spurious (RFC 3522), cwnd and ssthresh are back.
     */
    @Test
    void aReorderedSegmentsFastRecoveryIsUndoneByTimestamps() throws Exception {
        int[] p = h.pair(80);
        One late = new One(40, 1_000_000L, false);
        h.net.hub.segment("lan").filter(late);
        long[] at = transfer(p, TcpCounter.FULL_UNDO);
        assertEquals(1, h.counter(0, TcpCounter.FAST_RETRANSMITS), "one fast recovery");
        assertEquals(1, h.counter(0, TcpCounter.RETRANS_SEGS));
        assertEquals(1, h.counter(0, TcpCounter.FULL_UNDO), "undone by timestamps");
        assertEquals(0, h.counter(0, TcpCounter.DSACK_UNDO) + h.counter(0, TcpCounter.LOSS_UNDO));
        assertTrue(at[0] >= late.priorCwnd, "cwnd " + at[0] + " back to at least " + late.priorCwnd);
        assertEquals(late.priorSsthresh, at[1], "ssthresh back");
        assertEquals(1, h.counter(0, TcpCounter.DSACK_RECV_SEGS), "the receiver D-SACKed the retransmission");
    }

    /** The same segment really lost: the fast recovery stands. */
    @Test
    void aLostSegmentsFastRecoveryIsNotUndone() throws Exception {
        int[] p = h.pair(80);
        One lost = new One(40, 0, true);
        h.net.hub.segment("lan").filter(lost);
        transfer(p, TcpCounter.FULL_UNDO);
        assertEquals(1, h.counter(0, TcpCounter.FAST_RETRANSMITS));
        assertEquals(0, h.counter(0, TcpCounter.FULL_UNDO) + h.counter(0, TcpCounter.DSACK_UNDO)
                + h.counter(0, TcpCounter.LOSS_UNDO), "nothing undone");
        assertTrue(sender().cc.ssthresh() < lost.priorSsthresh, "ssthresh stays reduced");
    }

    /** The connection of a {@link ScriptedReceiver}: the netkit sender on stack 1. */
    private TcpConnection scriptedSender() {
        return h.instance(1).connections.all().stream().filter(c -> c.state == TcpState.ESTABLISHED).findFirst()
                .orElseThrow();
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /**
     * A peer without timestamps, with SACK: the second of two segments is SACKed, RACK resends the
     * first (a fast recovery, cwnd reduced); the peer then acknowledges both and reports the
     * retransmission received twice (D-SACK). Every retransmission of the episode was unnecessary
     * (RFC 3708): cwnd and ssthresh are back, counted as TCPDSACKUndo. Without the D-SACK the
     * reduction stands.
     */
    @Test
    void withoutTimestampsADsackOfEveryRetransmissionUndoesTheRecovery() throws Exception {
        for (boolean dsack : new boolean[] {true, false}) {
            TcpUndoTest t = new TcpUndoTest();
            ScriptedReceiver r = new ScriptedReceiver(t.h, 80, true, 65535);
            TcpConnection c = t.scriptedSender();
            long cwnd = c.cc.cwnd();
            long ssthresh = c.cc.ssthresh();
            int mss = ScriptedReceiver.MSS;
            r.write(2 * mss);
            r.awaitSegments(2, ms(100));
            r.ack(0, mss, 2 * mss);
            r.awaitSegments(3, ms(100));
            assertEquals(0, r.segs.get(2).seq(), "the first segment resent");
            assertEquals(1, t.h.counter(1, TcpCounter.FAST_RETRANSMITS));
            assertTrue(c.cc.cwnd() < cwnd, "cwnd reduced");
            if (dsack) {
                r.ack(2 * mss, 0, mss);
            } else {
                r.ack(2 * mss);
            }
            t.h.run(ms(20));
            assertEquals(dsack ? 1 : 0, t.h.counter(1, TcpCounter.DSACK_UNDO), "D-SACK " + dsack);
            assertEquals(0, t.h.counter(1, TcpCounter.FULL_UNDO) + t.h.counter(1, TcpCounter.LOSS_UNDO));
            if (dsack) {
                assertEquals(cwnd, c.cc.cwnd(), "cwnd back");
                assertEquals(ssthresh, c.cc.ssthresh(), "ssthresh back");
            } else {
                assertTrue(c.cc.cwnd() < cwnd && c.cc.ssthresh() < ssthresh, "the reduction stands");
            }
        }
    }

    /**
     * A peer with neither timestamps nor SACK (NewReno): three duplicate ACKs, a fast retransmit,
     * then one ACK of everything. Whether the original or the retransmission arrived cannot be
     * known: nothing is undone.
     */
    @Test
    void withNeitherTimestampsNorSackNothingIsUndone() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, false, 65535);
        TcpConnection c = scriptedSender();
        long ssthresh = c.cc.ssthresh();
        int mss = ScriptedReceiver.MSS;
        r.write(5 * mss);
        r.awaitSegments(5, ms(100));
        for (int i = 0; i < 3; i++) {
            r.ack(0);
        }
        r.awaitSegments(6, ms(100));
        assertEquals(0, r.segs.get(5).seq(), "fast retransmit");
        r.ack(5 * mss);
        h.run(ms(20));
        assertEquals(1, h.counter(1, TcpCounter.FAST_RETRANSMITS));
        assertEquals(0, h.counter(1, TcpCounter.FULL_UNDO) + h.counter(1, TcpCounter.DSACK_UNDO)
                + h.counter(1, TcpCounter.LOSS_UNDO));
        assertTrue(c.cc.ssthresh() < ssthresh, "ssthresh stays reduced");
    }

    /**
     * A peer with timestamps and without SACK (NewReno): after three duplicate ACKs and a fast
     * retransmit, the ACK of everything echoes the original's TSval: the original arrived, the
     * recovery was spurious (RFC 3522), and cwnd and ssthresh are back (TCPFullUndo). Echoing the
     * retransmission's TSval, it stands.
     */
    @Test
    void withTimestampsAndWithoutSackTheEchoDecides() throws Exception {
        for (boolean original : new boolean[] {true, false}) {
            TcpUndoTest t = new TcpUndoTest();
            ScriptedReceiver r = new ScriptedReceiver(t.h, 80, false, 65535, true);
            TcpConnection c = t.scriptedSender();
            long cwnd = c.cc.cwnd();
            long ssthresh = c.cc.ssthresh();
            int mss = c.mss;
            r.write(5 * mss);
            r.awaitSegments(5, ms(100));
            int first = r.segs.get(0).tsVal();
            for (int i = 0; i < 3; i++) {
                r.ackEcr(first, 0);
            }
            r.awaitSegments(6, ms(100));
            ScriptedReceiver.Seg again = r.segs.get(5);
            assertEquals(0, again.seq(), "fast retransmit");
            assertTrue(again.tsVal() - first > 0, "the retransmission's TSval is later");
            assertTrue(c.cc.ssthresh() < ssthresh, "reduced");
            r.ackEcr(original ? first : again.tsVal(), 5 * mss);
            t.h.run(ms(20));
            assertEquals(original ? 1 : 0, t.h.counter(1, TcpCounter.FULL_UNDO), "echo of the original: " + original);
            assertEquals(0, t.h.counter(1, TcpCounter.DSACK_UNDO) + t.h.counter(1, TcpCounter.LOSS_UNDO));
            if (original) {
                assertTrue(c.cc.cwnd() >= cwnd, "cwnd back");
                assertEquals(ssthresh, c.cc.ssthresh(), "ssthresh back");
            } else {
                assertTrue(c.cc.ssthresh() < ssthresh, "the reduction stands");
            }
        }
    }
}
