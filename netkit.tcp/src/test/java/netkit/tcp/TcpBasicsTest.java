package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpBasicsTest {
    @Test
    void handshakeTransferAndClose() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        assertEquals("ESTABLISHED", h.stack(0).admin().sockets().get(0).state());
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        byte[] got = h.transfer(h.a, p[0], h.b, p[1], data, Duration.ofSeconds(30));
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(got));
        byte[] back = h.transfer(h.b, p[1], h.a, p[0], new byte[] {1, 2, 3}, Duration.ofSeconds(5));
        assertEquals(3, back.length);
    }
}
