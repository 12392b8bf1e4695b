package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import netkit.api.wire.Bytes;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;

/**
 * ARP packets (RFC 826) into s1: requests and replies for and not for it, gratuitous ones, odd
 * hardware and protocol types and lengths, trailing bytes; several per input, with time passing.
 * Sender addresses never claim s0's (10.0.0.1), and claims of s1's go to s1 alone: ARP lets anyone
 * redirect a neighbour's traffic, which is no bug of the stack but would fail the health check.
 */
class ArpFuzzTest {
    private static FuzzNet net;

    @FuzzTest
    void packets(FuzzedDataProvider data) {
        if (net == null) {
            net = new FuzzNet();
        }
        FuzzNet.Counts[] before = net.before();
        int count = data.consumeInt(1, 8);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            long dst = data.consumeBoolean() ? MacAddress.BROADCAST : FuzzNet.HOST_MAC;
            byte[] p = arp(data);
            if (p.length >= 18 && Bytes.get32(p, 14) == FuzzNet.HOST) {
                dst = FuzzNet.HOST_MAC; // claiming s1's address: to s1 alone, s0 would rightly believe it
            }
            net.inject(Frames.ethernet(dst, FuzzNet.INJECTOR_MAC, EthernetFrame.TYPE_ARP, p));
            if (data.consumeInt(0, 3) == 3) {
                net.run(Duration.ofMillis(data.consumeInt(0, 40_000)));
            }
        }
        net.check(before, Duration.ofSeconds(1));
    }

    private static byte[] arp(FuzzedDataProvider data) {
        byte[] p = new byte[28 + data.consumeInt(0, 3) * data.consumeInt(0, 20)];
        boolean odd = data.consumeInt(0, 7) == 7;
        Bytes.put16(p, 0, odd ? data.consumeInt(0, 0xffff) : 1);
        Bytes.put16(p, 2, odd ? data.consumeInt(0, 0xffff) : 0x0800);
        p[4] = (byte) (odd ? data.consumeInt(0, 255) : 6);
        p[5] = (byte) (odd ? data.consumeInt(0, 255) : 4);
        int op = switch (data.consumeInt(0, 4)) {
            case 0, 1 -> 1;
            case 2, 3 -> 2;
            default -> data.consumeInt(0, 0xffff);
        };
        Bytes.put16(p, 6, op);
        Bytes.put48(p, 8, data.consumeBoolean() ? data.consumeLong() & 0xffffffffffffL : FuzzNet.INJECTOR_MAC);
        int spa = switch (data.consumeInt(0, 4)) {
            case 0 -> FuzzNet.INJECTOR;
            case 1 -> 0; // an ARP probe (RFC 5227)
            case 2 -> FuzzNet.HOST; // a conflict with s1's own address
            case 3 -> 0x0a000000 | data.consumeInt(3, 255); // a neighbour in the subnet
            default -> data.consumeInt();
        };
        Bytes.put32(p, 14, spa == FuzzNet.PEER ? FuzzNet.INJECTOR : spa);
        Bytes.put48(p, 18, data.consumeBoolean() ? 0 : data.consumeLong() & 0xffffffffffffL);
        Bytes.put32(p, 24, data.consumeInt(0, 3) != 3 ? FuzzNet.HOST : data.consumeInt());
        if (data.consumeInt(0, 15) == 15) {
            Frames.flipBit(p, data);
            if (Bytes.get32(p, 14) == FuzzNet.PEER) {
                Bytes.put32(p, 14, FuzzNet.INJECTOR);
            }
        }
        return p;
    }

    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
