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
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 requirements (Appendix B) that no other test covered; docs/rfc9293.md names each test.
 */
class TcpRequirementsTest {
    private final TcpHarness h = new TcpHarness();
    private final RawPeer peer = new RawPeer(h);
    /** TCP segments B sent to the peer (header at 0). */
    private final List<byte[]> toPeer = new ArrayList<>();
    private int isn;

    TcpRequirementsTest() {
        peer.onSegment = seg -> {
            toPeer.add(seg);
            if ((seg[13] & TcpHeader.SYN) != 0) {
                isn = Bytes.get32(seg, 4);
            }
        };
    }

    private static int flags(byte[] seg) {
        return seg[13] & 0x3f;
    }

    private static int dataLength(byte[] seg) {
        return seg.length - ((seg[12] & 0xff) >>> 4) * 4;
    }

    /** The peer's handshake with B:80 (no options unless given); returns B's accepted socket. */
    private int handshake(int l, byte[] synOptions) throws Exception {
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, synOptions, 0);
        h.run(Duration.ofMillis(10));
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        return s;
    }

    /** MUST-15: without an MSS option the send MSS is 536. */
    @Test
    void withoutAnMssOptionTheSendMssIs536() throws Exception {
        int s = handshake(h.listen(80, 4), new byte[0]);
        assertEquals(3000, h.b.send(s, new byte[3000], 0, 3000, 0));
        h.run(Duration.ofMillis(10));
        int largest = toPeer.stream().mapToInt(TcpRequirementsTest::dataLength).max().orElse(0);
        assertEquals(536, largest);
    }

    /** MUST-25 and MUST-28: keepalive is off by default, and its default idle time is 2 hours. */
    @Test
    void keepaliveIsOffByDefaultWithTwoHoursIdle() throws Exception {
        int s = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(0, h.a.getsockopt(s, Net.SOL_SOCKET, Net.SO_KEEPALIVE));
        assertEquals(7200, h.a.getsockopt(s, Net.IPPROTO_TCP, Net.TCP_KEEPIDLE));
    }

    /** MUST-11: an RST in SYN_RECEIVED of a passive open returns to LISTEN; the listener goes on. */
    @Test
    void aResetInSynReceivedReturnsToListen() throws Exception {
        int l = h.listen(80, 4);
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, RawPeer.mss(1460), 0);
        h.run(Duration.ofMillis(10));
        peer.send(40000, 80, 1001, 0, TcpHeader.RST, 0, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        toPeer.clear();
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK, 65535, new byte[0], 0); // the old handshake's ACK
        h.run(Duration.ofMillis(10));
        assertTrue(toPeer.stream().anyMatch(seg -> (flags(seg) & TcpHeader.RST) != 0), "that connection is gone");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.accept(l)));
        toPeer.clear();
        peer.send(40001, 80, 5000, 0, TcpHeader.SYN, 65535, RawPeer.mss(1460), 0);
        h.run(Duration.ofMillis(10));
        assertTrue(toPeer.stream().anyMatch(seg -> flags(seg) == (TcpHeader.SYN | TcpHeader.ACK)), "still listening");
    }

    /** MUST-66: an RST (and an ACK) into a zero window is still processed. */
    @Test
    void aResetIntoAZeroWindowIsProcessed() throws Exception {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVBUF, 2048);
        h.b.bind(l, SockAddr.of(0, 80));
        h.b.listen(l, 4);
        int s = handshake(l, RawPeer.mss(1460));
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 1024);
        peer.send(40000, 80, 1001 + 1024, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 1024);
        h.run(Duration.ofMillis(100));
        byte[] last = toPeer.get(toPeer.size() - 1);
        assertEquals(1001 + 2048, Bytes.get32(last, 8), "all taken");
        assertEquals(0, Bytes.get16(last, 14), "B's window is closed");
        peer.send(40000, 80, 1001 + 2048, 0, TcpHeader.RST, 0, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        assertEquals(Errno.ECONNRESET.number(), h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR));
    }

    /** MUST-61: the last segment of what a send queued carries PSH, the others do not. */
    @Test
    void theLastSegmentOfASendIsPushed() throws Exception {
        int s = handshake(h.listen(80, 4), RawPeer.mss(1460));
        assertEquals(4380, h.b.send(s, new byte[4380], 0, 4380, 0)); // three full segments: Nagle holds none
        h.run(Duration.ofMillis(10));
        List<byte[]> data = toPeer.stream().filter(seg -> dataLength(seg) > 0).toList();
        assertEquals(3, data.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(0, flags(data.get(i)) & TcpHeader.PSH, "segment " + i);
        }
        assertEquals(TcpHeader.PSH, flags(data.get(2)) & TcpHeader.PSH, "the last one");
    }

    /** MUST-42: listeners on one port with different local addresses coexist and each gets its own. */
    @Test
    void listenersOnOnePortWithDifferentAddresses() throws Exception {
        int wire = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(wire, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.bind(wire, TcpHarness.addr(1, 7600));
        h.b.listen(wire, 4);
        int loop = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(loop, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.bind(loop, SockAddr.of("127.0.0.1", 7600));
        h.b.listen(loop, 4);
        int c = h.connect(7600);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        assertEquals(TcpHarness.addr(1, 7600), h.b.getsockname(h.b.accept(wire).token()));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.accept(loop)));
    }

    /**
     * MUST-58/59, SHLD-19, RFC 5681 §4.2: a burst of in-order full segments gets one ACK per two;
     * an out-of-order segment is acknowledged at once (a duplicate ACK).
     */
    @Test
    void everySecondFullSegmentIsAcknowledgedAndOutOfOrderDataAtOnce() throws Exception {
        handshake(h.listen(80, 4), RawPeer.mss(1460));
        toPeer.clear();
        for (int i = 0; i < 10; i++) {
            peer.send(40000, 80, 1001 + i * 1460, isn + 1, TcpHeader.ACK, 65535, new byte[0], 1460);
        }
        h.run(Duration.ofMillis(1)); // less than the delayed-ACK timeout
        assertEquals(5, toPeer.size(), "one ACK per two full segments");
        assertEquals(1001 + 10 * 1460, Bytes.get32(toPeer.get(4), 8));
        toPeer.clear();
        peer.send(40000, 80, 1001 + 11 * 1460, isn + 1, TcpHeader.ACK, 65535, new byte[0], 1460); // a hole before it
        h.run(Duration.ofMillis(1));
        assertEquals(1, toPeer.size(), "out-of-order data is acknowledged at once");
        assertEquals(1001 + 10 * 1460, Bytes.get32(toPeer.get(0), 8), "a duplicate ACK");
    }
}
