package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import netkit.api.wire.Bytes;
import netkit.api.wire.Ipv4Packet;
import org.junit.jupiter.api.AfterAll;

/**
 * IPv4 (RFC 791) into s1, every header field varied: version, IHL and options, lengths, flags,
 * fragment offset, TTL, protocol, addresses, checksum.
 */
class Ipv4FuzzTest {
    private static FuzzNet net;

    private static FuzzNet net() {
        if (net == null) {
            net = new FuzzNet();
        }
        return net;
    }

    @FuzzTest
    void packets(FuzzedDataProvider data) {
        FuzzNet n = net();
        FuzzNet.Counts[] before = n.before();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            n.injectIp(packet(data));
        }
        n.check(before, Duration.ofSeconds(1));
    }

    private static byte[] packet(FuzzedDataProvider data) {
        int protocol = data.pickValue(new int[] {1, 6, 17, 253, 0, 2, 255});
        if (data.consumeInt(0, 3) == 3) {
            protocol = data.consumeInt(0, 255);
        }
        int flags = switch (data.consumeInt(0, 3)) {
            case 0, 1 -> 0;
            case 2 -> Ipv4Packet.FLAG_DF;
            default -> data.consumeInt(0, 0xffff);
        };
        byte[] options = data.consumeInt(0, 3) == 3 ? data.consumeBytes(data.consumeInt(0, 40)) : new byte[0];
        byte[] p = Frames.ipv4(data.consumeInt(0, 255), data.consumeInt(0, 0xffff), flags,
                data.consumeInt(0, 3) == 3 ? data.consumeInt(0, 255) : 64, protocol, Addresses.source(data),
                Addresses.destination(data), options, data.consumeBytes(data.consumeInt(0, 1480)));
        switch (data.consumeInt(0, 9)) {
            case 6 -> { // a wrong total length, checksum still right
                Bytes.put16(p, 2, data.consumeInt(0, 0xffff));
                Frames.ipChecksum(p);
            }
            case 7 -> { // a wrong version or IHL, checksum still right
                p[0] = data.consumeByte();
                Frames.ipChecksum(p);
            }
            case 8 -> Frames.flipBit(p, data); // anything, checksum most likely broken
            case 9 -> { // truncated
                int len = data.consumeInt(0, p.length);
                p = java.util.Arrays.copyOf(p, len);
            }
            default -> {
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
