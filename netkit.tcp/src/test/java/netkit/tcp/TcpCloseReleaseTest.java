package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Net;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * Closing a socket gives its receive buffers back, however the connection ended: found by the soak
 * (seed 23: an abort with data queued; seed 12: a close after the peer's reset), where the packet
 * buffers stayed charged to the TCP memory bound and out of their pool for good.
 */
class TcpCloseReleaseTest {
    private final byte[] data = new byte[20_000];

    @Test
    void abortingWithUnreadDataReleasesIt() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.b.send(p[1], data, 0, data.length, Net.MSG_DONTWAIT);
        h.run(Duration.ofMillis(50));
        assertEquals(true, h.counter(0, TcpCounter.MEMORY_BYTES) > 0, "A holds the unread data");

        h.a.closesocket(p[0]); // unread data: close aborts (RFC 2525 §2.17)
        h.b.closesocket(p[1]);
        h.run(Duration.ofMinutes(2));
        assertReleased(h);
    }

    @Test
    void closingAfterThePeersResetReleasesUnreadData() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.b.send(p[1], data, 0, data.length, Net.MSG_DONTWAIT);
        h.run(Duration.ofMillis(50));
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_LINGER, 0);
        h.b.closesocket(p[1]); // RST: A's connection ends while its socket is open, the data unread
        h.run(Duration.ofMillis(50));
        assertEquals("CLOSED", h.stack(0).admin().sockets().get(0).state(), "A's connection ended");

        h.a.closesocket(p[0]);
        h.run(Duration.ofMinutes(2));
        assertReleased(h);
    }

    @Test
    void removingTcpReleasesUnreadData() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.b.send(p[1], data, 0, data.length, Net.MSG_DONTWAIT);
        h.run(Duration.ofMillis(50));

        h.stack(0).removeProtocol(h.tcpA); // the bundle stops: A's socket becomes a placeholder
        h.a.closesocket(p[0]);
        h.b.closesocket(p[1]);
        h.run(Duration.ofMinutes(2));
        for (int i = 0; i < 2; i++) {
            assertEquals(0, h.stack(i).context().pool().outstanding(), "pool buffers out of stack " + i);
        }
    }

    private static void assertReleased(TcpHarness h) {
        for (int i = 0; i < 2; i++) {
            assertEquals(0, h.counter(i, TcpCounter.MEMORY_BYTES), "TCP memory of stack " + i);
            assertEquals(0, h.stack(i).context().pool().outstanding(), "pool buffers out of stack " + i);
        }
    }
}
