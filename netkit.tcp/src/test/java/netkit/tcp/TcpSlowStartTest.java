package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.Random;
import netkit.api.Net;
import netkit.api.spi.impair.Impairment;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Slow start on a path with a bottleneck queue (HyStart++, RFC 9406). */
class TcpSlowStartTest {
    /**
     * 10 Mbit/s with 40 ms RTT and a 200 ms drop-tail queue: classic slow start keeps doubling
     * while the queue builds (here until the receive window stops it, slow start never ends);
     * HyStart++ sees the RTT grow and leaves slow start (Conservative Slow Start, then avoidance)
     * with nothing lost.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cubic", "reno"})
    void slowStartEndsOnRttIncreaseBeforeLoss(String cc) throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().congestionControl(cc).build());
        int[] p = h.pair(80);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 4 << 20);
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, 20_000, 0, 10_000_000, 5));
        byte[] data = new byte[4 << 20];
        new Random(5).nextBytes(data);
        TcpHarness.Flow f = h.new Flow(h.a, p[0], h.b, p[1], data);
        h.pump(Duration.ofSeconds(60), f);
        assertEquals(TcpHarness.sha256(data), TcpHarness.sha256(f.got.toByteArray()));
        long ssthresh = h.stack(0).admin().sockets().stream().filter(s -> s.token() == p[0]).findFirst()
                .orElseThrow().tcpInfo().sndSsthreshBytes();
        assertNotEquals(Long.MAX_VALUE, ssthresh, "slow start has ended");
        assertEquals(0, h.counter(0, TcpCounter.RETRANS_SEGS), "before anything was lost");
        assertEquals(1, h.counter(0, TcpCounter.HYSTART_DELAY_DETECT), "ended by HyStart++, counted");
        assertEquals(ssthresh / 1448, h.counter(0, TcpCounter.HYSTART_DELAY_CWND),
                "cwnd in segments when it ended: ssthresh");
    }
}
