package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * TCP (RFC 9293 and its options) into s1's listener: segments from two injector ports to the
 * listening port (or a closed one), sequence and acknowledgment numbers either raw or relative to
 * what s1 last sent them, so handshakes complete, SYN cookies and resets happen, with time passing.
 */
class TcpListenerFuzzTest {
    private static FuzzNet net;

    private static FuzzNet net() {
        if (net == null) {
            net = new FuzzNet();
        }
        return net;
    }

    @FuzzTest
    void listener(FuzzedDataProvider data) {
        FuzzNet n = net();
        FuzzNet.Counts[] before = n.before();
        int[] ports = {TcpSegments.port(), TcpSegments.port()};
        int count = data.consumeInt(1, 8);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            int port = ports[data.consumeInt(0, 1)];
            int dstPort = data.consumeInt(0, 7) == 7 ? data.consumeInt(0, 0xffff) : FuzzNet.TCP_PORT;
            byte[] last = n.lastSegmentTo(port);
            TcpSegments.segment(n, data, port, dstPort, last);
            if (data.consumeInt(0, 7) == 7) {
                n.run(Duration.ofMillis(data.consumeInt(0, 70_000)));
            }
        }
        n.drainSockets();
        n.run(Duration.ofMillis(10));
        n.reset(ports[0]);
        n.reset(ports[1]);
        n.check(before, Duration.ofSeconds(1));
    }


    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
