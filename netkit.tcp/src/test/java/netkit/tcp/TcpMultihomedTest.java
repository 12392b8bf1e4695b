package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * A multihomed host (RFC 9293 MUST-43/45, RFC 1122 §3.3.4): A has a second interface (10.9.0.1 on
 * another segment) that B reaches through A's first address. Whatever interface a segment leaves by,
 * its IP source address is the connection's local address, the one in the TCP pseudo-header.
 */
class TcpMultihomedTest {
    private static final int SECOND = SockAddr.parseAddress("10.9.0.1");
    private final TcpHarness h = new TcpHarness();

    TcpMultihomedTest() {
        h.stack(0).configure(new InterfaceConfig("eth1", "wire", SECOND, 24, 1500, 0, 0x020000000200L, true,
                Map.of("segment", "other")));
        h.stack(1).configure(new InterfaceConfig("eth0", "wire", TestNet.address(1), 24, 1500, TestNet.address(0),
                0x020000000101L, true, Map.of("segment", "lan")));
        h.run(Duration.ofMillis(100));
    }

    /** Bound to the second address, the SYN leaves by the first interface with the bound address as source. */
    @Test
    void aSocketBoundToAnotherInterfacesAddressConnects() throws Exception {
        int l = h.listen(7200, 4);
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.bind(c, SockAddr.of(SECOND, 0));
        assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(c, TcpHarness.addr(1, 7200))));
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        assertEquals(SECOND, h.b.accept(l).client().address(), "B sees the bound address");
        assertEquals(SECOND, h.a.getsockname(c).address());
    }

    /** A connection to the second address is answered by the first interface, from the second address. */
    @Test
    void aConnectionToTheSecondAddressIsAnsweredFromIt() throws Exception {
        int l = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.bind(l, SockAddr.of(0, 7201));
        h.a.listen(l, 4);
        int c = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        assertEquals(Errno.EINPROGRESS, errno(() -> h.b.connect(c, SockAddr.of(SECOND, 7201))));
        h.run(Duration.ofSeconds(2));
        assertEquals(0, h.b.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR));
        assertEquals(SockAddr.of(SECOND, 7201), h.b.getpeername(c), "connected");
        byte[] data = new byte[3000];
        assertEquals(3000, h.b.send(c, data, 0, data.length, 0));
        h.run(Duration.ofMillis(100));
        int s = h.a.accept(l).token();
        assertEquals(3000, h.a.recv(s, new byte[4000], 0, 4000, Net.MSG_DONTWAIT), "all of it arrived");
    }
}
