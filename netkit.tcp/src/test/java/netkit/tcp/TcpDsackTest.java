package netkit.tcp;

import static netkit.tcp.ScriptedReceiver.MSS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * D-SACK (RFC 2883) at a netkit sender (stack 1): spurious retransmissions counted, and RACK's
 * reordering window adapted (RFC 8985 §6.2 step 4), driven by a {@link ScriptedReceiver} on a wire
 * with 5 ms each way (RTT 10 ms, so min_RTT/4 is 2.5 ms).
 */
class TcpDsackTest {
    private final TcpHarness h = new TcpHarness();

    TcpDsackTest() {
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /**
     * One reordering episode: two segments, the first arrives late. The receiver SACKs the
     * second; RACK waits RACK.rtt + reo_wnd and resends the first. Returns the time from the SACK
     * to the retransmission's arrival: 10 ms of round trip plus the reordering window. The
     * receiver then acknowledges both, with a D-SACK for the first if {@code dsack} (the original
     * came after all: the retransmission was spurious).
     */
    private long episode(ScriptedReceiver r, boolean dsack) throws Exception {
        int n = r.segs.size();
        long base = r.segs.stream().mapToLong(ScriptedReceiver.Seg::end).max().orElse(0);
        r.write(2 * MSS);
        r.awaitSegments(n + 2, ms(100));
        long sackAt = h.net.loop.nanoTime();
        r.ack(base, base + MSS, base + 2 * MSS);
        r.awaitSegments(n + 3, ms(100));
        ScriptedReceiver.Seg again = r.segs.get(n + 2);
        assertEquals(base, again.seq(), "the first segment resent");
        if (dsack) {
            r.ack(base + 2 * MSS, base, base + MSS);
        } else {
            r.ack(base + 2 * MSS);
        }
        h.run(ms(20));
        return again.at() - sackAt;
    }

    /**
     * RFC 8985 §6.2 step 4 (Linux {@code tcp_rack_update_reo_wnd}): a D-SACK showing a spurious
     * retransmission widens the reordering window by min_RTT/4 (reo_wnd_mult + 1, at most once per
     * round trip); it stays widened for 16 recoveries without D-SACK, then is min_RTT/4 again.
     * The D-SACK is counted (TCPDSACKRecv, TCPDSACKRecvSegs).
     */
    @Test
    void aDsackOfASpuriousRetransmissionWidensTheReorderingWindowFor16Recoveries() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, true, 65535);
        long before = episode(r, false);
        assertEquals(12_500_000L, before, "10 ms round trip + min_RTT/4");
        assertEquals(0, h.counter(1, TcpCounter.DSACK_RECV));
        assertEquals(before, episode(r, true), "the window grows after the D-SACK, not before");
        assertEquals(1, h.counter(1, TcpCounter.DSACK_RECV));
        assertEquals(1, h.counter(1, TcpCounter.DSACK_RECV_SEGS), "one spurious retransmission");
        for (int episode = 0; episode < Rack.REO_WND_PERSIST; episode++) {
            assertEquals(15_000_000L, episode(r, false), "episode " + episode + " after the D-SACK: 2 × min_RTT/4");
        }
        assertEquals(before, episode(r, false), "16 recoveries without D-SACK: back to min_RTT/4");
        assertEquals(0, h.counter(1, TcpCounter.TIMEOUTS));
    }

    /**
     * With SACK, a loss of the first segment past the last recovery point is a new recovery
     * episode with its own reduction: RFC 6582's hold ("recover") is for connections without SACK,
     * where a duplicate ACK at the recovery point may be the old window's (Linux
     * {@code tcp_try_undo_recovery}: "For Reno it is MUST to prevent false fast retransmits
     * (RFC2582). SACK TCP is safe."); with SACK, recovery ends once SND.UNA reaches the recovery
     * point (RFC 6675 §5, Linux {@code !before(snd_una, high_seq)}).
     */
    @Test
    void withSackALossRightAtTheRecoveryPointIsANewRecovery() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, true, 65535);
        for (int i = 1; i <= 3; i++) {
            episode(r, false);
            assertEquals(i, h.counter(1, TcpCounter.FAST_RETRANSMITS), "episode " + i + " is a recovery");
        }
        assertEquals(0, h.counter(1, TcpCounter.TIMEOUTS));
    }

    /**
     * A D-SACK for data that was never retransmitted (the network duplicated a segment) shows no
     * spurious retransmission: Linux counts it as TCPDSACKIgnoredDubious, and the reordering window
     * stays.
     */
    @Test
    void aDsackForDataNeverRetransmittedIsDubious() throws Exception {
        ScriptedReceiver r = new ScriptedReceiver(h, 80, true, 65535);
        r.write(2 * MSS);
        r.awaitSegments(2, ms(100));
        r.ack(2 * MSS, 0, MSS); // "received twice", though sent once
        h.run(ms(20));
        assertEquals(1, h.counter(1, TcpCounter.DSACK_RECV));
        assertEquals(1, h.counter(1, TcpCounter.DSACK_IGNORED_DUBIOUS));
        assertEquals(0, h.counter(1, TcpCounter.DSACK_RECV_SEGS));
        assertEquals(12_500_000L, episode(r, false), "the reordering window did not grow");
    }

    /**
     * The receiver's side (RFC 2883 §4, Linux's {@code tcp_dsack_set}): data received twice is
     * reported once, as the first SACK block of the next ACK: below RCV.NXT (an old segment again),
     * and above it (out-of-order data again, followed by the block that holds it). Without SACK
     * nothing is reported.
     */
    @Test
    void aReceiverReportsDataReceivedTwiceOnceAsADsack() throws Exception {
        RawPeer peer = new RawPeer(h);
        int l = h.listen(81, 4);
        int[] isn = new int[1];
        java.util.List<long[]> acks = new java.util.ArrayList<>(); // [ack, blocks...] relative to our ISN 1000
        peer.onSegment = s -> {
            if ((s[13] & netkit.api.wire.TcpHeader.SYN) != 0) {
                isn[0] = netkit.api.wire.Bytes.get32(s, 4);
                return;
            }
            netkit.api.wire.TcpOptions o = new netkit.api.wire.TcpOptions();
            int hl = ((s[12] & 0xff) >>> 4) * 4;
            o.parse(s, 20, hl - 20);
            long[] a = new long[1 + 2 * o.sackCount];
            a[0] = (netkit.api.wire.Bytes.get32(s, 8) - 1001) & 0xffffffffL;
            for (int i = 0; i < 2 * o.sackCount; i++) {
                a[1 + i] = (o.sack[i] - 1001) & 0xffffffffL;
            }
            acks.add(a);
        };
        int flags = netkit.api.wire.TcpHeader.ACK | netkit.api.wire.TcpHeader.PSH;
        peer.send(40001, 81, 1000, 0, netkit.api.wire.TcpHeader.SYN, 65535, new byte[] {2, 4, 5, (byte) 180, 1, 1, 4, 2},
                0);
        h.run(ms(20));
        peer.send(40001, 81, 1001, isn[0] + 1, netkit.api.wire.TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(ms(20));
        h.b.accept(l);
        peer.send(40001, 81, 1001, isn[0] + 1, flags, 65535, new byte[0], 1000); // [0, 1000)
        peer.send(40001, 81, 1001, isn[0] + 1, flags, 65535, new byte[0], 1000); // [0, 1000) again
        h.run(ms(20));
        long[] last = acks.get(acks.size() - 1);
        assertEquals(java.util.List.of(1000L, 0L, 1000L), java.util.Arrays.stream(last).boxed().toList(),
                "ACK 1000 with the D-SACK [0, 1000)");
        peer.send(40001, 81, 3001, isn[0] + 1, flags, 65535, new byte[0], 1000); // [2000, 3000): out of order
        h.run(ms(20));
        peer.send(40001, 81, 3001, isn[0] + 1, flags, 65535, new byte[0], 1000); // again
        h.run(ms(20));
        last = acks.get(acks.size() - 1);
        assertEquals(java.util.List.of(1000L, 2000L, 3000L, 2000L, 3000L), java.util.Arrays.stream(last).boxed().toList(),
                "the D-SACK, then the block holding it (RFC 2883 §4.1.2)");
        peer.send(40001, 81, 4001, isn[0] + 1, flags, 65535, new byte[0], 1000); // [3000, 4000): new, in order of the block
        h.run(ms(20));
        last = acks.get(acks.size() - 1);
        assertEquals(java.util.List.of(1000L, 2000L, 4000L), java.util.Arrays.stream(last).boxed().toList(),
                "the D-SACK was reported once");
    }
}
