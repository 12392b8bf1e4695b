package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.ProtocolSocket;
import netkit.api.spi.protocol.SocketOptions;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.wire.Ipv4Packet;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * The IP layer's hook for {@code SOCK_RAW} protocols ({@link ProtocolInstance#rawInput}, #12): shown
 * each datagram of its number with the IP header, before the protocol serving the number, and a
 * datagram it took draws no protocol unreachable (Linux's raw_local_deliver).
 */
class RawInputTest {
    /** A SOCK_RAW protocol on {@link RawProtocol#NUMBER} recording what it is shown. */
    static final class Watcher implements TransportProtocol, ProtocolInstance {
        final List<byte[]> seen = new ArrayList<>(); // IP header and payload
        final List<String> order;
        volatile boolean take;
        /** What rawInput records in {@link #order}. */
        volatile java.util.function.Supplier<String> probe = () -> "raw";

        Watcher(List<String> order) {
            this.order = order;
        }

        @Override
        public String name() {
            return "raw-watch";
        }

        @Override
        public int family() {
            return Net.AF_INET;
        }

        @Override
        public int type() {
            return Net.SOCK_RAW;
        }

        @Override
        public int protocol() {
            return RawProtocol.NUMBER;
        }

        @Override
        public boolean defaultForType() {
            return false;
        }

        @Override
        public ProtocolInstance attach(StackContext stack) {
            return this;
        }

        @Override
        public ProtocolSocket open(SocketOptions options) throws ErrnoException {
            throw new ErrnoException(Errno.EPROTONOSUPPORT);
        }

        @Override
        public void receive(PacketBuffer packet, IpMeta ip) {
            throw new AssertionError("a raw protocol is never given packets");
        }

        @Override
        public boolean rawInput(PacketBuffer packet, IpMeta ip) {
            int end = packet.offset() + packet.length();
            seen.add(java.util.Arrays.copyOfRange(packet.array(), ip.headerOffset(), end));
            order.add(probe.get());
            return take;
        }

        @Override
        public void detach() {
        }
    }

    private static long ip(Stack s, IpCounter c) {
        return s.admin().statistics().ip().get(c);
    }

    @Test
    void aDatagramARawProtocolTookDrawsNoProtocolUnreachable() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol sender = new RawProtocol(RawProtocol.NUMBER + 1); // sends 253 by hand below
        net.stack(0).addProtocol(sender);
        RawProtocol p253 = new RawProtocol();
        net.stack(0).addProtocol(p253);
        Watcher w = new Watcher(new ArrayList<>());
        net.stack(1).addProtocol(w);

        p253.last.sendRaw(TestNet.address(1), new byte[8], false);
        net.run(Duration.ofMillis(10));
        assertEquals(1, w.seen.size());
        assertEquals(1, ip(net.stack(1), IpCounter.IN_UNKNOWN_PROTOS), "not taken: protocol unreachable");
        assertEquals(1, net.stack(1).admin().statistics().icmp().get(IcmpCounter.OUT_DEST_UNREACHS));

        w.take = true;
        p253.last.sendRaw(TestNet.address(1), new byte[8], false);
        net.run(Duration.ofMillis(10));
        assertEquals(2, w.seen.size());
        Ipv4Packet h = new Ipv4Packet().wrap(w.seen.get(1), 0, w.seen.get(1).length);
        assertEquals(null, h.check(true), "shown with its IPv4 header");
        assertEquals(RawProtocol.NUMBER, h.protocol());
        assertEquals(TestNet.address(0), h.source());
        assertEquals(28, h.totalLength());
        assertEquals(1, ip(net.stack(1), IpCounter.IN_UNKNOWN_PROTOS), "taken: no second unreachable");
        assertEquals(1, net.stack(1).admin().statistics().icmp().get(IcmpCounter.OUT_DEST_UNREACHS));
        assertEquals(1, p253.last.errors.size(), "the sender heard one protocol unreachable, not two");
    }

    @Test
    void theRawProtocolSeesADatagramBeforeTheProtocolServingItsNumber() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol p0 = new RawProtocol();
        net.stack(0).addProtocol(p0);
        List<String> order = new ArrayList<>();
        RawProtocol p1 = new RawProtocol();
        net.stack(1).addProtocol(p1);
        Watcher w = new Watcher(order);
        w.probe = () -> "raw, the protocol has received " + p1.last.received.size();
        net.stack(1).addProtocol(w);
        p0.last.sendRaw(TestNet.address(1), "hello".getBytes(), false);
        net.run(Duration.ofMillis(10));
        assertEquals(List.of("raw, the protocol has received 0"), order);
        assertEquals(1, p1.last.received.size(), "then the protocol got it");
        assertTrue(new String(w.seen.get(0), 20, 5).equals("hello"));
        assertEquals(0, ip(net.stack(1), IpCounter.IN_UNKNOWN_PROTOS));
        net.stack(1).removeProtocol(w);
        p0.last.sendRaw(TestNet.address(1), "again".getBytes(), false);
        net.run(Duration.ofMillis(10));
        assertEquals(1, w.seen.size(), "gone with its protocol");
        assertEquals(2, p1.last.received.size());
    }
}
