package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded impairment matrix: loss, reordering, duplication and corruption on the wire, transfers
 * in both directions at once; every byte is compared by SHA-256 and the connection must close
 * cleanly. The seed makes every failure reproducible.
 */
class TcpImpairmentTest {
    static Stream<Arguments> matrix() {
        Stream.Builder<Arguments> s = Stream.builder();
        double[] losses = {0, 0.01, 0.05, 0.20};
        int[] sizes = {1, 1000, 100_000, 1_000_000};
        long seed = 1;
        for (double loss : losses) {
            for (int size : sizes) {
                for (String cc : new String[] {"cubic", "reno"}) {
                    s.add(Arguments.of(loss, 0.0, 0.0, 0.0, size, cc, seed++));
                }
            }
        }
        // Mixed impairment over many seeds; -Dnetkit.long=true runs ten times as many.
        int seeds = Boolean.getBoolean("netkit.long") ? 2000 : 200;
        Random r = new Random(2026);
        for (long i = 0; i < seeds; i++) {
            double loss = new double[] {0, 0.01, 0.05, 0.2}[(int) (i % 4)];
            s.add(Arguments.of(loss, r.nextDouble() * 0.05, r.nextDouble() * 0.1, r.nextDouble() * 0.03,
                    1 + r.nextInt(200_000), i % 2 == 0 ? "cubic" : "reno", 1000 + i));
        }
        return s.build();
    }

    @ParameterizedTest(name = "loss {0} dup {1} reorder {2} corrupt {3}: {4} B, {5}, seed {6}")
    @MethodSource("matrix")
    void bytesArriveExactlyBothWays(double loss, double dup, double reorder, double corrupt, int size, String cc,
            long seed) throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().congestionControl(cc).build());
        int[] p = h.pair(5000);
        h.net.hub.segment("lan").impairment(new Impairment(loss, dup, reorder, corrupt, 200, 100, 0, seed));
        byte[] up = new byte[size];
        byte[] down = new byte[size / 2 + 1];
        new Random(seed).nextBytes(up);
        new Random(seed + 1).nextBytes(down);
        // Both directions at once, on one simulated clock.
        TcpHarness.Flow toServer = h.new Flow(h.a, p[0], h.b, p[1], up);
        TcpHarness.Flow toClient = h.new Flow(h.b, p[1], h.a, p[0], down);
        h.pump(Duration.ofMinutes(30), toServer, toClient);
        assertEquals(TcpHarness.sha256(up), TcpHarness.sha256(toServer.got.toByteArray()), "client to server");
        assertEquals(TcpHarness.sha256(down), TcpHarness.sha256(toClient.got.toByteArray()), "server to client");
        if (loss >= 0.05 && size >= 100_000) {
            assertTrue(h.net.hub.segment("lan").lost() > 0, "the wire really lost frames");
            assertTrue(h.counter(0, TcpCounter.RETRANS_SEGS) + h.counter(1, TcpCounter.RETRANS_SEGS) > 0,
                    "and TCP recovered them");
        }
        h.a.closesocket(p[0]);
        h.b.closesocket(p[1]);
        h.run(Duration.ofMinutes(3));
        assertEquals(0, h.counter(0, TcpCounter.CURR_ESTAB));
        assertEquals(0, h.counter(1, TcpCounter.CURR_ESTAB));
    }

    @org.junit.jupiter.api.Test
    void fiftyMegabytesThroughOnePercentLoss() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(5000);
        h.net.hub.segment("lan").impairment(new Impairment(0.01, 0, 0.01, 0, 100, 50, 0, 50));
        byte[] data = new byte[50 << 20];
        new Random(50).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofHours(1), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
    }
}
