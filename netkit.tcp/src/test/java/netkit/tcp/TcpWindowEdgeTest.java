package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * The receiver takes data only within the window it advertised (RFC 9293 §3.10.7.4), and with window
 * scaling what it advertised is the window rounded to the scale (RFC 7323 §2.4): free space not
 * offered is not taken. A peer that fills exactly what B offers, without B's application reading,
 * ends at a zero window; a one-byte probe then is not acknowledged.
 */
class TcpWindowEdgeTest {
    private final TcpHarness h = new TcpHarness();
    private final RawPeer peer = new RawPeer(h);
    private int isn;
    private int wscale = -1;
    private long lastAck = -1;
    private int lastWindow = -1;

    @Test
    void dataBeyondTheAdvertisedScaledWindowIsNotTaken() throws Exception {
        h.listen(80, 4);
        peer.onSegment = seg -> {
            int flags = seg[13] & 0x3f;
            if ((flags & TcpHeader.SYN) != 0) {
                isn = Bytes.get32(seg, 4);
                int hl = ((seg[12] & 0xff) >>> 4) * 4;
                for (int i = 20; i < hl; ) {
                    int kind = seg[i] & 0xff;
                    if (kind == 0) {
                        break;
                    }
                    if (kind == 1) {
                        i++;
                        continue;
                    }
                    if (kind == 3) {
                        wscale = seg[i + 2];
                    }
                    i += seg[i + 1] & 0xff;
                }
                return;
            }
            lastAck = Bytes.get32(seg, 8) & 0xffffffffL;
            lastWindow = Bytes.get16(seg, 14);
        };
        byte[] synOptions = {2, 4, 5, (byte) 180, 1, 3, 3, 7}; // MSS 1460, window scale 7
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, synOptions, 0);
        h.run(Duration.ofMillis(10));
        assertTrue(wscale > 0, "B scales its window: " + wscale);
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        long next = 1001;
        lastAck = 1001;
        lastWindow = -1;
        // fill what B offers, segment by segment, as a sender keeping to the window would
        for (int round = 0; round < 10_000 && lastWindow != 0; round++) {
            long edge = lastWindow < 0 ? next + 1460 : lastAck + ((long) lastWindow << wscale);
            int len = (int) Math.min(1460, edge - next);
            if (len <= 0) {
                h.run(Duration.ofMillis(50)); // wait for the window to move
                continue;
            }
            peer.send(40000, 80, (int) next, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], len);
            next += len;
            h.run(Duration.ofMillis(1));
        }
        h.run(Duration.ofMillis(500));
        assertEquals(0, lastWindow, "B's window closed");
        assertEquals(next, lastAck, "everything offered was taken");
        long before = lastAck;
        peer.send(40000, 80, (int) next, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 1);
        h.run(Duration.ofMillis(500));
        assertEquals(before, lastAck, "a byte beyond the advertised (zero) window is not taken");
        assertEquals(0, lastWindow);
    }
}
