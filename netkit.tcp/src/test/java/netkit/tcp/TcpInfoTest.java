package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.TcpInfo;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * {@code SocketManager.tcpInfo}, netkit's {@code TCP_INFO} (#12): the figures after a transfer with
 * losses on the simulated wire, and the errors.
 */
class TcpInfoTest {
    private static final int DELAY_MICROS = 5000; // each way: a 10 ms round trip

    @Test
    void aTransferWithLossesIsCountedExactly() throws Exception {
        TcpHarness h = new TcpHarness();
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, DELAY_MICROS, 0, 0, 1));
        int[] p = h.pair(80);
        h.net.hub.segment("lan").filter(TcpLossRecoveryTest.droppingDataSegments(Set.of(30, 31, 100)));
        byte[] data = new byte[1 << 20];
        new Random(12).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(60), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        h.run(Duration.ofSeconds(1)); // nothing left in flight, no delayed ACK pending
        TcpInfo a = h.a.tcpInfo(p[0]);
        TcpInfo b = h.b.tcpInfo(p[1]);

        assertEquals("FIN_WAIT_2", a.state());
        assertEquals("CLOSE_WAIT", b.state());
        assertEquals("cubic", a.congestionControl());
        assertTrue(a.sackOk() && a.timestampsOk() && a.windowScaleOk(), a.toString());
        assertEquals(b.rcvWscale(), a.sndWscale(), "each end's shift as the other sees it");
        assertEquals(1448, a.sndMss());
        assertEquals(1448, a.advMss(), "1460 announced, less 12 bytes of timestamps");
        assertEquals(1500, a.pmtu());
        // losses: the three dropped segments were resent (and nothing else was lost)
        assertEquals(h.counter(0, TcpCounter.RETRANS_SEGS), a.totalRetrans(), "the stack's RetransSegs: one connection");
        assertEquals(3, a.totalRetrans(), "each dropped segment resent once: " + a);
        assertEquals(3 * 1448, a.bytesRetrans());
        assertEquals(data.length + a.bytesRetrans(), a.bytesSent(), "every byte once, the resent ones again");
        assertEquals(0, a.retransmits(), "no timeout outstanding");
        assertEquals(0, a.backoff());
        assertEquals(0, a.lostBytes());
        assertEquals(0, a.sackedBytes());
        assertEquals(0, a.notSentBytes());
        // exact byte counts, SYN and FIN not counted
        assertEquals(data.length, a.bytesAcked());
        assertEquals(data.length, b.bytesReceived());
        assertEquals(0, a.bytesReceived());
        assertEquals(0, b.bytesAcked());
        // segments: every one A sent reached B but the three dropped; every one B sent reached A
        assertEquals(a.segsOut() - 3, b.segsIn());
        assertEquals(b.segsOut(), a.segsIn());
        assertEquals(a.dataSegsOut() - 3, b.dataSegsIn());
        assertEquals(0, a.dataSegsIn());
        assertEquals(0, b.dataSegsOut());
        assertTrue(a.dataSegsOut() >= data.length / 1448, a.toString());
        // the path: 10 ms round trip; the RTO floor is 200 ms
        assertTrue(a.rttMicros() >= 2 * DELAY_MICROS && a.rttMicros() < 3 * DELAY_MICROS, "srtt " + a.rttMicros());
        assertTrue(a.rttVarMicros() >= 0 && a.rttVarMicros() < 2 * DELAY_MICROS, "rttvar " + a.rttVarMicros());
        assertEquals(200_000, a.rtoMicros());
        assertEquals(40_000, a.atoMicros());
        // congestion control: the losses ended slow start
        assertNotEquals(Long.MAX_VALUE, a.sndSsthreshBytes(), "a loss set ssthresh");
        assertTrue(a.sndSsthreshBytes() >= 2 * 1448 && a.sndCwndBytes() >= 2 * 1448, a.toString());
        assertTrue(a.sndWndBytes() > 0 && b.rcvWndBytes() > 0);
        // ages: one second of quiet after the transfer
        assertTrue(a.lastDataSentMillis() >= 1000 && a.lastDataSentMillis() < 2000, a.toString());
        assertEquals(-1, a.lastDataRecvMillis(), "A never received data");
        assertTrue(a.lastAckRecvMillis() >= 990 && a.lastAckRecvMillis() < a.lastDataSentMillis(), a.toString());
        assertTrue(b.lastDataRecvMillis() >= 990 && b.lastDataRecvMillis() < a.lastDataSentMillis(), b.toString());
        assertEquals(-1, b.lastDataSentMillis(), "B never sent data");
        // the admin's netstat row carries the same record
        SocketStatus row = h.stack(0).admin().sockets().stream().filter(s -> s.token() == p[0]).findFirst()
                .orElseThrow();
        assertEquals(a, row.tcpInfo());
    }

    /** A socket without a connection, another protocol's socket and a bad token. */
    @Test
    void errors() throws Exception {
        TcpHarness h = new TcpHarness();
        int fresh = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(Errno.ENOTCONN, errno(() -> h.a.tcpInfo(fresh)));
        int l = h.listen(80, 4);
        assertEquals(Errno.ENOTCONN, errno(() -> h.b.tcpInfo(l)), "a listener has no connection");
        int icmp = h.a.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        assertEquals(Errno.EOPNOTSUPP, errno(() -> h.a.tcpInfo(icmp)), "Linux: TCP_INFO on a datagram socket");
        assertEquals(Errno.EBADF, errno(() -> h.a.tcpInfo(4000)));
        assertEquals(Errno.EBADF, errno(() -> h.a.tcpInfo(-1)));
        h.a.closesocket(fresh);
        assertEquals(Errno.EBADF, errno(() -> h.a.tcpInfo(fresh)), "closed");
        assertEquals(Errno.EBADF, errno(() -> h.b.tcpInfo(icmp)), "another owner's token");
    }

    /** During the handshake and after a reset: the state, and the figures kept. */
    @Test
    void synSentAndAfterAReset() throws Exception {
        TcpHarness h = new TcpHarness();
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, DELAY_MICROS, 0, 0, 1));
        int c = h.connect(81); // nobody listens: B answers RST after 5 ms
        TcpInfo syn = h.a.tcpInfo(c);
        assertEquals("SYN_SENT", syn.state());
        assertEquals("", syn.congestionControl(), "chosen with the peer's SYN");
        assertEquals(1, syn.segsOut());
        assertEquals(1_000_000, syn.rtoMicros(), "RFC 6298 §2.1: 1 s before a sample");
        assertEquals(0, syn.rttMicros());
        assertEquals(-1, syn.lastAckRecvMillis());
        h.run(Duration.ofMillis(50));
        TcpInfo refused = h.a.tcpInfo(c);
        assertEquals("CLOSED", refused.state());
        assertEquals(1, refused.segsIn(), "the RST");
        assertFalse(refused.sackOk());
    }

    /** A timeout shows in retransmits and backoff until the ACK comes. */
    @Test
    void aTimeoutShowsAsRetransmitsAndBackoff() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        boolean[] drop = {true};
        h.net.hub.segment("lan").filter((port, frame) -> !drop[0] || (port.mac() & 0xff) != 0);
        assertEquals(100, h.a.send(p[0], new byte[100], 0, 100, 0));
        h.run(Duration.ofMillis(10));
        TcpInfo before = h.a.tcpInfo(p[0]);
        assertEquals(0, before.retransmits());
        assertEquals(100, before.bytesSent());
        h.run(Duration.ofMillis(700)); // the tail loss probe, then the RTO
        TcpInfo during = h.a.tcpInfo(p[0]);
        assertTrue(during.retransmits() >= 1 && during.backoff() >= 1, during.toString());
        assertTrue(during.rtoMicros() >= 400_000, "backed off: " + during);
        assertTrue(during.totalRetrans() >= 2, during.toString());
        assertEquals(100 * (1 + during.totalRetrans()), during.bytesSent(), during.toString());
        assertEquals(100 * during.totalRetrans(), during.bytesRetrans());
        assertEquals(0, during.bytesAcked());
        drop[0] = false;
        h.run(Duration.ofSeconds(3));
        TcpInfo after = h.a.tcpInfo(p[0]);
        assertEquals(0, after.retransmits());
        assertEquals(100, after.bytesAcked());
        assertEquals(100, h.b.tcpInfo(p[1]).bytesReceived());
    }
}
