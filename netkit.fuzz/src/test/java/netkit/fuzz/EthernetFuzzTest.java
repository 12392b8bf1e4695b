package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import netkit.api.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;

/** Ethernet frames of any EtherType (or raw bytes, even shorter than a header) into s1. */
class EthernetFuzzTest {
    private static FuzzNet net;

    @FuzzTest
    void frames(FuzzedDataProvider data) {
        if (net == null) {
            net = new FuzzNet();
        }
        FuzzNet.Counts[] before = net.before();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            net.inject(frame(data));
        }
        net.check(before, Duration.ofSeconds(1));
    }

    private static byte[] frame(FuzzedDataProvider data) {
        if (data.consumeInt(0, 7) == 7) {
            return data.consumeBytes(data.consumeInt(0, 1600));
        }
        long dst = switch (data.consumeInt(0, 3)) {
            case 0 -> FuzzNet.HOST_MAC;
            case 1 -> MacAddress.BROADCAST;
            case 2 -> 0x01005e000001L; // a multicast group s1 never joined
            default -> data.consumeLong() & 0xffffffffffffL;
        };
        long src = data.consumeBoolean() ? data.consumeLong() & 0xffffffffffffL : FuzzNet.INJECTOR_MAC;
        int type = switch (data.consumeInt(0, 3)) {
            case 0 -> 0x0800;
            case 1 -> 0x0806;
            case 2 -> 0x86dd;
            default -> data.consumeInt(0, 0xffff);
        };
        return Frames.ethernet(dst, src, type, data.consumeBytes(data.consumeInt(0, 1500)));
    }

    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
