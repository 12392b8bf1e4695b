package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import org.junit.jupiter.api.Test;

/**
 * TCP_USER_TIMEOUT (Linux; RFC 9293 MUST-20/21, RFC 5482): the application sets R2 of its own
 * connection in milliseconds of unacknowledged data or an unanswered SYN.
 */
class TcpUserTimeoutTest {
    private final TcpHarness h = new TcpHarness();
    private volatile boolean bSilent;

    TcpUserTimeoutTest() {
        h.net.hub.segment("lan").filter((port, frame) -> {
            byte[] f = frame.toByteArray();
            boolean tcp = f.length > 34 && f[12] == 0x08 && f[13] == 0 && f[23] == Net.IPPROTO_TCP;
            return !(bSilent && tcp && (port.mac() & 0xff) == 1);
        });
    }

    @Test
    void unacknowledgedDataIsGivenUpAfterTheUserTimeout() throws Exception {
        int[] p = h.pair(7700);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT, 5000);
        bSilent = true;
        long start = h.net.loop.nanoTime();
        h.a.send(p[0], new byte[100], 0, 100, 0);
        h.run(Duration.ofMillis(4900));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.a.recv(p[0], new byte[4], 0, 4, 0)), "still trying");
        h.run(Duration.ofMillis(300));
        assertEquals(Errno.ETIMEDOUT, errno(() -> h.a.recv(p[0], new byte[4], 0, 4, 0)),
                "given up at 5 s, not after 15 retransmissions");
        long took = h.net.loop.nanoTime() - start;
        assertEquals(true, took >= 5_000_000_000L, "not before");
    }

    @Test
    void anUnansweredSynIsGivenUpAfterTheUserTimeout() throws Exception {
        h.listen(7701, 4);
        bSilent = true;
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT, 10_000);
        assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(c, TcpHarness.addr(1, 7701))));
        h.run(Duration.ofMillis(9900));
        assertEquals(0, h.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR), "still trying");
        h.run(Duration.ofMillis(200));
        assertEquals(Errno.ETIMEDOUT.number(), h.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR));
    }

    @Test
    void theOptionReadsBackAndRefusesNegativeValues() throws Exception {
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(0, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT), "off by default");
        assertEquals(Errno.EINVAL, errno(() -> h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT, -1)));
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT, 30_000);
        assertEquals(30_000, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT));
    }
}
