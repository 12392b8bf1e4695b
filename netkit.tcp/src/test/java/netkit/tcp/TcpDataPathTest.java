package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/** Timers, windows and loss recovery on simulated time. */
class TcpDataPathTest {
    private static SocketStatus row(TcpHarness h, int stack, int token) {
        return h.stack(stack).admin().sockets().stream().filter(s -> s.token() == token).findFirst().orElseThrow();
    }

    /** Drops TCP data segments from stack 0 whose ordinal (1-based, first transmissions counted) is in {@code drop}. */
    private static void dropDataSegments(TcpHarness h, Set<Integer> drop) {
        int[] n = {0};
        Set<Long> seen = new HashSet<>();
        h.net.hub.segment("lan").filter((port, f) -> {
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
        });
    }

    @Test
    void keepaliveDetectsAVanishedPeer() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_KEEPALIVE, 1);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_KEEPIDLE, 10);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_KEEPINTVL, 2);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_KEEPCNT, 3);
        h.run(Duration.ofSeconds(30));
        assertEquals("ESTABLISHED", row(h, 0, p[0]).state(), "answered probes keep it alive");
        h.net.hub.segment("lan").filter((port, f) -> false);
        h.run(Duration.ofSeconds(10 + 3 * 2 + 1));
        assertEquals(Errno.ETIMEDOUT.number(), h.a.getsockopt(p[0], Net.SOL_SOCKET, Net.SO_ERROR));
    }

    @Test
    void zeroWindowIsProbedAndTheTransferResumes() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.b.socket(AF_INET, SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVBUF, 8192); // inherited by the accept socket
        h.b.bind(l, SockAddr.of(0, 80));
        h.b.listen(l, 4);
        int c = h.connect(80);
        h.awaitConnect(c, Duration.ofSeconds(1));
        h.run(Duration.ofMillis(5));
        int s = h.b.accept(l).token();
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        int sent = h.a.send(c, data, 0, data.length, Net.MSG_DONTWAIT);
        h.run(Duration.ofSeconds(120));
        SocketStatus client = row(h, 0, c);
        assertEquals(0, client.tcpInfo().sndWndBytes(), "the receiver's window is closed");
        assertEquals("ESTABLISHED", client.state(), "probes keep the connection alive");
        assertEquals(8192, row(h, 1, s).recvQ());
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        TcpHarness.Flow drain = h.new Flow(h.a, c, h.b, s, data);
        drain.sent = sent;
        h.pump(Duration.ofMinutes(5), drain);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(drain.got.toByteArray()));
    }

    @Test
    void nagleCoalescesSmallWritesAndNodelayDoesNot() throws Exception {
        for (boolean nodelay : new boolean[] {false, true}) {
            TcpHarness h = new TcpHarness(TcpSettings.defaults());
            h.net.hub.segment("lan").impairment(new netkit.api.spi.impair.Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
            int[] p = h.pair(80);
            WireTap tap = new WireTap(h);
            h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_NODELAY, nodelay ? 1 : 0);
            for (int i = 0; i < 10; i++) {
                h.a.send(p[0], new byte[] {(byte) i}, 0, 1, 0);
            }
            h.run(Duration.ofMillis(30));
            assertEquals(nodelay ? 10 : 1, tap.dataSegmentsFrom(0), "TCP_NODELAY " + nodelay + " before the ACK");
            h.run(Duration.ofMillis(70));
            // Nagle holds the 9 later bytes until the first is ACKed, and that ACK is delayed (40 ms).
            assertEquals(nodelay ? 10 : 2, tap.dataSegmentsFrom(0), "TCP_NODELAY " + nodelay);
            h.run(Duration.ofMillis(300));
            assertEquals(nodelay ? 10 : 2, tap.dataSegmentsFrom(0), "TCP_NODELAY " + nodelay);
            byte[] b = new byte[16];
            assertEquals(10, h.b.recv(p[1], b, 0, 16, Net.MSG_DONTWAIT));
        }
    }

    @Test
    void aLoneSegmentIsAckedAfterTheDelayedAckTimeout() throws Exception {
        // A 200 ms delayed ACK (RFC 1122's bound) under a 1 s RTO floor, so no timeout interferes.
        TcpHarness h = new TcpHarness(TcpSettings.builder().delayedAck(200).rtoMin(1000).build());
        int[] p = h.pair(80);
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(150));
        assertEquals(10, row(h, 0, p[0]).sendQ(), "not yet acknowledged");
        h.run(Duration.ofMillis(60));
        assertEquals(0, row(h, 0, p[0]).sendQ(), "acknowledged within 200 ms");
        WireTap tap = new WireTap(h);
        h.a.send(p[0], new byte[2 * 1448], 0, 2 * 1448, 0); // two full segments: ACKed at once
        h.run(Duration.ofMillis(5));
        assertEquals(0, row(h, 0, p[0]).sendQ(), () -> "every second full-sized segment is ACKed at once\n"
                + tap.describe());
    }

    @Test
    void retransmissionTimeoutBacksOffExponentially() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.net.hub.segment("lan").filter((port, f) -> false);
        h.a.send(p[0], new byte[100], 0, 100, 0);
        long[] expected = {1, 2, 3, 4};
        long[] at = {300, 700, 1500, 3100}; // RTO 200 ms (the minimum), then 400, 800, 1600
        long before = h.counter(0, TcpCounter.RETRANS_SEGS);
        long now = 0;
        for (int i = 0; i < at.length; i++) {
            h.run(Duration.ofMillis(at[i] - now));
            now = at[i];
            assertEquals(expected[i], h.counter(0, TcpCounter.RETRANS_SEGS) - before, "at " + at[i] + " ms");
        }
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        dropDataSegments(h, Set.of(3));
        byte[] data = new byte[60_000];
        new Random(9).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(10), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        assertEquals(1, h.counter(0, TcpCounter.FAST_RETRANSMITS));
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS), "recovered without waiting for the RTO");
        assertEquals(1, h.counter(0, TcpCounter.RETRANS_SEGS));
    }

    @Test
    void sackRecoversSeveralHolesInOneWindow() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        dropDataSegments(h, Set.of(2, 4, 6, 8));
        byte[] data = new byte[100_000];
        new Random(10).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(10), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        assertEquals(1, h.counter(0, TcpCounter.FAST_RETRANSMITS), "one recovery episode for the window");
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS));
        assertEquals(4, h.counter(0, TcpCounter.RETRANS_SEGS), "exactly the four holes, nothing SACKed resent");
    }

    @Test
    void newRenoRecoversSeveralHolesWithoutSack() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().congestionControl("reno").build());
        // Strip SACK-permitted from SYNs on the wire: the connection falls back to NewReno.
        h.net.hub.segment("lan").filter((port, f) -> {
            stripSackPermitted(f);
            return true;
        });
        int[] p = h.pair(80);
        assertTrue(!row(h, 0, p[0]).tcpInfo().sackOk());
        dropDataSegments(h, Set.of(2, 5));
        byte[] data = new byte[80_000];
        new Random(11).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(10), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        assertEquals(0, h.counter(0, TcpCounter.TIMEOUTS), "partial ACKs retransmit the second hole (RFC 6582)");
    }

    private static void stripSackPermitted(PacketBuffer f) {
        byte[] a = f.array();
        int o = f.offset();
        if (f.length() < 54 || (a[o + 23] & 0xff) != 6 || (a[o + 47] & TcpHeader.SYN) == 0) {
            return;
        }
        int hl = ((a[o + 46] & 0xff) >>> 4) * 4;
        for (int i = o + 54; i < o + 34 + hl - 1; i++) {
            if (a[i] == 4 && a[i + 1] == 2) {
                a[i] = 1;
                a[i + 1] = 1; // two NOPs
                TcpHeader.checksum(a, o + 34, f.length() - 34, Bytes.get32(a, o + 26), Bytes.get32(a, o + 30));
                return;
            }
        }
    }

    @Test
    void synCookiesKeepServingUnderASynFlood() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().synQueue(8).synCookies(true).build());
        int l = h.listen(80, 16);
        WireTap tap = new WireTap(h);
        byte[] template = null;
        // A spoofed flood: SYNs from 10.0.0.50 (nobody) that never complete.
        for (int i = 0; i < 50; i++) {
            byte[] syn = new byte[54];
            netkit.api.wire.EthernetFrame.emit(syn, 0, 0x020000000101L, 0x02000000eeeeL, 0x0800);
            netkit.api.wire.Ipv4Packet.emit(syn, 14, 0, 40, i, 0, 64, 6, 0x0a000032, 0x0a000002);
            TcpHeader.emit(syn, 34, 20000 + i, 80, 1000 * i, 0, 20, TcpHeader.SYN, 65535);
            TcpHeader.checksum(syn, 34, 20, 0x0a000032, 0x0a000002);
            tap.inject(syn);
            template = syn;
        }
        h.run(Duration.ofMillis(10));
        assertTrue(h.counter(1, TcpCounter.SYN_COOKIES_SENT) >= 40, "beyond the SYN queue, cookies answer");
        int c = h.connect(80);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)), "a real client still gets in");
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        h.a.send(c, "hello".getBytes(), 0, 5, 0);
        h.run(Duration.ofMillis(300));
        byte[] buf = new byte[8];
        assertEquals(5, h.b.recv(s, buf, 0, 8, Net.MSG_DONTWAIT));
        assertEquals(1, h.counter(1, TcpCounter.SYN_COOKIES_RECV));
        assertTrue(template != null);
    }

    @Test
    void portUnreachableDuringSynSentRefuses() throws Exception {
        TcpHarness h = new TcpHarness();
        h.stack(1).removeProtocol(h.tcpB); // B answers TCP with ICMP protocol unreachable
        int c = h.connect(80);
        assertEquals(Errno.ECONNREFUSED.number(), h.awaitConnect(c, Duration.ofSeconds(5)));
    }

    @Test
    void sendBlocksWhenTheBufferIsFullInNonBlockingModeItSaysSo() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 4096);
        int total = 0;
        try {
            while (true) {
                total += h.a.send(p[0], new byte[1000], 0, 1000, Net.MSG_DONTWAIT);
            }
        } catch (ErrnoException e) {
            assertEquals(Errno.EWOULDBLOCK, e.errno());
        }
        assertTrue(total >= 4096 && total <= 5000, "filled the 4 KiB send buffer: " + total);
    }

    @Test
    void urgentDataIsInlineAndShowsInTheExceptionSet() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        // Mark the next data segment from A urgent on the wire (the API has no MSG_OOB sending).
        h.net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) == 0 && f.length() > 66 && (a[o + 23] & 0xff) == 6) {
                a[o + 47] |= TcpHeader.URG;
                Bytes.put16(a, o + 52, 4);
                TcpHeader.checksum(a, o + 34, f.length() - 34, Bytes.get32(a, o + 26), Bytes.get32(a, o + 30));
            }
            return true;
        });
        h.a.send(p[0], "URG!rest".getBytes(), 0, 8, 0);
        h.run(Duration.ofMillis(10));
        netkit.api.TokenSet ex = netkit.api.TokenSet.of(p[1]);
        assertEquals(1, h.b.select(null, null, ex, Duration.ZERO), "urgent data pending");
        byte[] buf = new byte[16];
        assertEquals(3, h.b.recv(p[1], buf, 0, 16, Net.MSG_DONTWAIT), "inline (RFC 6093), up to the mark (Linux)");
        assertEquals(5, h.b.recv(p[1], buf, 3, 13, Net.MSG_DONTWAIT), "the urgent byte in the stream");
        assertEquals("URG!rest", new String(buf, 0, 8));
        ex = netkit.api.TokenSet.of(p[1]);
        assertEquals(0, h.b.select(null, null, ex, Duration.ZERO), "read past the mark");
    }

    /**
     * MSG_OOB (RFC 6093, as Linux): the data goes inline with URG and an urgent pointer to the byte
     * after it; the receiver's select reports an exception until it has read that far.
     */
    @Test
    void msgOobSendsUrgentDataThatTheReceiverSees() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        WireTap tap = new WireTap(h);
        h.a.send(p[0], "head".getBytes(), 0, 4, 0);
        h.a.send(p[0], "URGENT".getBytes(), 0, 6, Net.MSG_OOB);
        h.run(Duration.ofMillis(50));
        java.util.List<byte[]> urgent = tap.tcpFrom(0).stream()
                .filter(f -> (WireTap.flags(f) & TcpHeader.URG) != 0).toList();
        assertTrue(!urgent.isEmpty(), "URG sent: " + tap.describe());
        byte[] f = urgent.get(0);
        long seq = Bytes.get32(f, 38) & 0xffffffffL;
        int pointer = Bytes.get16(f, 52);
        assertTrue(pointer > 0, "an urgent pointer");
        netkit.api.TokenSet ex = netkit.api.TokenSet.of(p[1]);
        assertEquals(1, h.b.select(null, null, ex, Duration.ZERO), "urgent data pending");
        byte[] buf = new byte[16];
        int n = 0;
        while (n < 10) {
            n += h.b.recv(p[1], buf, n, 16 - n, Net.MSG_DONTWAIT);
        }
        assertEquals("headURGENT", new String(buf, 0, 10), "inline");
        ex = netkit.api.TokenSet.of(p[1]);
        assertEquals(0, h.b.select(null, null, ex, Duration.ZERO), "read past the mark");
        assertTrue(seq + pointer >= 0, "pointer " + pointer);
    }

    @Test
    void globalMemoryPressureRefusesOutOfOrderDataAndIsReleased() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().memoryLimit(50_000).build());
        int[] p = h.pair(80);
        // Hold a hole open: every copy of the first data segment is lost until the check is done.
        long[] holeSeq = {-1};
        boolean[] holding = {true};
        h.net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            if ((port.mac() & 0xff) != 0 || f.length() <= 66 || (a[o + 23] & 0xff) != 6) {
                return true;
            }
            long seq = Bytes.get32(a, o + 38) & 0xffffffffL;
            if (holeSeq[0] < 0) {
                holeSeq[0] = seq;
            }
            return !(holding[0] && seq == holeSeq[0]);
        });
        byte[] data = new byte[120_000];
        new Random(12).nextBytes(data);
        h.a.send(p[0], data, 0, data.length, Net.MSG_DONTWAIT);
        h.run(Duration.ofMillis(100));
        long held = h.counter(1, TcpCounter.MEMORY_BYTES);
        assertTrue(held <= 50_000 + 2 * 2176, "out-of-order buffers stop at the bound: " + held);
        holding[0] = false;
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        f.sent = data.length;
        h.pump(Duration.ofSeconds(30), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()), "recovered by retransmission");
        h.a.closesocket(p[0]);
        h.b.closesocket(p[1]);
        h.run(Duration.ofSeconds(1));
        assertEquals(0, h.counter(0, TcpCounter.MEMORY_BYTES));
        assertEquals(0, h.counter(1, TcpCounter.MEMORY_BYTES));
    }
}
