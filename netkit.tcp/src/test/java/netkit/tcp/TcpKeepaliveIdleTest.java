package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Net;
import org.junit.jupiter.api.Test;

/**
 * Keepalive probes go out only when the connection is idle (RFC 9293 MUST-26, RFC 1122 §4.2.3.6):
 * while data waits for acknowledgment the retransmission timer is in charge, and the keepalive
 * count does not cut a connection short.
 */
class TcpKeepaliveIdleTest {
    private final TcpHarness h = new TcpHarness();
    private volatile boolean bSilent;
    private int keepaliveProbesFromA;

    TcpKeepaliveIdleTest() {
        h.net.hub.segment("lan").filter((port, frame) -> {
            byte[] f = frame.toByteArray();
            boolean tcp = f.length > 34 && f[12] == 0x08 && f[13] == 0 && f[23] == Net.IPPROTO_TCP;
            if (tcp && (port.mac() & 0xff) == 0 && WireTap.dataLength(f) == 0 && bSilent) {
                keepaliveProbesFromA++; // A sends no pure ACKs here: B sends nothing to acknowledge
            }
            return !(bSilent && tcp && (port.mac() & 0xff) == 1);
        });
    }

    @Test
    void noKeepaliveProbeWhileDataIsOutstanding() throws Exception {
        int[] p = h.pair(7400);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_KEEPALIVE, 1);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_KEEPIDLE, 10);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_KEEPINTVL, 1);
        h.a.setsockopt(p[0], Net.IPPROTO_TCP, Net.TCP_KEEPCNT, 2);
        bSilent = true; // B's answers are lost: A retransmits with backoff
        h.a.send(p[0], new byte[100], 0, 100, 0);
        h.run(Duration.ofSeconds(60));
        assertEquals(0, keepaliveProbesFromA, "no keepalive probe while retransmitting");
        assertEquals(0, h.a.getsockopt(p[0], Net.SOL_SOCKET, Net.SO_ERROR), "not given up by the keepalive count");
    }
}
