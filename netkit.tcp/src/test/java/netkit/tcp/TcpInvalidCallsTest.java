package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import org.junit.jupiter.api.Test;

/** Calls a TCP socket must refuse, changing nothing, with the errno Linux gives. */
class TcpInvalidCallsTest {
    private final TcpHarness h = new TcpHarness();

    private int socket() throws Exception {
        return h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
    }

    /** RFC 9293 MUST-46: an OPEN to a multicast or otherwise invalid remote address is an error. */
    @Test
    void connectToMulticastOrClassEIsRefusedWithoutAHandshake() throws Exception {
        long before = h.counter(0, netkit.api.stats.TcpCounter.OUT_SEGS);
        for (String to : new String[] {"224.0.0.1", "239.1.2.3", "240.0.0.1", "254.255.255.255"}) {
            int s = socket();
            assertEquals(Errno.ENETUNREACH, errno(() -> h.a.connect(s, SockAddr.of(to, 80))), to);
            h.a.closesocket(s);
        }
        assertEquals(before, h.counter(0, netkit.api.stats.TcpCounter.OUT_SEGS), "no SYN went out");
    }

    /** Unknown levels and unknown IP options are ENOPROTOOPT (Linux), not silently accepted. */
    @Test
    void unknownLevelsAndOptionsAreRefused() throws Exception {
        int s = socket();
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.a.setsockopt(s, 4242, 1, 1)), "unknown level");
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.a.setsockopt(s, Net.IPPROTO_IP, 4242, 1)), "unknown IP option");
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.a.getsockopt(s, 4242, 1)), "unknown level read");
        int[] p = h.pair(81);
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.a.setsockopt(p[0], 4242, 1, 1)), "connected, unknown level");
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.a.setsockopt(p[0], Net.IPPROTO_IP, 4242, 1)),
                "connected, unknown IP option");
    }
}
