package netkit.stack.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.buffer.PacketBuffer;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Packet;
import netkit.link.wire.WirePort;
import netkit.stack.Stack;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors received by the IP layer of a stack without any ICMP protocol: a router on the wire
 * (a rogue port) reports problems with datagrams that stack 0 (10.0.0.1) sent.
 */
class IcmpErrorReceiverTest {
    private static final long STACK0_MAC = 0x020000000100L;
    private static final int ROUTER = 0x0a000009;
    private static final int FAR_HOST = 0xc0a80105;

    private TestNet net;
    private WirePort router;
    private RawProtocol.Instance raw;

    @BeforeEach
    void setUp() {
        net = new TestNet(1);
        router = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        RawProtocol p = new RawProtocol();
        net.stack(0).addProtocol(p);
        raw = p.last;
    }

    private long icmpIn(IcmpCounter counter) {
        Stack s = net.stack(0);
        return s.admin().statistics().icmp().get(counter);
    }

    /** The first 28 bytes of a datagram: IP header and 8 bytes of transport header. */
    static byte[] quote(int source, int flagsAndOffset, int protocol) {
        byte[] q = new byte[Ipv4Packet.MIN_HEADER_LEN + 8];
        Ipv4Packet.emit(q, 0, 0, 1400, 77, flagsAndOffset, 63, protocol, source, FAR_HOST);
        Bytes.put16(q, 20, 40000);
        Bytes.put16(q, 22, 9);
        return q;
    }

    /** An ICMP error from the router to stack 0 in an Ethernet frame. */
    static PacketBuffer frame(long srcMac, int type, int code, int rest, byte[] quote) {
        int icmpLen = IcmpHeader.LEN + quote.length;
        int ipLen = Ipv4Packet.MIN_HEADER_LEN + icmpLen;
        PacketBuffer b = PacketBuffer.allocate(16, EthernetFrame.HEADER_LEN + ipLen);
        int at = b.append(EthernetFrame.HEADER_LEN + ipLen);
        byte[] a = b.array();
        EthernetFrame.emit(a, at, STACK0_MAC, srcMac, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(a, at + 14, 0, ipLen, 1, 0, 64, 1, ROUTER, TestNet.address(0));
        int icmp = at + 34;
        a[icmp] = (byte) type;
        a[icmp + 1] = (byte) code;
        Bytes.put32(a, icmp + 4, rest);
        System.arraycopy(quote, 0, a, icmp + IcmpHeader.LEN, quote.length);
        Bytes.put16(a, icmp + 2, Checksum.of(a, icmp, icmpLen));
        return b;
    }

    private void receive(int type, int code, int rest, byte[] quote) {
        router.transmit(frame(router.mac(), type, code, rest, quote));
        net.run(Duration.ofMillis(1));
    }

    @Test
    void fragmentationNeededReachesTheQuotedProtocolWithItsNextHopMtu() {
        receive(IcmpHeader.DEST_UNREACHABLE, IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1280,
                quote(TestNet.address(0), Ipv4Packet.FLAG_DF, RawProtocol.NUMBER));
        assertEquals(1, raw.errors.size());
        IcmpError e = raw.errors.get(0);
        assertEquals(1280, e.nextHopMtu());
        assertEquals(Errno.EMSGSIZE, e.errno());
        assertTrue(e.hard());
        assertEquals(ROUTER, e.from());
        assertEquals(FAR_HOST, e.quotedDestination());
        assertEquals(40000, Bytes.get16(e.quote(), e.quotedTransportOffset()));
        assertEquals(1, icmpIn(IcmpCounter.IN_DEST_UNREACHS));
        assertEquals(0, icmpIn(IcmpCounter.IN_ERRORS));
    }

    @Test
    void timeExceededIsASoftError() {
        receive(IcmpHeader.TIME_EXCEEDED, 0, 0, quote(TestNet.address(0), 0, RawProtocol.NUMBER));
        assertEquals(1, raw.errors.size());
        assertEquals(Errno.EHOSTUNREACH, raw.errors.get(0).errno());
        assertEquals(false, raw.errors.get(0).hard());
        assertEquals(0, raw.errors.get(0).nextHopMtu());
        assertEquals(1, icmpIn(IcmpCounter.IN_TIME_EXCDS));
    }

    /** RFC 6633 §2: a host MUST silently discard Source Quench; no transport hears of it. */
    @Test
    void sourceQuenchIsIgnored() {
        receive(IcmpHeader.SOURCE_QUENCH, 0, 0, quote(TestNet.address(0), 0, RawProtocol.NUMBER));
        assertEquals(0, raw.errors.size(), "not passed to the quoted transport");
        assertEquals(1, icmpIn(IcmpCounter.IN_MSGS));
        assertEquals(0, icmpIn(IcmpCounter.IN_ERRORS), "a valid message, only ignored");
    }

    @Test
    void aQuoteOfADatagramWeDidNotSendIsIgnored() {
        receive(IcmpHeader.DEST_UNREACHABLE, IcmpHeader.CODE_FRAGMENTATION_NEEDED, 576,
                quote(0x0a000077, Ipv4Packet.FLAG_DF, RawProtocol.NUMBER));
        assertEquals(0, raw.errors.size(), "the quoted source is not one of our addresses");
        assertEquals(1, icmpIn(IcmpCounter.IN_ERRORS));
    }

    @Test
    void aQuoteOfANonFirstFragmentIsIgnored() {
        receive(IcmpHeader.DEST_UNREACHABLE, IcmpHeader.CODE_PORT_UNREACHABLE, 0,
                quote(TestNet.address(0), 185, RawProtocol.NUMBER)); // offset 185 × 8 = 1480
        assertEquals(0, raw.errors.size(), "no transport header in a later fragment");
        assertEquals(1, icmpIn(IcmpCounter.IN_ERRORS));
    }

    @Test
    void badChecksumAndShortQuoteAreCountedAndDropped() {
        PacketBuffer corrupt = frame(router.mac(), IcmpHeader.DEST_UNREACHABLE, 1, 0,
                quote(TestNet.address(0), 0, RawProtocol.NUMBER));
        corrupt.array()[corrupt.offset() + 34 + 12] ^= 1;
        router.transmit(corrupt);
        byte[] tooShort = java.util.Arrays.copyOf(quote(TestNet.address(0), 0, RawProtocol.NUMBER), 24);
        receive(IcmpHeader.DEST_UNREACHABLE, 1, 0, tooShort);
        assertEquals(0, raw.errors.size());
        assertEquals(1, icmpIn(IcmpCounter.IN_CSUM_ERRORS));
        assertEquals(2, icmpIn(IcmpCounter.IN_ERRORS));
    }
}
