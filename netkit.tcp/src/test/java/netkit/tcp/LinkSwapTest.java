package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import netkit.api.Net;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.Test;

/** Hot-swap: the link under a live connection is replaced (and removed for a while) without losing a byte. */
class LinkSwapTest {
    @Test
    void swappingTheLinkUnderALiveTransferLosesNoByte() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        // A fixed 256 KiB send buffer (no auto-tuning) keeps the transfer long enough for six swaps.
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 256 << 10);
        h.net.hub.segment("lan").impairment(new netkit.api.spi.impair.Impairment(0, 0, 0, 0, 2000, 0, 0, 1));
        byte[] data = new byte[5 << 20];
        new Random(8).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        InterfaceConfig eth0 = h.stack(0).iface("eth0").config();
        int[] swaps = {0};
        long[] next = {h.net.loop.nanoTime() + 20_000_000L};
        boolean done = h.net.loop.runUntil(() -> {
            try {
                f.step();
            } catch (netkit.api.ErrnoException e) {
                throw new AssertionError(e);
            }
            if (h.net.loop.nanoTime() >= next[0] && swaps[0] < 6) {
                swaps[0]++;
                next[0] += 20_000_000L;
                if (swaps[0] % 2 == 1) {
                    // A new link of the same driver (new port, same MAC), like netkit:ifconfig ... driver;
                    // a changed seed relinks and changes nothing else while nothing is impaired.
                    h.stack(0).configure(eth0.withParameters(Map.of("segment", "lan", "seed", "" + swaps[0])));
                } else {
                    h.stack(0).removeDriver(h.net.wire); // the driver bundle stops: frames are lost meanwhile
                    h.run(Duration.ofMillis(5));
                    h.stack(0).addDriver(h.net.wire);
                }
            }
            return f.eof;
        }, Duration.ofMinutes(5));
        assertTrue(done, "transfer finished");
        assertTrue(swaps[0] >= 4, "the link changed under the transfer " + swaps[0] + " times");
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        h.run(Duration.ofMillis(10)); // the ACK of our FIN crosses the 2 ms wire
        assertEquals("FIN_WAIT_2", h.stack(0).admin().sockets().get(0).state());
        h.b.shutdown(p[1], Net.SHUT_WR);
    }
}
