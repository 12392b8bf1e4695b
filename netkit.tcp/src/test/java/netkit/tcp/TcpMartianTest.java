package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.SockAddr;
import netkit.api.stats.IpCounter;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.api.wire.TcpHeader;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SYNs from martian sources never reach a listener (RFC 9293 MUST-63, RFC 1122 §3.2.1.3): LAND
 * (source = destination address and port) would make a connection talk to itself.
 */
// Without the martian check a LAND SYN makes the simulated loop spin forever: fail, do not hang.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpMartianTest {
    private static byte[] syn(int src, int srcPort, int dst, int dstPort) {
        byte[] f = new byte[14 + 20 + 20];
        EthernetFrame.emit(f, 0, 0x020000000101L, 0x02000000eeeeL, 0x0800);
        Ipv4Packet.emit(f, 14, 0, 40, 7, 0, 64, 6, src, dst);
        TcpHeader.emit(f, 34, srcPort, dstPort, 1000, 0, 20, TcpHeader.SYN, 65535);
        TcpHeader.checksum(f, 34, 20, src, dst);
        return f;
    }

    private static long ip(TcpHarness h, IpCounter c) {
        return h.stack(1).admin().statistics().ip().get(c);
    }

    @Test
    void landAndMartianSynsDrawNoSynAck() throws Exception {
        TcpHarness h = new TcpHarness();
        WireTap tap = new WireTap(h);
        h.listen(80, 8);
        int own = TestNet.address(1);
        tap.inject(syn(own, 80, own, 80)); // LAND
        for (String m : new String[] {"0.1.2.3", "240.0.0.1", "224.0.0.1", "255.255.255.255", "127.0.0.1"}) {
            tap.inject(syn(SockAddr.parseAddress(m), 4000, own, 80));
        }
        h.run(Duration.ofSeconds(1));
        assertEquals(6, ip(h, IpCounter.IN_MARTIAN_SRC));
        assertEquals(0, h.counter(1, TcpCounter.IN_SEGS), "no martian reaches TCP");
        assertEquals(0, h.counter(1, TcpCounter.OUT_SEGS), "no SYN-ACK");

        tap.inject(syn(TestNet.address(0), 4000, own, 80)); // a normal source still works
        h.run(Duration.ofMillis(10));
        assertTrue(h.counter(1, TcpCounter.IN_SEGS) >= 1); // the SYN (and stack 0's RST to the SYN-ACK)
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, tap.lastTcpFrom(1)[47] & 0x3f);
        assertEquals(6, ip(h, IpCounter.IN_MARTIAN_SRC));
    }
}
