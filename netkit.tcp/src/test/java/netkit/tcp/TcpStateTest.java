package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/** Connection establishment and release, every path of RFC 9293 §3.5-3.6, on simulated time. */
class TcpStateTest {
    private static String state(TcpHarness h, int stack, int token) {
        for (SocketStatus s : h.stack(stack).admin().sockets()) {
            if (s.token() == token) {
                return s.state();
            }
        }
        return "GONE";
    }

    @Test
    void noListenerMeansRstAndEconnrefused() throws Exception {
        TcpHarness h = new TcpHarness();
        int c = h.connect(81);
        assertEquals(Errno.ECONNREFUSED.number(), h.awaitConnect(c, Duration.ofSeconds(1)));
        assertEquals(1, h.counter(1, TcpCounter.OUT_RSTS));
        assertEquals(Errno.EPIPE, errno(() -> h.a.send(c, new byte[1], 0, 1, 0)), "after SO_ERROR took the error");
    }

    /** RFC 9293 MUST-23: R2 for a SYN is at least 3 minutes. */
    @Test
    void unansweredSynsTimeOutAfterMoreThanThreeMinutes() throws Exception {
        TcpHarness h = new TcpHarness();
        h.net.hub.segment("lan").filter((port, frame) -> frame.length() < 60 && false || isArp(frame));
        int c = h.connect(80);
        h.run(Duration.ofSeconds(180));
        assertEquals("SYN_SENT", state(h, 0, c), "still trying after 3 minutes");
        assertEquals(Errno.ETIMEDOUT.number(), h.awaitConnect(c, Duration.ofSeconds(80)));
        assertEquals(247, h.net.loop.nanoTime() / 1_000_000_000L, "1+2+...+64 s of SYN retransmits, then 120 s (RTO max)");
    }

    static boolean isArp(netkit.api.buffer.PacketBuffer f) {
        return (f.array()[f.offset() + 12] & 0xff) == 0x08 && (f.array()[f.offset() + 13] & 0xff) == 0x06;
    }

    @Test
    void connectErrorsAndAcceptSocketsCannotBind() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 4);
        int c = h.connect(80);
        assertEquals(Errno.EALREADY, errno(() -> h.a.connect(c, TcpHarness.addr(1, 80))));
        h.awaitConnect(c, Duration.ofSeconds(1));
        assertEquals(Errno.EISCONN, errno(() -> h.a.connect(c, TcpHarness.addr(1, 80))));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> h.b.connect(l, TcpHarness.addr(0, 1))));
        h.run(Duration.ofMillis(5));
        int s = h.b.accept(l).token();
        assertEquals(Errno.EINVAL, errno(() -> h.b.bind(s, SockAddr.of(0, 1234))), "accept sockets are bound");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.accept(l)));
        int unbound = h.b.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(Errno.EDESTADDRREQ, errno(() -> h.b.listen(unbound, 1)));
        assertEquals(Errno.ENETUNREACH, errno(() -> h.a.connect(h.a.socket(AF_INET, SOCK_STREAM, 0),
                SockAddr.of("192.168.3.3", 80))));
        assertEquals(TcpHarness.addr(0, h.a.getsockname(c).port()), h.b.getpeername(s));
    }

    @Test
    void backlogRefusesBeyondTheAcceptanceCountAndClosingFreesASlot() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 2);
        int c1 = h.connect(80);
        int c2 = h.connect(80);
        h.run(Duration.ofMillis(10));
        int c3 = h.connect(80);
        assertEquals(0, h.awaitConnect(c1, Duration.ofSeconds(1)));
        assertEquals(0, h.awaitConnect(c2, Duration.ofSeconds(1)));
        assertEquals(Errno.ECONNREFUSED.number(), h.awaitConnect(c3, Duration.ofSeconds(1)), "refused, not dropped");
        int s1 = h.b.accept(l).token();
        int c4 = h.connect(80);
        assertEquals(Errno.ECONNREFUSED.number(), h.awaitConnect(c4, Duration.ofSeconds(1)),
                "an accepted socket still holds its slot");
        h.b.closesocket(s1);
        int c5 = h.connect(80);
        assertEquals(0, h.awaitConnect(c5, Duration.ofSeconds(1)), "closing it freed the slot");
        assertTrue(h.counter(1, TcpCounter.LISTEN_OVERFLOWS) >= 2);
    }

    @Test
    void halfCloseKeepsTheOtherDirectionOpen() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.shutdown(p[0], Net.SHUT_WR);
        h.run(Duration.ofMillis(10));
        assertEquals(0, h.b.recv(p[1], new byte[8], 0, 8, Net.MSG_DONTWAIT), "EOF for the server");
        assertEquals("FIN_WAIT_2", state(h, 0, p[0]));
        assertEquals("CLOSE_WAIT", state(h, 1, p[1]));
        assertEquals(Errno.EPIPE, errno(() -> h.a.send(p[0], new byte[1], 0, 1, 0)));
        byte[] reply = "still talking".getBytes();
        h.b.send(p[1], reply, 0, reply.length, 0);
        h.run(Duration.ofMillis(10));
        byte[] buf = new byte[32];
        assertEquals(reply.length, h.a.recv(p[0], buf, 0, 32, Net.MSG_DONTWAIT));
        h.b.closesocket(p[1]);
        h.run(Duration.ofMillis(10));
        assertEquals(0, h.a.recv(p[0], buf, 0, 32, Net.MSG_DONTWAIT));
        assertEquals("TIME_WAIT", state(h, 0, p[0]));
        h.run(Duration.ofSeconds(61));
        assertEquals("CLOSED", state(h, 0, p[0]), "2·MSL later the connection is gone");
    }

    @Test
    void simultaneousCloseGoesThroughClosing() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.shutdown(p[0], Net.SHUT_WR);
        h.b.shutdown(p[1], Net.SHUT_WR);
        assertEquals("FIN_WAIT_1", state(h, 0, p[0]));
        h.run(Duration.ofMillis(10));
        assertEquals("TIME_WAIT", state(h, 0, p[0]));
        assertEquals("TIME_WAIT", state(h, 1, p[1]));
    }

    @Test
    void simultaneousOpenEstablishesBothEnds() throws Exception {
        TcpHarness h = new TcpHarness();
        int x = h.a.socket(AF_INET, SOCK_STREAM, 0);
        int y = h.b.socket(AF_INET, SOCK_STREAM, 0);
        h.a.setsockopt(x, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(y, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.bind(x, SockAddr.of(0, 7000));
        h.b.bind(y, SockAddr.of(0, 7001));
        h.run(Duration.ofMillis(1));
        h.net.hub.segment("lan").impairment(new netkit.api.spi.impair.Impairment(0, 0, 0, 0, 1000, 0, 0, 1));
        errno(() -> h.a.connect(x, TcpHarness.addr(1, 7001)));
        errno(() -> h.b.connect(y, TcpHarness.addr(0, 7000)));
        h.run(Duration.ofMillis(50));
        assertEquals("ESTABLISHED", state(h, 0, x));
        assertEquals("ESTABLISHED", state(h, 1, y));
        h.a.send(x, new byte[] {42}, 0, 1, 0);
        h.run(Duration.ofMillis(10));
        byte[] b = new byte[1];
        assertEquals(1, h.b.recv(y, b, 0, 1, Net.MSG_DONTWAIT));
        assertEquals(42, b[0]);
    }

    @Test
    void timeWaitHoldsThePortUnlessSoReuseaddr() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 4);
        int c = h.a.socket(AF_INET, SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.bind(c, SockAddr.of(0, 40000));
        errno(() -> h.a.connect(c, TcpHarness.addr(1, 80)));
        h.awaitConnect(c, Duration.ofSeconds(1));
        h.run(Duration.ofMillis(5));
        int s = h.b.accept(l).token();
        h.a.closesocket(c); // active close: the client ends in TIME_WAIT
        h.run(Duration.ofMillis(10));
        h.b.closesocket(s);
        h.run(Duration.ofMillis(10));
        int again = h.a.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(Errno.EADDRINUSE, errno(() -> h.a.bind(again, SockAddr.of(0, 40000))));
        h.a.setsockopt(again, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        h.a.bind(again, SockAddr.of(0, 40000));
        int third = h.a.socket(AF_INET, SOCK_STREAM, 0);
        h.a.closesocket(again);
        h.run(Duration.ofSeconds(61));
        h.a.bind(third, SockAddr.of(0, 40000)); // TIME_WAIT is over
    }

    @Test
    void lingerZeroAbortsWithRst() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_LINGER, 0);
        h.a.closesocket(p[0]);
        h.run(Duration.ofMillis(10));
        assertEquals(Errno.ECONNRESET, errno(() -> h.b.recv(p[1], new byte[4], 0, 4, Net.MSG_DONTWAIT)));
        assertEquals(0, h.b.recv(p[1], new byte[4], 0, 4, Net.MSG_DONTWAIT), "reported once, then EOF");
        assertEquals(Errno.EPIPE, errno(() -> h.b.send(p[1], new byte[4], 0, 4, 0)));
    }

    @Test
    void closingWithUnreadDataResets() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.send(p[0], new byte[100], 0, 100, 0);
        h.run(Duration.ofMillis(10));
        h.b.closesocket(p[1]);
        h.run(Duration.ofMillis(10));
        assertEquals(Errno.ECONNRESET.number(), h.a.getsockopt(p[0], Net.SOL_SOCKET, Net.SO_ERROR));
    }

    @Test
    void rstMustMatchExactlyOrItGetsAChallengeAck() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().challengeAcksPerSecond(3).build());
        int[] p = h.pair(80);
        WireTap tap = new WireTap(h);
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(10));
        byte[] seg = tap.lastTcpFrom(0);
        for (int i = 0; i < 10; i++) {
            tap.inject(WireTap.asRst(seg, 5000)); // in the window but 5000 bytes off
        }
        h.run(Duration.ofMillis(10));
        assertEquals(3, h.counter(1, TcpCounter.CHALLENGE_ACKS));
        assertEquals(7, h.counter(1, TcpCounter.CHALLENGE_ACKS_LIMITED));
        assertEquals("ESTABLISHED", state(h, 1, p[1]), "a blind RST does not kill the connection");
        tap.inject(WireTap.asRst(seg, 10)); // exactly RCV.NXT: accepted
        h.run(Duration.ofMillis(10));
        assertEquals(Errno.ECONNRESET.number(), h.b.getsockopt(p[1], Net.SOL_SOCKET, Net.SO_ERROR));
    }

    /**
     * A duplicate ACK overtaken by a later one (older TSval, same cumulative ACK, no window update)
     * is not dropped by PAWS (Linux's {@code tcp_disordered_ack}): its SACK blocks, and a D-SACK it
     * may carry only once, count.
     */
    @Test
    void aReorderedDuplicateAckPassesPaws() throws Exception {
        TcpHarness h = new TcpHarness();
        h.net.hub.segment("lan").impairment(new netkit.api.spi.impair.Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
        ScriptedReceiver r = new ScriptedReceiver(h, 80, true, 65535, true);
        TcpConnection c = h.instance(1).connections.all().stream().filter(x -> x.state == TcpState.ESTABLISHED)
                .findFirst().orElseThrow();
        int mss = c.mss;
        r.write(3 * mss);
        r.awaitSegments(3, Duration.ofMillis(100));
        int ecr = r.segs.get(0).tsVal();
        int late = r.lastTsVal() + 1;
        r.ackTs(late + 1, ecr, 0, 2 * mss, 3 * mss); // sent second, arrives first
        r.ackTs(late, ecr, 0, mss, 2 * mss);
        h.run(Duration.ofMillis(7)); // 5 ms on the wire
        assertEquals(0, h.counter(1, TcpCounter.PAWS_REJECTED), "the overtaken duplicate ACK is taken");
        assertEquals(2L * mss, c.recovery.sackedBytes(), "both SACK blocks count");
    }

    /**
     * Old data that PAWS rejects (a segment received before, arriving again with an old TSval) is
     * reported as a D-SACK (Linux's {@code tcp_send_dupack}), so a sender whose retransmission came
     * first still learns the original arrived too.
     */
    @Test
    void oldDataRejectedByPawsIsReportedAsADsack() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        WireTap tap = new WireTap(h);
        h.a.send(p[0], "first".getBytes(), 0, 5, 0);
        h.run(Duration.ofMillis(20));
        byte[] old = tap.lastTcpFrom(0);
        h.run(Duration.ofSeconds(2));
        h.a.send(p[0], "second".getBytes(), 0, 6, 0);
        h.run(Duration.ofMillis(20));
        tap.inject(old);
        h.run(Duration.ofMillis(20));
        assertEquals(1, h.counter(1, TcpCounter.PAWS_REJECTED));
        assertEquals(1, h.counter(0, TcpCounter.DSACK_RECV), "the duplicate reported below the cumulative ACK");
    }

    @Test
    void pawsDropsOldDuplicates() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        WireTap tap = new WireTap(h);
        h.a.send(p[0], "first".getBytes(), 0, 5, 0);
        h.run(Duration.ofMillis(10));
        byte[] old = tap.lastTcpFrom(0);
        h.run(Duration.ofSeconds(2));
        h.a.send(p[0], "second".getBytes(), 0, 6, 0);
        h.run(Duration.ofMillis(10));
        tap.inject(old);
        h.run(Duration.ofMillis(10));
        assertEquals(1, h.counter(1, TcpCounter.PAWS_REJECTED));
        byte[] buf = new byte[32];
        assertEquals(11, h.b.recv(p[1], buf, 0, 32, Net.MSG_DONTWAIT));
        assertArrayEquals("firstsecond".getBytes(), java.util.Arrays.copyOf(buf, 11));
    }

    @Test
    void optionsAreNegotiated() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        SocketStatus s = h.stack(0).admin().sockets().get(0);
        assertEquals(1448, s.tcpInfo().sndMss(), "1500 − 40 − 12 bytes of timestamps");
        assertTrue(s.tcpInfo().timestampsOk());
        assertTrue(s.tcpInfo().sackOk());
        assertTrue(s.tcpInfo().windowScaleOk());
        assertEquals("cubic", s.tcpInfo().congestionControl());
        assertEquals(1448, h.a.getsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_MAXSEG));
    }
}
