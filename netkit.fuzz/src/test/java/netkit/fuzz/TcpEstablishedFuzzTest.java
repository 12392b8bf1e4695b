package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import netkit.api.ErrnoException;
import netkit.api.Net;

/**
 * TCP (RFC 9293 and its options) into an established connection of s1: opened first with
 * fuzzer-chosen SYN options (MSS, window scale, SACK, timestamps) while s1's application sends some
 * data; then segments in and around its windows (options, SACK blocks, data, FIN, RST, URG) while
 * the application reads, writes, shuts down or closes between them and time passes.
 */
class TcpEstablishedFuzzTest {
    private static FuzzNet net;

    private static FuzzNet net() {
        if (net == null) {
            net = new FuzzNet();
        }
        return net;
    }

    @FuzzTest
    void established(FuzzedDataProvider data) {
        FuzzNet n = net();
        FuzzNet.Counts[] before = n.before();
        int port = TcpSegments.port();
        byte[] synOptions = TcpSegments.synOptions(data);
        int c = n.connect(port, data.consumeInt(), synOptions);
        if (c < 0) {
            n.check(before, Duration.ofSeconds(1));
            throw new AssertionError("s1 did not accept a connection with SYN options "
                    + java.util.HexFormat.of().formatHex(synOptions));
        }
        try {
            byte[] out = new byte[data.consumeInt(0, 3) * 7000];
            if (out.length > 0) {
                n.api.send(c, out, 0, out.length, Net.MSG_DONTWAIT);
                n.run(Duration.ofMillis(1));
            }
            boolean closed = false;
            int count = data.consumeInt(1, 12);
            for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
                TcpSegments.segment(n, data, port, FuzzNet.TCP_PORT, n.lastSegmentTo(port));
                switch (data.consumeInt(0, 11)) {
                    case 6 -> n.run(Duration.ofMillis(data.consumeInt(0, 130_000)));
                    case 7 -> n.run(Duration.ofMillis(data.consumeInt(0, 500)));
                    case 8 -> {
                        if (!closed) {
                            TcpSegments.appRead(n, c);
                        }
                    }
                    case 9 -> {
                        if (!closed) {
                            TcpSegments.appWrite(n, c, data.consumeInt(1, 20000));
                        }
                    }
                    case 10 -> {
                        if (!closed) {
                            TcpSegments.appShutdown(n, c);
                        }
                    }
                    case 11 -> {
                        if (!closed) {
                            FuzzNet.closeQuietly(n.api, c);
                            closed = true;
                        }
                    }
                    default -> {
                    }
                }
            }
            if (!closed) {
                TcpSegments.appRead(n, c);
                FuzzNet.closeQuietly(n.api, c);
            }
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        }
        n.run(Duration.ofMillis(10));
        n.reset(port);
        n.check(before, Duration.ofSeconds(1));
    }


    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
