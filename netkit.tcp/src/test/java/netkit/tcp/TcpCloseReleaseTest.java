package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import netkit.api.Net;
import netkit.api.SocketManager;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * Closing a socket gives its receive buffers back, however the connection ended: found by the soak
 * (seed 23: an abort with data queued; seed 12: a close after the peer's reset; seed 3195: TCP
 * removed after the peer's reset), where the packet buffers stayed charged to the TCP memory bound
 * and out of their pool for good.
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

    /**
     * Soak seed 3195: the peer's reset ended the connection while its socket was open, so destroy
     * kept the unread (there: out-of-order) data for a reader; then TCP left the stack. The
     * connection was no longer in the table TCP walks when it leaves, the socket became a
     * placeholder whose close never reaches TCP, and the buffers stayed out of their pool.
     */
    @Test
    void removingTcpAfterThePeersResetReleasesUnreadDataOfAConnectedSocket() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        resetWithUnreadData(h, h.b, p[1], 0);

        h.stack(0).removeProtocol(h.tcpA); // the bundle stops: A's socket becomes a placeholder
        h.a.closesocket(p[0]);
        h.run(Duration.ofMinutes(2));
        assertNoBuffersOut(h);
    }

    /** The same for an accepted socket, which TCP did not list among the sockets it detaches. */
    @Test
    void removingTcpAfterThePeersResetReleasesUnreadDataOfAnAcceptedSocket() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        resetWithUnreadData(h, h.a, p[0], 1);

        h.stack(1).removeProtocol(h.tcpB);
        h.b.closesocket(p[1]);
        h.run(Duration.ofMinutes(2));
        assertNoBuffersOut(h);
    }

    /** {@code sender} sends data its peer on stack {@code reader} leaves unread, then aborts with RST. */
    private void resetWithUnreadData(TcpHarness h, SocketManager sender, int token, int reader) throws Exception {
        sender.send(token, data, 0, data.length, Net.MSG_DONTWAIT);
        h.run(Duration.ofMillis(50));
        assertEquals(true, h.counter(reader, TcpCounter.MEMORY_BYTES) > 0, "the reader holds the unread data");
        sender.setsockopt(token, Net.SOL_SOCKET, Net.SO_LINGER, 0);
        sender.closesocket(token); // RST: the reader's connection ends while its socket is open
        h.run(Duration.ofMillis(50));
        assertEquals(List.of("CLOSED"), h.stack(reader).admin().sockets().stream().map(SocketStatus::state)
                .filter(st -> !st.equals("LISTEN")).toList(), "the reader's connection ended");
    }

    private static void assertNoBuffersOut(TcpHarness h) {
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
