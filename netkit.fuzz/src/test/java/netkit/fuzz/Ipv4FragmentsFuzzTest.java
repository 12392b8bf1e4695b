package netkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import java.util.ArrayList;
import java.util.List;
import netkit.api.wire.Ipv4Packet;

/**
 * IPv4 fragments (RFC 791 §3.2, RFC 815) into s1: one datagram (UDP to a bound port, ICMP echo or an
 * unknown protocol, transport checksum valid) cut into a fuzzer-chosen sequence of fragments sent in
 * a fuzzer-chosen order: any offsets and lengths, overlaps, duplicates, wrong MF flags, two
 * identifications, time passing between them (past the reassembly timeout too).
 */
class Ipv4FragmentsFuzzTest {
    private static FuzzNet net;

    private static FuzzNet net() {
        if (net == null) {
            net = new FuzzNet();
        }
        return net;
    }

    @FuzzTest
    void fragments(FuzzedDataProvider data) {
        FuzzNet n = net();
        FuzzNet.Counts[] before = n.before();
        int src = data.consumeInt(0, 7) == 7 ? Addresses.source(data) : FuzzNet.INJECTOR;
        int dst = data.consumeInt(0, 7) == 7 ? Addresses.destination(data) : FuzzNet.HOST;
        int kind = data.consumeInt(0, 2);
        int protocol = kind == 0 ? 17 : kind == 1 ? 1 : 253;
        byte[] body = data.consumeBytes(data.consumeInt(0, 6000));
        byte[] payload = switch (kind) {
            case 0 -> Frames.udp(data.consumeInt(0, 0xffff), data.consumeBoolean()
                    ? data.consumeInt(0, 0xffff) : FuzzNet.UDP_PORT, src, dst, body);
            case 1 -> Frames.icmp(8, 0, data.consumeInt(), body);
            default -> body;
        };
        int[] ids = {n.nextIpId(), n.nextIpId()};
        List<byte[]> frags = new ArrayList<>();
        int count = data.consumeInt(1, 40);
        int at = 0;
        for (int i = 0; i < count; i++) {
            int units = (payload.length + 7) / 8;
            int off = data.consumeBoolean() ? data.consumeInt(0, Math.max(0, units + 2)) : at / 8;
            int len = data.consumeBoolean() ? data.consumeInt(0, 1480) : 8 * (185 - data.consumeInt(0, 184));
            int from = Math.min(payload.length, off * 8);
            int to = Math.min(payload.length, from + len);
            boolean more = data.consumeInt(0, 3) == 3 ? data.consumeBoolean() : to < payload.length;
            int id = data.consumeInt(0, 7) == 7 ? ids[1] : ids[0];
            byte[] part = java.util.Arrays.copyOfRange(payload, from, to);
            frags.add(Frames.ipv4(0, id, (more ? Ipv4Packet.FLAG_MF : 0) | (off & 0x1fff), 64, protocol, src, dst,
                    new byte[0], part));
            at = to;
        }
        while (!frags.isEmpty() && data.remainingBytes() > 0) {
            byte[] f = frags.remove(data.consumeInt(0, frags.size() - 1));
            n.injectIp(f);
            if (data.consumeInt(0, 7) == 7) {
                n.run(Duration.ofMillis(data.consumeInt(0, 35_000)));
            }
        }
        for (byte[] f : frags) {
            n.injectIp(f);
        }
        n.check(before, Duration.ofSeconds(1));
    }


    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
        }
    }
}
