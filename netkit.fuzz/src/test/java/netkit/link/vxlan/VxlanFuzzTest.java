package netkit.link.vxlan;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.admin.LinkCounters;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.MacAddress;
import netkit.fuzz.Frames;
import netkit.fuzz.FuzzNet;
import netkit.stack.Stack;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.AfterAll;

/**
 * VXLAN (RFC 7348): outer UDP payloads into the vxlan link's receive path ({@code VxlanLink.accept},
 * what its socket reader calls), on an interface vx0 = 192.168.77.1/24 of the stack under test: the
 * VXLAN header (flags, reserved bytes, VNI) and the inner Ethernet frame (ARP, IPv4, anything), from
 * several VTEP addresses. Every datagram shows in vx0's counters: received, or an rx error or drop
 * (the link reports the ones it discards itself), and the learned-MAC table stays within its bound.
 */
class VxlanFuzzTest {
    private static final int VNI = 42;
    private static final long VX_MAC = 0x020000000777L;
    private static final int VX_ADDR = 0xc0a84d01;
    private static FuzzNet net;
    private static VxlanLink link;

    private static void setUp() {
        net = new FuzzNet();
        Stack s = net.host();
        s.addDriver(new VxlanDriver());
        s.configure(new InterfaceConfig("vx0", "vxlan", SockAddr.parseAddress("192.168.77.1"), 24, 0, 0, VX_MAC,
                true, Map.of("local", "127.0.0.1:0", "remote", "127.0.0.1:9", "vni", Integer.toString(VNI))));
        link = (VxlanLink) s.iface("vx0").link();
        net.run(Duration.ofSeconds(1));
    }

    @FuzzTest
    void datagrams(FuzzedDataProvider data) {
        if (net == null) {
            setUp();
        }
        FuzzNet.Counts[] before = net.before();
        int count = data.consumeInt(1, 4);
        long given = 0;
        LinkCounters vxBefore = net.host().iface("vx0").status().counters();
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            ByteBuffer d = datagram(data);
            InetSocketAddress from = new InetSocketAddress("127.0.0." + data.consumeInt(1, 4), 4789);
            link.accept(from, d);
            given++;
            net.run(Duration.ZERO);
        }
        LinkCounters vx = net.host().iface("vx0").status().counters();
        long accounted = vx.rxPackets() - vxBefore.rxPackets() + vx.rxErrors() - vxBefore.rxErrors()
                + vx.rxDropped() - vxBefore.rxDropped();
        if (given > accounted) {
            throw new AssertionError(given + " datagrams in, " + accounted
                    + " counted by vx0 (rx packets, errors, drops): the link dropped one unseen");
        }
        if (link.learnedCount() > VxlanLink.LEARNED_MAX) {
            throw new AssertionError("learned " + link.learnedCount() + " MACs, bound " + VxlanLink.LEARNED_MAX);
        }
        net.check(before, Duration.ofSeconds(1));
    }

    private static ByteBuffer datagram(FuzzedDataProvider data) {
        if (data.consumeInt(0, 7) == 7) {
            return ByteBuffer.wrap(data.consumeBytes(data.consumeInt(0, 1600)));
        }
        int flags = data.consumeInt(0, 7) == 7 ? data.consumeInt() : 0x08000000;
        int vni = data.consumeInt(0, 7) == 7 ? data.consumeInt(0, 0xffffff) : VNI;
        int reserved = data.consumeInt(0, 7) == 7 ? data.consumeInt(0, 255) : 0;
        long dst = switch (data.consumeInt(0, 2)) {
            case 0 -> VX_MAC;
            case 1 -> MacAddress.BROADCAST;
            default -> data.consumeLong() & 0xffffffffffffL;
        };
        long src = data.consumeInt(0, 3) == 3 ? data.consumeLong() & 0xffffffffffffL : 0x02000000beefL;
        int type = data.consumeInt(0, 3) == 3 ? data.consumeInt(0, 0xffff)
                : data.consumeBoolean() ? EthernetFrame.TYPE_IPV4 : EthernetFrame.TYPE_ARP;
        byte[] inner = data.consumeBytes(data.consumeInt(0, 1500));
        if (type == EthernetFrame.TYPE_IPV4 && !data.consumeBoolean()) {
            inner = Frames.ipv4(0, data.consumeInt(0, 0xffff), 0, 64, data.consumeInt(0, 255), 0xc0a84d02, VX_ADDR,
                    new byte[0], inner);
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 14 + inner.length);
        b.putInt(flags).putInt(vni << 8 | reserved);
        byte[] eth = new byte[14];
        EthernetFrame.emit(eth, 0, dst, src, type);
        b.put(eth).put(inner).flip();
        return b;
    }

    @AfterAll
    static void stillHealthy() {
        if (net != null) {
            net.verifyHealthy();
            link.close();
        }
    }
}
