package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import org.junit.jupiter.api.Test;

/** TCP leaving a stack aborts its connections (RFC 9293 §3.10.7 ABORT): peers are reset at once. */
class TcpDetachTest {
    @Test
    void removingTcpResetsEveryEstablishedPeerAtOnce() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] one = h.pair(80);
        int[] two = h.pair(81);
        h.b.shutdown(two[1], Net.SHUT_WR); // A in CLOSE_WAIT: still synchronized, still reset
        h.run(Duration.ofMillis(10));

        h.stack(0).removeProtocol(h.tcpA);
        h.run(Duration.ofMillis(2)); // well under one retransmission timeout: only the RST can tell B

        byte[] buf = new byte[16];
        assertEquals(Errno.ECONNRESET, errno(() -> h.b.recv(one[1], buf, 0, buf.length, Net.MSG_DONTWAIT)));
        assertEquals(Errno.ECONNRESET, errno(() -> h.b.recv(two[1], buf, 0, buf.length, Net.MSG_DONTWAIT)));
        assertEquals(Errno.ENETDOWN, errno(() -> h.a.recv(one[0], buf, 0, buf.length, Net.MSG_DONTWAIT)));
        assertEquals(Errno.ENETDOWN, errno(() -> h.a.tcpInfo(one[0])), "TCP_INFO too");
        assertEquals("CLOSED", h.b.tcpInfo(one[1]).state(), "the reset connection's last figures");
    }
}
