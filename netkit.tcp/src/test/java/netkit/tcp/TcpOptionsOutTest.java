package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Net;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 MUST-65, MUST-68 and MUST-69 on every segment a connection sends (SYN-ACK, data, ACKs with
 * SACK blocks and timestamps, FIN): the MSS option only on the SYN, a length octet for every option
 * but EOL and NOP, and a header padded with zeros after an EOL. docs/rfc9293.md names this test.
 */
class TcpOptionsOutTest {
    @Test
    void everyOptionAreaIsWellFormed() throws Exception {
        TcpHarness h = new TcpHarness();
        RawPeer peer = new RawPeer(h);
        List<byte[]> sent = new ArrayList<>();
        int[] isn = {0};
        peer.onSegment = seg -> {
            sent.add(seg);
            if ((seg[13] & TcpHeader.SYN) != 0) {
                isn[0] = Bytes.get32(seg, 4);
            }
        };
        int l = h.listen(80, 4);
        byte[] syn = {2, 4, 5, (byte) 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7}; // MSS, SACK, TS, WS
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, syn, 0);
        h.run(Duration.ofMillis(10));
        peer.send(40000, 80, 1001, isn[0] + 1, TcpHeader.ACK, 65535, RawPeer.timestamps(2, 0), 0);
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        // out of order, then the hole: B's ACKs carry SACK blocks, then a cumulative ACK
        peer.send(40000, 80, 1001 + 500, isn[0] + 1, TcpHeader.ACK, 65535, RawPeer.timestamps(3, 0), 500);
        peer.send(40000, 80, 1001 + 1500, isn[0] + 1, TcpHeader.ACK, 65535, RawPeer.timestamps(3, 0), 500);
        h.run(Duration.ofMillis(10));
        peer.send(40000, 80, 1001, isn[0] + 1, TcpHeader.ACK, 65535, RawPeer.timestamps(4, 0), 500);
        h.run(Duration.ofMillis(10));
        h.b.send(s, new byte[3000], 0, 3000, 0);
        h.b.shutdown(s, Net.SHUT_WR);
        h.run(Duration.ofMillis(100));
        boolean sawSack = false;
        for (byte[] seg : sent) {
            int off = ((seg[12] & 0xff) >>> 4) * 4;
            boolean isSyn = (seg[13] & TcpHeader.SYN) != 0;
            for (int i = 20; i < off;) {
                int kind = seg[i] & 0xff;
                if (kind == TcpOptions.END) {
                    for (int j = i; j < off; j++) {
                        assertEquals(0, seg[j], "MUST-69: padding after EOL is zeros");
                    }
                    break;
                }
                if (kind == TcpOptions.NOP) {
                    i++;
                    continue;
                }
                assertTrue(i + 1 < off, "MUST-68: a length octet");
                int len = seg[i + 1] & 0xff;
                assertTrue(len >= 2 && i + len <= off, "MUST-68: a legal length, kind " + kind + " length " + len);
                assertTrue(kind != TcpOptions.MSS || isSyn, "MUST-65: MSS only on a SYN");
                sawSack |= kind == TcpOptions.SACK;
                i += len;
            }
        }
        assertTrue(sawSack, "SACK blocks were sent");
        assertTrue(sent.stream().anyMatch(seg -> (seg[13] & TcpHeader.FIN) != 0), "through the FIN");
        assertTrue(sent.size() >= 6, sent.size() + " segments");
    }
}
