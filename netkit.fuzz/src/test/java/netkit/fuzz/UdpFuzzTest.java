package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import netkit.api.wire.Bytes;
import org.junit.jupiter.api.AfterAll;

/**
 * UDP (RFC 768) into s1: to the bound port, to the connected socket (from its peer or not), to closed
 * ports, to broadcasts; length field right or wrong, checksum right, absent (0) or broken.
 */
class UdpFuzzTest {
    private static FuzzNet net;

    @FuzzTest
    void datagrams(FuzzedDataProvider data) {
        if (net == null) {
            net = new FuzzNet();
        }
        FuzzNet.Counts[] before = net.before();
        int count = data.consumeInt(1, 6);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            int src = data.consumeInt(0, 3) == 3 ? Addresses.source(data) : FuzzNet.INJECTOR;
            int dst = data.consumeInt(0, 3) == 3 ? Addresses.destination(data) : FuzzNet.HOST;
            int dstPort = switch (data.consumeInt(0, 3)) {
                case 0 -> FuzzNet.UDP_PORT;
                case 1 -> FuzzNet.UDP_CONNECTED_PORT;
                case 2 -> data.consumeInt(1, 0xffff); // most likely closed: port unreachable
                default -> 0;
            };
            int srcPort = data.consumeBoolean() ? data.consumeInt(0, 0xffff) : FuzzNet.UDP_REMOTE_PORT;
            byte[] d = Frames.udp(srcPort, dstPort, src, dst, data.consumeBytes(data.consumeInt(0, 1472)));
            switch (data.consumeInt(0, 7)) {
                case 4 -> { // a wrong length field, checksum recomputed over it
                    Bytes.put16(d, 4, data.consumeInt(0, 0xffff));
                    Frames.transportChecksum(d, 6, 17, src, dst);
                }
                case 5 -> Bytes.put16(d, 6, 0); // no checksum
                case 6 -> Frames.flipBit(d, data);
                case 7 -> d = java.util.Arrays.copyOf(d, data.consumeInt(0, d.length)); // truncated
                default -> {
                }
            }
            net.injectIp(net.ip(17, src, dst, d));
        }
        net.check(before, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
