package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import netkit.api.Net;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goodput of a bulk sender under seeded random loss against the Mathis bound (Mathis et al. 1997:
 * MSS/RTT · 1.22/√p), loss 0.1-5 % each way and RTT 1-50 ms on the simulated clock, and no
 * retransmission timeout where RACK or a tail loss probe should have repaired the loss. Loss hits
 * both directions; about 150 losses per case (fewer at 0.1 %, where 8 MB hold a handful: those
 * cases are mostly slow start and show the absence of timeouts more than the steady state).
 */
class TcpGoodputTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (double loss : new double[] {0.001, 0.01, 0.05}) {
            for (int rttMs : new int[] {1, 10, 50}) {
                s.add(Arguments.of(loss, rttMs));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "loss {0}, RTT {1} ms")
    @MethodSource("cases")
    void goodputReachesTheMathisBound(double loss, int rttMs) throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 4 << 20);
        h.net.hub.segment("lan").impairment(new Impairment(loss, 0, 0, 0, rttMs * 500L, 0, 0, 11));
        int mss = 1448;
        // About 150 losses and two seconds of the bound, within 8 MB.
        double mathis = mss / (rttMs / 1000.0) * 1.22 / Math.sqrt(loss); // bytes per second
        long size = (long) Math.min(8 << 20, Math.max(150 / loss * mss, 2 * mathis));
        byte[] data = new byte[(int) size];
        new Random(7).nextBytes(data);
        long start = h.net.loop.nanoTime();
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofHours(1), f);
        double seconds = (h.net.loop.nanoTime() - start) / 1e9;
        assertEquals(data.length, f.got.size());
        double goodput = data.length / seconds;
        long rtos = h.counter(0, TcpCounter.TIMEOUTS);
        System.out.printf("loss %.3f RTT %2d ms: %.1f Mbit/s, Mathis %.1f Mbit/s (%.2f), %d B, %d lost frames, "
                + "RTO %d, TLP %d (repaired %d), RACK lost %d, fast recoveries %d, retransmits %d%n", loss, rttMs,
                goodput * 8 / 1e6, mathis * 8 / 1e6, goodput / mathis, size, h.net.hub.segment("lan").lost(), rtos,
                h.counter(0, TcpCounter.LOSS_PROBES), h.counter(0, TcpCounter.LOSS_PROBE_RECOVERY),
                h.counter(0, TcpCounter.RACK_LOST), h.counter(0, TcpCounter.FAST_RETRANSMITS),
                h.counter(0, TcpCounter.RETRANS_SEGS));
        assertEquals(0, rtos, "every loss repaired by RACK or a tail loss probe, none by the RTO");
        assertTrue(goodput >= 0.9 * mathis, "goodput " + goodput + " B/s < 0.9 × Mathis " + mathis);
    }
}
