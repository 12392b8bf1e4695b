package netkit.stack.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.admin.ArpEntry;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.ArpCounter;
import netkit.api.wire.ArpPacket;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.MacAddress;
import netkit.link.wire.WirePort;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** ARP on a simulated wire, observed from a rogue port that records every frame. */
class ArpBehaviourTest {
    private static long counter(Stack s, ArpCounter c) {
        return s.admin().statistics().arp().get(c);
    }

    private static PacketBuffer arp(long dstMac, int op, long sha, int spa, long tha, int tpa) {
        PacketBuffer b = PacketBuffer.allocate(16, 42);
        int at = b.append(42);
        EthernetFrame.emit(b.array(), at, dstMac, sha, EthernetFrame.TYPE_ARP);
        ArpPacket.emit(b.array(), at + 14, op, sha, spa, tha, tpa);
        return b;
    }

    @Test
    void answersOnlyForItsOwnAddressAndLearnsOnlyThen() {
        TestNet net = new TestNet(1);
        Stack s = net.stack(0);
        int[] replies = {0};
        WirePort rogue = net.hub.segment("lan").attach(0x02000000abcdL, 1500, f -> {
            if (f.length() >= 42 && (f.array()[f.offset() + 21] & 0xff) == ArpPacket.OP_REPLY) {
                replies[0]++;
            }
            f.release();
        });
        rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, rogue.mac(), 0x0a000050, 0, 0x0a000077));
        net.run(Duration.ofMillis(1));
        assertEquals(0, replies[0], "not our address");
        assertTrue(s.admin().arp().isEmpty(), "RFC 826: no new entry unless the packet is for us");
        rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, rogue.mac(), 0x0a000050, 0, 0x0a000001));
        net.run(Duration.ofMillis(1));
        assertEquals(1, replies[0]);
        assertEquals(rogue.mac(), s.admin().arp().get(0).mac());
        // A gratuitous announcement of a new MAC updates the existing entry (merge flag).
        rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, 0x02000000beefL, 0x0a000050, 0, 0x0a000050));
        net.run(Duration.ofMillis(1));
        assertEquals(0x02000000beefL, s.admin().arp().get(0).mac());
    }

    @Test
    void staleEntriesAreStillUsedAndReconfirmed() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol a = new RawProtocol();
        net.stack(0).addProtocol(a);
        RawProtocol b = new RawProtocol();
        net.stack(1).addProtocol(b);
        a.last.sendRaw(TestNet.address(1), new byte[] {1}, false);
        net.run(Duration.ofMillis(10));
        long requests = counter(net.stack(0), ArpCounter.OUT_REQUESTS);
        net.run(Duration.ofSeconds(31));
        assertEquals("STALE", net.stack(0).admin().arp().get(0).state());
        a.last.sendRaw(TestNet.address(1), new byte[] {2}, false);
        net.run(Duration.ofMillis(10));
        assertEquals(2, b.last.received.size(), "a stale entry still carries traffic");
        assertEquals(requests + 1, counter(net.stack(0), ArpCounter.OUT_REQUESTS), "one unicast re-confirmation");
        assertEquals("REACHABLE", net.stack(0).admin().arp().get(0).state());
        assertEquals(1, net.stack(0).admin().flushArp("eth0"));
        assertTrue(net.stack(0).admin().arp().isEmpty());
    }

    @Test
    void malformedArpIsCounted() {
        TestNet net = new TestNet(1);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000abcdL, 1500, PacketBuffer::release);
        PacketBuffer bad = arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, rogue.mac(), 0x0a000050, 0, 0x0a000001);
        bad.array()[bad.offset() + 14 + 4] = 8; // hardware length 8
        rogue.transmit(bad);
        PacketBuffer multicastSender = arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, 0x010000000001L, 0x0a000050, 0,
                0x0a000001);
        rogue.transmit(multicastSender);
        net.run(Duration.ofMillis(1));
        assertEquals(2, counter(net.stack(0), ArpCounter.IN_ERRORS));
        assertTrue(net.stack(0).admin().arp().isEmpty());
    }

    /**
     * A 6-fragment datagram at MTU 9000: every fragment's buffer holds {@link #FRAGMENT_BUFFER} bytes,
     * its pool size class (12 KiB of payload) and header room.
     */
    private static final int FRAGMENT_DATA = (9000 - 20) & ~7;
    private static final int FRAGMENT_BUFFER = PacketBuffer.DEFAULT_HEADROOM + 12288;
    private static final byte[] SIX_FRAGMENTS = new byte[6 * FRAGMENT_DATA];

    private static RawProtocol.Instance jumboHost(TestNet net) {
        RawProtocol p = new RawProtocol();
        net.stack(0).addProtocol(p);
        return p.last;
    }

    @Test
    void pendingQueueIsBoundedInBytesPerNeighbour() throws Exception {
        TestNet net = new TestNet(1, StackSettings.defaults(), 9000);
        RawProtocol.Instance a = jumboHost(net);
        for (int i = 0; i < 20; i++) {
            a.sendRaw(0x0a000063, SIX_FRAGMENTS, false);
        }
        net.run(Duration.ofMillis(1));
        ArpEntry e = net.stack(0).admin().arp().get(0);
        int limit = ArpSettings.defaults().queueBytesPerNeighbour();
        assertEquals(212_992, limit, "Linux unres_qlen_bytes");
        assertEquals(limit / FRAGMENT_BUFFER, e.queued(), "the byte limit binds before the 101 packets");
        assertTrue(e.queued() * FRAGMENT_BUFFER <= limit);
        assertEquals(20 * 6 - e.queued(), counter(net.stack(0), ArpCounter.QUEUE_DROPS));
        net.run(Duration.ofSeconds(5));
        assertTrue(net.stack(0).admin().arp().isEmpty(), "resolution failed, queue freed");
    }

    @Test
    void pendingQueuesAreBoundedInBytesAcrossNeighbours() throws Exception {
        TestNet net = new TestNet(1, StackSettings.defaults(), 9000);
        RawProtocol.Instance a = jumboHost(net);
        int neighbours = 200;
        long requests = counter(net.stack(0), ArpCounter.OUT_REQUESTS); // the gratuitous announcement
        for (int i = 0; i < neighbours; i++) {
            a.sendRaw(0x0a000030 + i, SIX_FRAGMENTS, false); // 10.0.0.48 .. 10.0.0.247, none answers
        }
        net.run(Duration.ofMillis(1));
        int queued = net.stack(0).admin().arp().stream().mapToInt(ArpEntry::queued).sum();
        long limit = ArpSettings.defaults().queueBytesTotal();
        assertTrue((long) queued * FRAGMENT_BUFFER <= limit, queued + " fragments pinned");
        assertEquals(limit / FRAGMENT_BUFFER, queued, "the cache-wide byte limit is used up");
        assertEquals(neighbours * 6 - queued, counter(net.stack(0), ArpCounter.QUEUE_DROPS));
        assertEquals(requests + neighbours, counter(net.stack(0), ArpCounter.OUT_REQUESTS),
                "every neighbour is still asked");
        net.run(Duration.ofSeconds(5));
        assertTrue(net.stack(0).admin().arp().isEmpty());
    }

    @Test
    void aSenderMacOfZeroIsRefusedAndDoesNotWedgeTheNeighbour() throws Exception {
        // Found by ArpFuzzTest: MAC 0 is the cache's "unresolved" mark, so learning it left an entry
        // that never asked again nor timed out, and every packet to that neighbour waited for good.
        TestNet net = new TestNet(2);
        Stack s = net.stack(0);
        RawProtocol a = new RawProtocol();
        s.addProtocol(a);
        RawProtocol b = new RawProtocol();
        net.stack(1).addProtocol(b);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000abcdL, 1500, PacketBuffer::release);
        rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, 0, TestNet.address(1), 0,
                TestNet.address(0)));
        net.run(Duration.ofMillis(1));
        assertEquals(1, counter(s, ArpCounter.IN_ERRORS), "an all-zero sender MAC is malformed");
        assertTrue(s.admin().arp().isEmpty(), "and nothing is learned from it");
        a.last.sendRaw(TestNet.address(1), new byte[] {1}, false);
        net.run(Duration.ofSeconds(1));
        assertEquals(1, b.last.received.size(), "the neighbour is resolved and reached");
    }

    /**
     * Issue 11: a request for our address from a sender that no host can be (broadcast, multicast,
     * class E, loopback or our own protocol address; a broadcast, multicast or zero hardware
     * address) teaches the cache nothing and draws no reply; an RFC 5227 probe (sender 0.0.0.0) is
     * answered but not learned.
     */
    @Test
    void neverLearnsBroadcastMulticastOrZeroSenders() {
        TestNet net = new TestNet(1);
        Stack s = net.stack(0);
        int[] replies = {0};
        WirePort rogue = net.hub.segment("lan").attach(0x02000000abcdL, 1500, f -> {
            if (f.length() >= 42 && (f.array()[f.offset() + 21] & 0xff) == ArpPacket.OP_REPLY) {
                replies[0]++;
            }
            f.release();
        });
        int us = TestNet.address(0);
        int[] badSenders = {0xffffffff, 0x0a0000ff, 0xe0000001, 0xefffffff, 0xf0000001, 0x7f000001, us};
        for (int spa : badSenders) {
            rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, rogue.mac(), spa, 0, us));
            rogue.transmit(arp(s.iface("eth0").status().mac(), ArpPacket.OP_REPLY, rogue.mac(), spa,
                    s.iface("eth0").status().mac(), us));
        }
        long[] badMacs = {MacAddress.BROADCAST, 0x01005e000001L, 0L, 0x333300000001L};
        for (long sha : badMacs) {
            rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, sha, 0x0a000050, 0, us));
        }
        net.run(Duration.ofMillis(1));
        assertTrue(s.admin().arp().isEmpty(), "learned " + s.admin().arp());
        assertEquals(0, replies[0], "no reply to an impossible sender");
        assertEquals(2 * badSenders.length + badMacs.length, counter(s, ArpCounter.IN_ERRORS));
        rogue.transmit(arp(MacAddress.BROADCAST, ArpPacket.OP_REQUEST, rogue.mac(), 0, 0, us));
        net.run(Duration.ofMillis(1));
        assertEquals(1, replies[0], "an RFC 5227 probe for our address is answered");
        assertTrue(s.admin().arp().isEmpty(), "but its sender 0.0.0.0 is not learned");
    }
}
