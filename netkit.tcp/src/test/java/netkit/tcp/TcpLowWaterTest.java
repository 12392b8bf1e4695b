package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.TokenSet;
import netkit.stack.testing.BlockingCall;
import org.junit.jupiter.api.Test;

/**
 * SO_RCVLOWAT and SO_SNDLOWAT as Linux at default settings: the receive low-water mark holds back
 * select's read readiness and a blocking recv until that many bytes are there (or the end of the
 * stream, an error, a timeout); the send one is fixed at 1.
 */
class TcpLowWaterTest {
    private final TcpHarness h = new TcpHarness();

    private boolean readable(int s) throws Exception {
        return h.b.select(TokenSet.of(s), null, null, Duration.ZERO) == 1;
    }

    private void send(int s, String text) throws Exception {
        h.a.send(s, text.getBytes(), 0, text.length(), 0);
        h.run(Duration.ofMillis(50));
    }

    @Test
    void valuesAsLinuxGivesThem() throws Exception {
        int[] p = h.pair(9100);
        int s = p[1];
        assertEquals(1, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT), "default");
        assertEquals(1, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_SNDLOWAT), "fixed");
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_SNDLOWAT, 4096)),
                "Linux: SO_SNDLOWAT is not changeable");
        assertEquals(Errno.EINVAL, errno(() -> h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT, -1)));
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT, 0);
        assertEquals(1, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT), "0 means 1");
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT, 1 << 30);
        assertEquals(TcpSettings.defaults().maxReceiveBuffer() / 2,
                h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT), "clamped to half the largest auto-tuned buffer");
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVBUF, 8192);
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT, 100_000);
        assertEquals(8192, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT), "clamped to SO_RCVBUF as set");
        int udp = h.b.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        h.b.setsockopt(udp, Net.SOL_SOCKET, Net.SO_RCVLOWAT, 100_000);
        assertEquals(100_000, h.b.getsockopt(udp, Net.SOL_SOCKET, Net.SO_RCVLOWAT), "stored on datagram sockets");
    }

    @Test
    void selectReportsReadableOnlyFromTheMark() throws Exception {
        int[] p = h.pair(9101);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_RCVLOWAT, 10);
        send(p[0], "1234");
        assertFalse(readable(p[1]), "4 of 10 bytes");
        assertEquals(0, h.b.poll(p[1]) & netkit.api.ReadinessListener.READ, "poll agrees");
        send(p[0], "567890");
        assertTrue(readable(p[1]), "10 bytes");
        byte[] buf = new byte[32];
        assertEquals(10, h.b.recv(p[1], buf, 0, 32, 0));
        send(p[0], "ab");
        assertFalse(readable(p[1]));
        assertEquals(2, h.b.recv(p[1], buf, 0, 32, Net.MSG_DONTWAIT), "a non-blocking recv returns what is there");
        assertEquals(Net.WOULDBLOCK, h.b.recv(p[1], buf, 0, 32, Net.MSG_TRY));
        send(p[0], "cde");
        assertEquals(3, h.b.recv(p[1], buf, 0, 32, Net.MSG_TRY), "MSG_TRY too, below the mark");
        send(p[0], "xyz");
        h.a.shutdown(p[0], Net.SHUT_WR);
        h.run(Duration.ofMillis(50));
        assertTrue(readable(p[1]), "the end of the stream is readable below the mark");
        assertEquals(3, h.b.recv(p[1], buf, 0, 32, 0));
        assertEquals(0, h.b.recv(p[1], buf, 0, 32, 0));
    }

    @Test
    void aBlockingRecvWaitsForTheMarkOrTheRequestedLength() throws Exception {
        int[] p = h.pair(9102);
        int s = p[1];
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVLOWAT, 10);
        byte[] buf = new byte[64];
        BlockingCall<Integer> r = BlockingCall.start(h.stack(1), () -> h.b.recv(s, buf, 0, 64, 0));
        r.awaitBlocked();
        send(p[0], "1234");
        assertFalse(r.settle(), "4 of 10 bytes: still waiting");
        send(p[0], "5678901");
        assertEquals(11, r.join());
        assertEquals("12345678901", new String(buf, 0, 11));
        send(p[0], "abc");
        assertEquals(2, h.b.recv(s, buf, 0, 2, 0), "a length below the mark is enough");
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 200);
        BlockingCall<Integer> t = BlockingCall.start(h.stack(1), () -> h.b.recv(s, buf, 0, 64, 0));
        t.awaitBlocked();
        h.run(Duration.ofMillis(300));
        assertEquals(1, t.join(), "SO_RCVTIMEO passed: what was there");
    }
}
