package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Random;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * TCP_MAXSEG (Linux's user MSS): set before the handshake it is the MSS announced in the SYN (or
 * SYN-ACK) and a ceiling for what the socket sends; values outside 88..32767 are EINVAL (0 restores
 * the default), changing nothing.
 */
class TcpMaxSegTest {
    private final TcpHarness h = new TcpHarness();
    private final WireTap tap = new WireTap(h);

    private static int largestData(java.util.List<byte[]> frames) {
        return frames.stream().mapToInt(WireTap::dataLength).max().orElse(0);
    }

    private static byte[] synOf(java.util.List<byte[]> frames) {
        return frames.stream().filter(f -> (WireTap.flags(f) & TcpHeader.SYN) != 0).findFirst().orElseThrow();
    }

    @Test
    void aClientsMaxSegIsAnnouncedInItsSynAndBoundsBothDirections() throws Exception {
        int l = h.listen(7100, 4);
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG, 1000);
        assertEquals(1000, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG));
        assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(c, TcpHarness.addr(1, 7100))));
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        assertEquals(1000, WireTap.mssOption(synOf(tap.tcpFrom(0))), "the SYN announces it");
        assertEquals(1460, WireTap.mssOption(synOf(tap.tcpFrom(1))), "the SYN-ACK the route's");
        byte[] data = new byte[50_000];
        new Random(7).nextBytes(data);
        assertArrayEquals(data, h.transfer(h.a, c, h.b, s, data, Duration.ofSeconds(30)));
        assertArrayEquals(data, h.transfer(h.b, s, h.a, c, data, Duration.ofSeconds(30)));
        // timestamps take 12 of the 1000 bytes (RFC 6691)
        assertEquals(988, largestData(tap.tcpFrom(0)), "the client sends at most its own MSS");
        assertEquals(988, largestData(tap.tcpFrom(1)), "the server keeps to the announced MSS");
    }

    @Test
    void aListenersMaxSegIsAnnouncedInItsSynAck() throws Exception {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.IPPROTO_TCP, Net.TCP_MAXSEG, 600);
        h.b.bind(l, netkit.api.SockAddr.of(0, 7101));
        h.b.listen(l, 4);
        int c = h.connect(7101);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        assertEquals(600, WireTap.mssOption(synOf(tap.tcpFrom(1))));
        assertEquals(588, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG), "the client sends 600 minus timestamps");
    }

    @Test
    void valuesOutsideLinuxsRangeAreEinval() throws Exception {
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        for (int bad : new int[] {-1, 1, 87, 32768, 100_000}) {
            assertEquals(Errno.EINVAL, errno(() -> h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG, bad)), "" + bad);
        }
        assertEquals(536, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG), "unchanged: the default");
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG, 88);
        assertEquals(88, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG));
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG, 32767);
        assertEquals(32767, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG));
        h.a.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG, 0);
        assertEquals(536, h.a.getsockopt(c, Net.IPPROTO_TCP, Net.TCP_MAXSEG), "0 restores the default");
    }
}
