package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Net;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/** Hostile peers (issue #10): every remote input bounded, nothing wedges. */
class TcpHardeningTest {

    /**
     * CVE-2019-11479: a peer announcing MSS 1 must not make the sender emit empty segments without
     * end. The peer's MSS is raised to Linux's {@code tcp_min_snd_mss} (48), so each segment
     * carries at least 8 bytes whatever the options.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1, false", "12, true"})
    void tinyMssIsClampedAndEverySegmentMakesProgress(int mss, boolean timestamps) throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 16);
        RawPeer peer = new RawPeer(h);
        int[] fromB = {0};
        h.net.hub.segment("lan").filter((port, f) -> {
            if ((port.mac() & 0xff) == 1 && f.length() > 34 && (f.array()[f.offset() + 23] & 0xff) == 6
                    && ++fromB[0] > 100_000) {
                throw new AssertionError("the sender spins: over 100000 segments");
            }
            return true;
        });
        long[] isn = {-1};
        long[] next = {1001};
        int[] dataSegments = {0};
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        peer.onSegment = s -> {
            int flags = s[13] & 0x3f;
            int seq = Bytes.get32(s, 4);
            int hl = ((s[12] & 0xff) >>> 4) * 4;
            int len = s.length - hl;
            if ((flags & TcpHeader.SYN) != 0) {
                isn[0] = seq & 0xffffffffL;
                return;
            }
            if (len > 0) {
                dataSegments[0]++;
                if (seq == (int) (isn[0] + 1 + got.size())) {
                    got.write(s, hl, len);
                }
                peer.send(40000, 80, (int) next[0], (int) (isn[0] + 1 + got.size()), TcpHeader.ACK, 65535,
                        timestamps ? RawPeer.timestamps(2, 0) : new byte[0], 0);
            }
        };
        byte[] synOptions = RawPeer.mss(mss);
        if (timestamps) {
            synOptions = java.util.Arrays.copyOf(synOptions, 16);
            System.arraycopy(RawPeer.timestamps(1, 0), 0, synOptions, 4, 12);
        }
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, synOptions, 0);
        h.run(Duration.ofMillis(50));
        assertTrue(isn[0] >= 0, "SYN-ACK");
        peer.send(40000, 80, 1001, (int) (isn[0] + 1), TcpHeader.ACK, 65535,
                timestamps ? RawPeer.timestamps(2, 0) : new byte[0], 0);
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        byte[] data = new byte[4000];
        new java.util.Random(1).nextBytes(data);
        assertEquals(data.length, h.b.send(s, data, 0, data.length, Net.MSG_DONTWAIT));
        h.run(Duration.ofSeconds(5));
        assertArrayEquals(data, got.toByteArray(), "all data delivered in small segments");
        assertTrue(dataSegments[0] <= data.length / 8 + 16, "at least 8 bytes a segment: " + dataSegments[0]);
        assertTrue(fromB[0] <= data.length / 8 + 32, "no empty segments in between: " + fromB[0]);
        // The stack still serves another connection.
        int[] p = h.pair(81);
        byte[] other = new byte[100_000];
        assertArrayEquals(other, h.transfer(h.a, p[0], h.b, p[1], other, Duration.ofSeconds(10)));
    }

    /**
     * A copy of captured frame {@code f} with its sequence number moved by {@code seqDelta}, its
     * timestamp value by {@code tsDelta} and {@code dataLen} bytes of data in place of its own.
     */
    private static byte[] spoof(byte[] f, int seqDelta, int tsDelta, int dataLen) {
        int hl = ((f[46] & 0xff) >>> 4) * 4;
        byte[] g = java.util.Arrays.copyOf(f, 34 + hl + dataLen);
        Bytes.put16(g, 16, 20 + hl + dataLen);
        Bytes.put16(g, 24, 0);
        Bytes.put16(g, 24, netkit.api.wire.Checksum.of(g, 14, 20));
        Bytes.put32(g, 38, Bytes.get32(g, 38) + seqDelta);
        for (int i = 54; i < 34 + hl && g[i] != 0;) {
            if (g[i] == 1) {
                i++;
                continue;
            }
            if (g[i] == 8) {
                Bytes.put32(g, i + 2, Bytes.get32(g, i + 2) + tsDelta);
            }
            i += g[i + 1] & 0xff;
        }
        TcpHeader.checksum(g, 34, hl + dataLen, Bytes.get32(g, 26), Bytes.get32(g, 30));
        return g;
    }

    /** Counts the TCP frames on the wire from now on; fails fast (no endless run) beyond 10000. */
    private static int[] countTcpFrames(TcpHarness h) {
        int[] n = {0};
        h.net.hub.segment("lan").filter((port, f) -> {
            if (f.length() > 34 && (f.array()[f.offset() + 23] & 0xff) == 6 && ++n[0] > 10_000) {
                throw new AssertionError("ACK storm: over 10000 segments");
            }
            return true;
        });
        return n;
    }

    /**
     * A desynchronizing injection (RFC 5961 §10): 100 spoofed bytes in B's window make B acknowledge
     * data A never sent; A answers that ACK with one B finds out of window, and so on. Linux's
     * {@code tcp_invalid_ratelimit} bounds the duplicate ACKs for unacceptable segments.
     */
    @Test
    void spoofedInWindowDataStartsNoAckStorm() throws Exception {
        TcpHarness h = new TcpHarness();
        WireTap tap = new WireTap(h);
        int[] p = h.pair(80);
        h.a.send(p[0], new byte[1], 0, 1, 0);
        h.run(Duration.ofSeconds(1));
        byte[] data = tap.lastTcpFrom(0); // A's 1-byte segment
        int[] frames = countTcpFrames(h);
        tap.inject(spoof(data, 1, 0, 100));
        h.run(Duration.ofSeconds(10));
        assertTrue(frames[0] < 50, "segments in 10 s: " + frames[0]);
        assertTrue(h.counter(1, TcpCounter.ACK_SKIPPED_SEQ) + h.counter(0, TcpCounter.ACK_SKIPPED_SEQ) > 0);
    }

    /**
     * The PAWS variant: a spoofed future timestamp taken by both ends makes each reject the other's
     * segments (RFC 7323 §5.3) and answer with a duplicate ACK, which the other rejects in turn.
     */
    @Test
    void spoofedTimestampsStartNoPawsAckStorm() throws Exception {
        TcpHarness h = new TcpHarness();
        WireTap tap = new WireTap(h);
        int[] p = h.pair(80);
        h.a.send(p[0], new byte[1], 0, 1, 0);
        h.run(Duration.ofSeconds(1));
        byte[] fromA = tap.lastTcpFrom(0); // A's 1-byte segment
        byte[] fromB = tap.lastTcpFrom(1); // B's ACK of it
        int[] frames = countTcpFrames(h);
        tap.inject(spoof(fromA, 1, 1 << 30, 0));
        tap.inject(spoof(fromB, 0, 1 << 30, 0));
        h.run(Duration.ofMillis(100));
        h.a.send(p[0], new byte[1], 0, 1, 0);
        h.run(Duration.ofSeconds(10));
        assertTrue(frames[0] < 50, "segments in 10 s: " + frames[0]);
        assertTrue(h.counter(0, TcpCounter.ACK_SKIPPED_PAWS) + h.counter(1, TcpCounter.ACK_SKIPPED_PAWS) > 0);
    }

    /**
     * CVE-2016-5696: with one challenge-ACK budget for the whole stack, an off-path attacker who
     * spends it and counts the challenge ACKs left learns whether a 4-tuple is in use. Each
     * connection has its own budget, so one connection's RSTs do not change what another sends.
     */
    @Test
    void challengeAckBudgetIsPerConnection() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().challengeAcksPerSecond(3).build());
        int[] p1 = h.pair(80);
        int[] p2 = h.pair(81);
        WireTap tap = new WireTap(h);
        h.a.send(p1[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(10));
        byte[] seg1 = tap.lastTcpFrom(0);
        h.a.send(p2[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(10));
        byte[] seg2 = tap.lastTcpFrom(0);
        for (int i = 0; i < 10; i++) {
            tap.inject(WireTap.asRst(seg1, 5000)); // in the window but not exact: challenge ACK
        }
        h.run(Duration.ofMillis(10));
        assertEquals(3, h.counter(1, TcpCounter.CHALLENGE_ACKS));
        assertEquals(7, h.counter(1, TcpCounter.CHALLENGE_ACKS_LIMITED));
        for (int i = 0; i < 2; i++) {
            tap.inject(WireTap.asRst(seg2, 5000));
        }
        h.run(Duration.ofMillis(10));
        assertEquals(5, h.counter(1, TcpCounter.CHALLENGE_ACKS), "the other connection's budget is untouched");
        assertEquals(7, h.counter(1, TcpCounter.CHALLENGE_ACKS_LIMITED));
    }

    /**
     * Opens a connection from A's {@code localPort} to B:80, aborts it with RST (no TIME_WAIT), and
     * returns the offset of A's timestamp clock in its SYN: TSval minus the loop's milliseconds.
     */
    private static long synTimestampOffset(TcpHarness h, int listener, int localPort) throws Exception {
        long[] offset = {Long.MIN_VALUE};
        h.net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) == 0 && f.length() > 54 && (a[o + 23] & 0xff) == 6
                    && (a[o + 47] & 0x3f) == TcpHeader.SYN) {
                int hl = ((a[o + 46] & 0xff) >>> 4) * 4;
                for (int i = o + 54; i < o + 34 + hl && a[i] != 0;) {
                    if (a[i] == 1) {
                        i++;
                        continue;
                    }
                    if (a[i] == 8) {
                        offset[0] = Bytes.get32(a, i + 2) - (int) (h.net.loop.nanoTime() / 1_000_000L);
                    }
                    i += a[i + 1] & 0xff;
                }
            }
            return true;
        });
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.bind(c, netkit.api.SockAddr.of(0, localPort));
        try {
            h.a.connect(c, TcpHarness.addr(1, 80));
        } catch (netkit.api.ErrnoException e) {
            assertEquals(netkit.api.Errno.EINPROGRESS, e.errno());
        }
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        h.b.closesocket(h.b.accept(listener).token());
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_LINGER, 0);
        h.a.closesocket(c);
        h.run(Duration.ofMillis(100));
        h.net.hub.segment("lan").filter(null);
        assertTrue(offset[0] != Long.MIN_VALUE, "the SYN carries timestamps");
        return offset[0];
    }

    /**
     * RFC 7323 §5.4: the timestamp clock's offset is the ISN function of RFC 6528 under its own key,
     * a keyed hash of the 4-tuple: the same 4-tuple gets the same offset again (so PAWS holds across
     * incarnations), another 4-tuple an unrelated one.
     */
    @Test
    void timestampOffsetIsAKeyedHashOfTheFourTuple() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 16);
        long first = synTimestampOffset(h, l, 40000);
        h.run(Duration.ofSeconds(3));
        long again = synTimestampOffset(h, l, 40000);
        long other = synTimestampOffset(h, l, 40001);
        assertEquals(first, again, "same 4-tuple, same key: same offset");
        assertTrue(first != other, "another 4-tuple: another offset");
    }
}
