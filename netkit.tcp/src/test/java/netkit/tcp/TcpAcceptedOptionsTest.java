package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import org.junit.jupiter.api.Test;

/**
 * Options of an accepted socket (RFC 9293 MUST-24, MUST-48/49; RFC 1122 §4.2.3.6): set on it, or
 * inherited from its listener as Linux does, they are applied to its connection, not only stored.
 */
class TcpAcceptedOptionsTest {
    private final TcpHarness h = new TcpHarness();
    /** IPv4 headers (from the Ethernet payload) of the TCP frames stack B sent. */
    private final List<byte[]> fromB = new ArrayList<>();
    /** Whether stack A has vanished from the wire (a dead client: nothing in, nothing out). */
    private volatile boolean aDead;

    TcpAcceptedOptionsTest() {
        h.net.hub.segment("lan").filter((port, frame) -> {
            byte[] f = frame.toByteArray();
            boolean tcp = f.length > 34 && f[12] == 0x08 && f[13] == 0 && f[23] == Net.IPPROTO_TCP;
            if (tcp && (port.mac() & 0xff) == 1) {
                fromB.add(java.util.Arrays.copyOfRange(f, 14, 34));
            }
            return !aDead || (port.mac() & 0xff) != 0 && !toA(f);
        });
    }

    private static boolean toA(byte[] f) {
        return f.length >= 6 && (f[5] & 0xff) == 0 && (f[4] & 0xff) == 1; // 02:00:00:00:01:00
    }

    private byte[] lastFromB() {
        return fromB.get(fromB.size() - 1);
    }

    @Test
    void ttlAndTosSetOnAnAcceptedSocketAreSent() throws Exception {
        int[] p = h.pair(7300);
        h.b.setsockopt(p[1], Net.IPPROTO_IP, Net.IP_TTL, 7);
        h.b.setsockopt(p[1], Net.IPPROTO_IP, Net.IP_TOS, 0x28);
        h.b.send(p[1], new byte[100], 0, 100, 0);
        h.run(Duration.ofMillis(10));
        assertEquals(0x28, lastFromB()[1] & 0xff, "TOS");
        assertEquals(7, lastFromB()[8] & 0xff, "TTL");
    }

    @Test
    void ttlAndTosOfTheListenerAreInherited() throws Exception {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.IPPROTO_IP, Net.IP_TTL, 9);
        h.b.setsockopt(l, Net.IPPROTO_IP, Net.IP_TOS, 0x10);
        h.b.bind(l, SockAddr.of(0, 7301));
        h.b.listen(l, 4);
        int c = h.connect(7301);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        assertEquals(9, lastFromB()[8] & 0xff, "the SYN-ACK");
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        assertEquals(9, h.b.getsockopt(s, Net.IPPROTO_IP, Net.IP_TTL));
        h.b.send(s, new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(10));
        assertEquals(9, lastFromB()[8] & 0xff);
        assertEquals(0x10, lastFromB()[1] & 0xff);
    }

    /** Server-side keepalive, switched on after accept, finds a client that vanished. */
    @Test
    void keepaliveSetOnAnAcceptedSocketDetectsADeadClient() throws Exception {
        int[] p = h.pair(7302);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_KEEPALIVE, 1);
        h.b.setsockopt(p[1], Net.IPPROTO_TCP, Net.TCP_KEEPIDLE, 10);
        h.b.setsockopt(p[1], Net.IPPROTO_TCP, Net.TCP_KEEPINTVL, 5);
        h.b.setsockopt(p[1], Net.IPPROTO_TCP, Net.TCP_KEEPCNT, 3);
        aDead = true;
        h.run(Duration.ofSeconds(9));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.recv(p[1], new byte[4], 0, 4, 0)), "idle, not yet probed");
        h.run(Duration.ofSeconds(30));
        assertEquals(Errno.ETIMEDOUT, errno(() -> h.b.recv(p[1], new byte[4], 0, 4, 0)));
    }

    /** Keepalive set on the listener (and its TCP_KEEP* values) is inherited by accepted sockets. */
    @Test
    void keepaliveOfTheListenerIsInherited() throws Exception {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_KEEPALIVE, 1);
        h.b.setsockopt(l, Net.IPPROTO_TCP, Net.TCP_KEEPIDLE, 20);
        h.b.setsockopt(l, Net.IPPROTO_TCP, Net.TCP_KEEPINTVL, 5);
        h.b.setsockopt(l, Net.IPPROTO_TCP, Net.TCP_KEEPCNT, 2);
        h.b.bind(l, SockAddr.of(0, 7303));
        h.b.listen(l, 4);
        int c = h.connect(7303);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        assertEquals(1, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_KEEPALIVE));
        aDead = true;
        h.run(Duration.ofSeconds(19));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.recv(s, new byte[4], 0, 4, 0)));
        h.run(Duration.ofSeconds(20));
        assertEquals(Errno.ETIMEDOUT, errno(() -> h.b.recv(s, new byte[4], 0, 4, 0)));
        assertTrue(fromB.size() > 3);
    }
}
