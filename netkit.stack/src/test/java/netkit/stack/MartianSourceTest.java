package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.SockAddr;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.IpCounter;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.link.wire.WirePort;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** Martian source addresses from a link are dropped and counted (RFC 1122 §3.2.1.3, RFC 1812 §5.3.7). */
class MartianSourceTest {
    private static long ip(Stack s, IpCounter c) {
        return s.admin().statistics().ip().get(c);
    }

    private static void inject(WirePort rogue, int src, int dst) {
        byte[] f = new byte[14 + 21];
        EthernetFrame.emit(f, 0, 0x020000000101L, rogue.mac(), 0x0800);
        Ipv4Packet.emit(f, 14, 0, 21, 1, 0, 64, RawProtocol.NUMBER, src, dst);
        f[34] = 7;
        rogue.transmit(PacketBuffer.wrapCopy(f, 0, f.length));
    }

    @Test
    void martianSourcesFromTheWireAreDroppedAndCounted() {
        TestNet net = new TestNet(2);
        RawProtocol p = new RawProtocol();
        net.stack(1).addProtocol(p);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000ffffL, 1500, PacketBuffer::release);
        int own = TestNet.address(1);
        String[] martians = {"0.1.2.3", "0.0.0.0", "240.0.0.1", "224.0.0.1", "255.255.255.255", "127.0.0.1",
            "10.0.0.255", "10.0.0.2"};
        for (String m : martians) {
            inject(rogue, SockAddr.parseAddress(m), own);
        }
        net.run(Duration.ofMillis(1));
        assertEquals(0, p.last.received.size(), "no martian is delivered");
        assertEquals(martians.length, ip(net.stack(1), IpCounter.IN_MARTIAN_SRC));
        assertEquals(martians.length, ip(net.stack(1), IpCounter.IN_ADDR_ERRORS));
        assertEquals(0, ip(net.stack(1), IpCounter.IN_DELIVERS));

        inject(rogue, TestNet.address(5), own);
        net.run(Duration.ofMillis(1));
        assertEquals(1, p.last.received.size(), "a normal source still works");
        assertEquals(martians.length, ip(net.stack(1), IpCounter.IN_MARTIAN_SRC));
    }

    @Test
    void zeroSourceToLimitedBroadcastIsAccepted() {
        // Linux accepts 0/8 sources to 255.255.255.255 only (an initializing host, RFC 1122 §3.2.1.3 (a)).
        TestNet net = new TestNet(2);
        RawProtocol p = new RawProtocol();
        net.stack(1).addProtocol(p);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000ffffL, 1500, PacketBuffer::release);
        inject(rogue, 0, -1);
        net.run(Duration.ofMillis(1));
        assertEquals(1, p.last.received.size());
        assertEquals(0, ip(net.stack(1), IpCounter.IN_MARTIAN_SRC));
    }

    @Test
    void loopbackTrafficIsNoMartian() throws Exception {
        TestNet net = new TestNet(1);
        RawProtocol p = new RawProtocol();
        net.stack(0).addProtocol(p);
        p.last.sendRaw(SockAddr.parseAddress("127.0.0.1"), new byte[] {1}, false);
        p.last.sendRaw(TestNet.address(0), new byte[] {2}, false);
        net.run(Duration.ofMillis(1));
        assertEquals(2, p.last.received.size());
        assertEquals(SockAddr.parseAddress("127.0.0.1"), p.last.received.get(0).src());
        assertEquals(TestNet.address(0), p.last.received.get(1).src());
        assertEquals(0, ip(net.stack(0), IpCounter.IN_MARTIAN_SRC));
    }
}
