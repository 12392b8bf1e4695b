package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Net;
import netkit.api.admin.SocketStatus;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/** The initial send sequence number is a 32-bit value held unsigned in the 64-bit sequence space. */
class TcpIssTest {

    /**
     * A passive open whose ISN has its top bit set: without timestamps the RTT is timed by sequence
     * number, and a negative ISS made the timed sequence look like "nothing timed" (-1), so the
     * server never took an RTT sample and kept its initial 1 s RTO.
     */
    @Test
    void passiveOpenWithAnIsnAboveTwoToThe31TakesRttSamples() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 16);
        RawPeer peer = new RawPeer(h);
        int[] synAck = {0};
        boolean[] gotSynAck = {false};
        int[] dataSeq = {0};
        int[] dataLen = {-1};
        peer.onSegment = s -> {
            int flags = s[13] & 0x3f;
            if ((flags & TcpHeader.SYN) != 0) {
                synAck[0] = Bytes.get32(s, 4);
                gotSynAck[0] = true;
            } else if (s.length > ((s[12] & 0xff) >>> 4) * 4) {
                dataSeq[0] = Bytes.get32(s, 4);
                dataLen[0] = s.length - ((s[12] & 0xff) >>> 4) * 4;
            }
        };
        int port = 40000;
        while (true) {
            gotSynAck[0] = false;
            peer.send(port, 80, 1000, 0, TcpHeader.SYN, 65535, RawPeer.mss(1460), 0);
            h.run(Duration.ofMillis(10));
            assertTrue(gotSynAck[0], "SYN-ACK");
            if (synAck[0] < 0) {
                break; // the ISN is at least 2^31
            }
            peer.send(port, 80, 1001, 0, TcpHeader.RST, 0, new byte[0], 0); // forget it, try another port
            port++;
            assertTrue(port < 40100, "some ISN among 100 has its top bit set");
        }
        peer.send(port, 80, 1001, synAck[0] + 1, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        h.b.send(s, new byte[100], 0, 100, Net.MSG_DONTWAIT);
        h.run(Duration.ofMillis(1));
        assertEquals(100, dataLen[0]);
        assertEquals(synAck[0] + 1, dataSeq[0]);
        h.run(Duration.ofMillis(49));
        peer.send(port, 80, 1001, dataSeq[0] + 100, TcpHeader.ACK, 65535, new byte[0], 0); // 50 ms later
        h.run(Duration.ofMillis(1));
        SocketStatus st = h.stack(1).admin().sockets().stream().filter(x -> x.token() == s).findFirst().orElseThrow();
        assertEquals(50.0, st.tcpInfo().rttMicros() / 1000.0, 1.0, "an RTT sample of 50 ms: " + st.tcpInfo());
    }
}
