package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.SockAddr;
import netkit.api.admin.ArpEntry;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Packet;
import netkit.api.spi.impair.Impairment;
import netkit.link.wire.WirePort;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** Two or three plain-Java stacks on one simulated wire. */
class StackWireTest {
    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static RawProtocol.Instance raw(Stack s) {
        RawProtocol p = new RawProtocol();
        s.addProtocol(p);
        return p.last;
    }

    private static long ipCounter(Stack s, IpCounter c) {
        return s.admin().statistics().ip().get(c);
    }

    private static long arpCounter(Stack s, ArpCounter c) {
        return s.admin().statistics().arp().get(c);
    }

    @Test
    void rawDatagramReachesAnotherStackThroughArp() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol.Instance a = raw(net.stack(0));
        RawProtocol.Instance b = raw(net.stack(1));
        assertTrue(net.stack(0).admin().arp().isEmpty());
        a.sendRaw(TestNet.address(1), "hello".getBytes(), false);
        net.run(Duration.ofMillis(10));
        assertEquals(1, b.received.size());
        assertArrayEquals("hello".getBytes(), b.received.get(0).payload());
        assertEquals(TestNet.address(0), b.received.get(0).src());
        ArpEntry e = net.stack(0).admin().arp().get(0);
        assertEquals(TestNet.address(1), e.address());
        assertEquals(0x020000000101L, e.mac());
        assertEquals("REACHABLE", e.state());
        assertEquals(1, arpCounter(net.stack(1), ArpCounter.OUT_REPLIES));
        // The request taught s1 about s0 (RFC 826 merge): its answer needs no ARP of its own.
        long requests = arpCounter(net.stack(1), ArpCounter.OUT_REQUESTS);
        b.sendRaw(TestNet.address(0), "back".getBytes(), false);
        net.run(Duration.ofMillis(10));
        assertEquals(requests, arpCounter(net.stack(1), ArpCounter.OUT_REQUESTS));
        assertArrayEquals("back".getBytes(), a.received.get(0).payload());
    }

    @Test
    void sixtyThousandBytesAreFragmentedAndReassembled() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol.Instance a = raw(net.stack(0));
        RawProtocol.Instance b = raw(net.stack(1));
        byte[] data = random(60_000, 1);
        a.sendRaw(TestNet.address(1), data, false);
        net.run(Duration.ofMillis(50));
        assertEquals(1, b.received.size());
        assertArrayEquals(data, b.received.get(0).payload());
        assertEquals((60_000 + 1479) / 1480, ipCounter(net.stack(0), IpCounter.FRAG_CREATES));
        assertEquals(1, ipCounter(net.stack(1), IpCounter.REASM_OKS));
        assertEquals(0, net.stack(1).reassembler().heldBytes());
    }

    @Test
    void lostFragmentMeansNoDeliveryAndTheBufferIsFreed() throws Exception {
        TestNet net = new TestNet(2);
        net.hub.segment("lan").impairment(Impairment.NONE.withLoss(0.02).withSeed(42));
        RawProtocol.Instance a = raw(net.stack(0));
        RawProtocol.Instance b = raw(net.stack(1));
        net.run(Duration.ofSeconds(5)); // let ARP settle despite loss
        int sent = 20;
        for (int i = 0; i < sent; i++) {
            a.sendRaw(TestNet.address(1), random(60_000, i), false);
            net.run(Duration.ofMillis(20));
        }
        net.run(Duration.ofSeconds(31));
        int delivered = b.received.size();
        assertTrue(delivered > 0 && delivered < sent, "some but not all datagrams survive 2% loss: " + delivered);
        for (RawProtocol.Received r : b.received) {
            assertEquals(60_000, r.payload().length);
        }
        assertTrue(ipCounter(net.stack(1), IpCounter.REASM_TIMEOUT) > 0);
        assertEquals(0, net.stack(1).reassembler().heldBytes(), "timed-out datagrams free their memory");
        assertEquals(0, net.stack(1).reassembler().pendingCount());
    }

    @Test
    void sizeLimits() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol.Instance a = raw(net.stack(0));
        assertEquals(Errno.EMSGSIZE, assertThrows(ErrnoException.class,
                () -> a.sendRaw(TestNet.address(1), new byte[65_516], false)).errno());
        assertEquals(Errno.EMSGSIZE, assertThrows(ErrnoException.class,
                () -> a.sendRaw(TestNet.address(1), new byte[1481], true)).errno(), "DF above the MTU");
        a.sendRaw(TestNet.address(1), new byte[65_515], false); // the largest legal datagram
    }

    @Test
    void protocolUnreachableComesBackToTheSendingProtocol() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol.Instance a = raw(net.stack(0));
        a.sendRaw(TestNet.address(1), new byte[8], false); // RFC 792: the error quotes 8 bytes of data
        net.run(Duration.ofMillis(10));
        assertEquals(1, ipCounter(net.stack(1), IpCounter.IN_UNKNOWN_PROTOS));
        assertEquals(1, net.stack(0).admin().statistics().icmp().get(IcmpCounter.IN_DEST_UNREACHS),
                "received by the IP layer itself");
        assertEquals(1, a.errors.size());
        IcmpError e = a.errors.get(0);
        assertEquals(IcmpHeader.DEST_UNREACHABLE, e.type());
        assertEquals(IcmpHeader.CODE_PROTOCOL_UNREACHABLE, e.code());
        assertEquals(Errno.ENOPROTOOPT, e.errno());
        assertTrue(e.hard());
        assertEquals(RawProtocol.NUMBER, e.quotedProtocol(), "quotes the original IP header");
        assertEquals(TestNet.address(1), e.from());
    }

    @Test
    void unresolvableNeighbourGivesHostUnreachable() throws Exception {
        StackSettings s = StackSettings.builder()
                .arp(netkit.stack.arp.ArpSettings.builder().queuePerNeighbour(3).build()).build();
        TestNet net = new TestNet(1, s, 1500);
        RawProtocol.Instance a = raw(net.stack(0));
        for (int i = 0; i < 5; i++) {
            a.sendRaw(0x0a000063, new byte[] {(byte) i}, false);
        }
        net.run(Duration.ofSeconds(5));
        assertEquals(1, arpCounter(net.stack(0), ArpCounter.UNRESOLVED));
        assertEquals(2, arpCounter(net.stack(0), ArpCounter.QUEUE_DROPS), "3 packets queued per neighbour");
        assertEquals(3, a.errors.size());
        assertEquals(Errno.EHOSTUNREACH, a.errors.get(0).errno());
        assertTrue(net.stack(0).admin().arp().isEmpty());
    }

    @Test
    void noRouteIsEnetunreach() {
        TestNet net = new TestNet(1);
        RawProtocol.Instance a = raw(net.stack(0));
        assertEquals(Errno.ENETUNREACH,
                assertThrows(ErrnoException.class, () -> a.sendRaw(0xc0a80101, new byte[1], false)).errno());
        assertEquals(1, ipCounter(net.stack(0), IpCounter.OUT_NO_ROUTES));
    }

    @Test
    void loopbackAndOwnAddressAreDeliveredLocally() throws Exception {
        TestNet net = new TestNet(1);
        RawProtocol.Instance a = raw(net.stack(0));
        a.sendRaw(SockAddr.parseAddress("127.0.0.1"), new byte[] {7}, false);
        a.sendRaw(TestNet.address(0), new byte[] {8}, false);
        net.run(Duration.ofMillis(1));
        assertEquals(2, a.received.size());
        assertEquals(0, net.stack(0).iface("eth0").status().counters().txPackets() - 1,
                "only the gratuitous ARP left eth0");
    }

    @Test
    void subnetBroadcastReachesEveryone() throws Exception {
        TestNet net = new TestNet(3);
        RawProtocol.Instance a = raw(net.stack(0));
        RawProtocol.Instance b = raw(net.stack(1));
        RawProtocol.Instance c = raw(net.stack(2));
        a.sendRaw(0x0a0000ff, new byte[] {1}, false);
        a.sendRaw(-1, new byte[] {2}, false);
        net.run(Duration.ofMillis(1));
        assertEquals(2, b.received.size());
        assertEquals(2, c.received.size());
        assertTrue(b.received.get(0).broadcast());
        assertEquals(0, net.stack(0).admin().arp().size(), "broadcast needs no ARP");
    }

    @Test
    void malformedFramesAreCountedAndDropped() {
        TestNet net = new TestNet(2);
        RawProtocol.Instance b = raw(net.stack(1));
        WirePort rogue = net.hub.segment("lan").attach(0x02000000ffffL, 1500, f -> f.release());
        long dst = 0x020000000101L;
        byte[] good = new byte[14 + 24];
        netkit.api.wire.EthernetFrame.emit(good, 0, dst, rogue.mac(), 0x0800);
        Ipv4Packet.emit(good, 14, 0, 24, 1, 0, 64, RawProtocol.NUMBER, TestNet.address(5), TestNet.address(1));
        byte[][] bad = {
            java.util.Arrays.copyOf(good, 14 + 10), // truncated header
            flip(good, 14 + 10), // bad checksum
            set(good, 14, 0x55), // version 5
            set(good, 14, 0x4f), // IHL 60 > length
            len(good, 100), // total length beyond the frame
            set(good, 12, 0x86), // unknown EtherType 0x8600
        };
        for (byte[] f : bad) {
            rogue.transmit(PacketBuffer.wrapCopy(f, 0, f.length));
        }
        rogue.transmit(PacketBuffer.wrapCopy(good, 0, good.length));
        net.run(Duration.ofMillis(1));
        assertEquals(1, b.received.size(), "only the good packet is delivered");
        assertEquals(5, ipCounter(net.stack(1), IpCounter.IN_HDR_ERRORS));
        assertEquals(5, net.stack(1).iface("eth0").status().counters().rxErrors());
        assertTrue(net.stack(1).iface("eth0").status().counters().rxDropped() >= 1);
    }

    /**
     * RFC 791 §3.1 (an option's length counts its type and length octets and stays inside the
     * header) and RFC 1122 §3.2.2.5: a datagram with a malformed option is dropped with a Parameter
     * Problem whose pointer is the option's first octet (Linux: pointer 20 for the first option),
     * not delivered or answered. Found by the differential test against Linux.
     */
    @Test
    void aMalformedIpOptionIsDroppedWithParameterProblem() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol.Instance a = raw(net.stack(0));
        RawProtocol.Instance b = raw(net.stack(1));
        a.sendRaw(TestNet.address(1), new byte[8], false); // ARP both ways first
        net.run(Duration.ofMillis(10));
        int delivered = b.received.size();
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        net.stack(1).admin().attachTap("eth0", (d, off, len, out) -> {
            if (out && len >= 14 + 20 + 8 && (d[off + 12] & 0xff) == 0x08 && d[off + 13] == 0
                    && d[off + 14 + 9] == 1 && (d[off + 14 + 20] & 0xff) == IcmpHeader.PARAMETER_PROBLEM) {
                sent.add(java.util.Arrays.copyOfRange(d, off, off + len));
            }
        });
        WirePort rogue = net.hub.segment("lan").attach(0x02000000ffffL, 1500, f -> f.release());
        long dst = 0x020000000101L;
        byte[][] options = {
            {7, 8, 4, 0}, // Record Route whose length runs past the header
            {7, 0, 4, 0}, // a length below 2
            {1, 1, 1, (byte) 0x44}, // NOPs, then a type with no length octet
        };
        int[] pointers = {20, 20, 23};
        for (int i = 0; i < options.length; i++) {
            byte[] f = new byte[14 + 24 + 8];
            netkit.api.wire.EthernetFrame.emit(f, 0, dst, rogue.mac(), 0x0800);
            Ipv4Packet.emit(f, 14, 0, 24 + 8, 1, 0, 64, RawProtocol.NUMBER, TestNet.address(0), TestNet.address(1));
            f[14] = 0x46; // IHL 6: 4 bytes of options
            System.arraycopy(options[i], 0, f, 14 + 20, 4);
            Bytes.put16(f, 14 + 10, 0);
            Bytes.put16(f, 14 + 10, netkit.api.wire.Checksum.of(f, 14, 24));
            rogue.transmit(PacketBuffer.wrapCopy(f, 0, f.length));
            net.run(Duration.ofMillis(10));
            assertEquals(delivered, b.received.size(), "not delivered: case " + i);
            assertEquals(i + 1, ipCounter(net.stack(1), IpCounter.IN_HDR_ERRORS));
            assertEquals(i + 1, net.stack(1).admin().statistics().icmp().get(IcmpCounter.OUT_PARM_PROBS));
            assertEquals(i + 1, sent.size(), "a Parameter Problem went out: case " + i);
            byte[] m = sent.get(i);
            assertEquals(0, m[14 + 20 + 1], "code 0: the pointer indicates the error");
            assertEquals(pointers[i], m[14 + 20 + 4] & 0xff, "pointer: case " + i);
            assertEquals(TestNet.address(0), Bytes.get32(m, 14 + 16), "to the datagram's source");
        }
    }

    private static byte[] flip(byte[] f, int at) {
        byte[] c = f.clone();
        c[at] ^= 0x10;
        return c;
    }

    private static byte[] set(byte[] f, int at, int v) {
        byte[] c = f.clone();
        c[at] = (byte) v;
        return c;
    }

    private static byte[] len(byte[] f, int total) {
        byte[] c = f.clone();
        Bytes.put16(c, 16, total);
        Bytes.put16(c, 24, 0);
        Bytes.put16(c, 24, netkit.api.wire.Checksum.of(c, 14, 20));
        return c;
    }

    @Test
    void driverLeavingStopsTheInterfaceAndComingBackRestoresIt() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol.Instance a = raw(net.stack(0));
        RawProtocol.Instance b = raw(net.stack(1));
        net.stack(0).removeDriver(net.wire);
        assertFalse(net.stack(0).iface("eth0").running());
        a.sendRaw(TestNet.address(1), new byte[] {1}, false); // dropped like a lost frame, no error
        net.run(Duration.ofMillis(10));
        assertEquals(0, b.received.size());
        assertEquals(1, net.stack(0).iface("eth0").status().counters().txDropped());
        net.stack(0).addDriver(net.wire);
        assertTrue(net.stack(0).iface("eth0").running());
        a.sendRaw(TestNet.address(1), new byte[] {2}, false);
        net.run(Duration.ofMillis(10));
        assertEquals(1, b.received.size());
    }
}
