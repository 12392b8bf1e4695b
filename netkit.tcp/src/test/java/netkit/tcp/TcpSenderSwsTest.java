package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.wire.Bytes;
import org.junit.jupiter.api.Test;

/**
 * Sender silly-window avoidance (RFC 9293 §3.8.6.2.1, MUST-38/39): with a slow reader whose window
 * opens a little at a time, the sender still sends full segments (or what fills half the largest
 * window offered), not the scraps the window allows; the override timeout sends a held tail.
 */
class TcpSenderSwsTest {
    private final TcpHarness h = new TcpHarness();
    private final WireTap tap = new WireTap(h);

    /**
     * A peer without receiver-side SWS avoidance offers 300 bytes at a time (a reader taking 300
     * bytes per segment it gets): the sender waits for the override timeout instead of sending a
     * 300-byte segment per acknowledgment, and sends full segments once the window opens.
     */
    @Test
    void aPeerOfferingScrapsIsNotSentScraps() throws Exception {
        RawPeer peer = new RawPeer(h);
        int l = h.listen(80, 4);
        int[] isn = new int[1];
        long[] acked = new long[1];
        int[] window = {65535};
        int[] small = new int[1];
        int[] full = new int[1];
        peer.onSegment = seg -> {
            int flags = seg[13] & 0x3f;
            if ((flags & netkit.api.wire.TcpHeader.SYN) != 0) {
                isn[0] = Bytes.get32(seg, 4);
                return;
            }
            int hl = ((seg[12] & 0xff) >>> 4) * 4;
            int len = seg.length - hl;
            if (len > 0) {
                if (len < 1460) {
                    small[0]++;
                } else {
                    full[0]++;
                }
                long seq = (Bytes.get32(seg, 4) - isn[0] - 1) & 0xffffffffL;
                acked[0] = Math.max(acked[0], seq + len);
                peer.send(40000, 80, 1001, isn[0] + 1 + (int) acked[0], netkit.api.wire.TcpHeader.ACK, window[0],
                        new byte[0], 0);
            }
        };
        peer.send(40000, 80, 1000, 0, netkit.api.wire.TcpHeader.SYN, 65535, RawPeer.mss(1460), 0);
        h.run(Duration.ofMillis(10));
        peer.send(40000, 80, 1001, isn[0] + 1, netkit.api.wire.TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        window[0] = 300; // from now on the peer offers 300 bytes beyond what it acknowledges
        h.b.send(s, new byte[200_000], 0, 200_000, Net.MSG_DONTWAIT);
        h.run(Duration.ofSeconds(2));
        int smallWhileScraps = small[0];
        assertTrue(smallWhileScraps <= 12, smallWhileScraps + " segments of 300 bytes in 2 s: one per override timeout at most");
        window[0] = 65535;
        peer.send(40000, 80, 1001, isn[0] + 1 + (int) acked[0], netkit.api.wire.TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofSeconds(2));
        assertTrue(full[0] > 20, "full segments once the window opened: " + full[0]);
        assertTrue(small[0] - smallWhileScraps <= 1, "then no more scraps");
    }

    @Test
    void aSlowReaderGetsFullSegments() throws Exception {
        int[] p = h.pair(7501);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_RCVBUF, 16384);
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        int mss = h.a.getsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_MAXSEG);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int sent = 0;
        byte[] buf = new byte[700];
        for (int step = 0; step < 100_000 && got.size() < data.length; step++) {
            if (sent < data.length) {
                try {
                    sent += h.a.send(p[0], data, sent, data.length - sent, Net.MSG_DONTWAIT);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EWOULDBLOCK) {
                        throw e;
                    }
                }
            }
            try {
                int n = h.b.recv(p[1], buf, 0, 300 + step % 400, Net.MSG_DONTWAIT); // a slow, uneven reader
                got.write(buf, 0, n);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EWOULDBLOCK) {
                    throw e;
                }
            }
            h.run(Duration.ofMillis(5));
        }
        assertArrayEquals(data, got.toByteArray());
        List<byte[]> segs = tap.tcpFrom(0).stream().filter(f -> WireTap.dataLength(f) > 0).toList();
        long small = segs.stream().filter(f -> WireTap.dataLength(f) < mss).count();
        assertTrue(small <= 2, small + " of " + segs.size() + " data segments below the MSS " + mss);
    }
}
