package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * Soft ICMP errors (RFC 9293 MUST-56, MUST-47; RFC 1122 §4.2.3.9, RFC 5461): a host unreachable from
 * a router neither aborts a connect in SYN_SENT nor an established connection; it is reported only
 * if the connection gives up, instead of ETIMEDOUT.
 */
class TcpSoftErrorTest {
    private static final int ROUTER = 0x0a000009;
    private final TcpHarness h = new TcpHarness();
    private final WireTap tap = new WireTap(h, false);
    private volatile boolean bSilent;

    TcpSoftErrorTest() {
        h.net.hub.segment("lan").filter((port, frame) -> {
            byte[] f = frame.toByteArray();
            boolean tcp = f.length > 34 && f[12] == 0x08 && f[13] == 0 && f[23] == Net.IPPROTO_TCP;
            if (tcp && (port.mac() & 0xff) == 0) {
                tap.record(f, 0);
            }
            return !(bSilent && tcp && (port.mac() & 0xff) == 1);
        });
    }

    /** A router's host unreachable (type 3 code 1) quoting A's last TCP segment. */
    private void hostUnreachableForLastSegmentOfA() {
        byte[] seg = tap.lastTcpFrom(0);
        int icmpLen = 8 + 28;
        int ipLen = 20 + icmpLen;
        byte[] f = new byte[14 + ipLen];
        EthernetFrame.emit(f, 0, 0x020000000100L, 0x02000000eeeeL, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(f, 14, 0, ipLen, 1, 0, 64, 1, ROUTER, TestNet.address(0));
        f[34] = 3;
        f[35] = 1;
        System.arraycopy(Arrays.copyOfRange(seg, 14, 14 + 28), 0, f, 42, 28);
        Bytes.put16(f, 36, Checksum.of(f, 34, icmpLen));
        tap.inject(f);
        h.run(Duration.ofMillis(1));
    }

    @Test
    void aSoftErrorInSynSentLetsTheConnectGoOn() throws Exception {
        h.listen(7800, 4);
        bSilent = true;
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT, 5000);
        assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(c, TcpHarness.addr(1, 7800))));
        h.run(Duration.ofMillis(10));
        hostUnreachableForLastSegmentOfA();
        h.run(Duration.ofMillis(2000));
        assertEquals(0, h.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR), "still trying");
        h.run(Duration.ofMillis(3500));
        assertEquals(Errno.EHOSTUNREACH.number(), h.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR),
                "reported when the connect gives up, instead of ETIMEDOUT");
    }

    @Test
    void aSoftErrorLeavesAnEstablishedConnectionAloneAndIsReportedOnGiveUp() throws Exception {
        int[] p = h.pair(7801);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_USER_TIMEOUT, 3000);
        bSilent = true;
        h.a.send(p[0], new byte[100], 0, 100, 0);
        h.run(Duration.ofMillis(10));
        hostUnreachableForLastSegmentOfA();
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.a.recv(p[0], new byte[4], 0, 4, 0)), "not aborted");
        h.run(Duration.ofSeconds(4));
        assertEquals(Errno.EHOSTUNREACH, errno(() -> h.a.recv(p[0], new byte[4], 0, 4, 0)),
                "the soft error instead of ETIMEDOUT when the connection gives up");
    }
}
