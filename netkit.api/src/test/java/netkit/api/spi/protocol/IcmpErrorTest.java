package netkit.api.spi.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import netkit.api.Errno;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

/** {@link IcmpError#message()}: the ICMP message an {@code IP_RECVERR} socket receives. */
class IcmpErrorTest {
    private static final int US = 0x0a000001;
    private static final int PEER = 0x0a000002;
    private static final int ROUTER = 0x0a0000fe;

    /** A quote at offset 5 of a larger array: a 20-byte IP header and 40 bytes of UDP and data. */
    private static byte[] quote() {
        byte[] q = new byte[5 + 60 + 7];
        Arrays.fill(q, (byte) 0x5a);
        Ipv4Packet.emit(q, 5, 0, 60, 77, 0, 1, 17, US, PEER);
        Bytes.put16(q, 25, 40000);
        Bytes.put16(q, 27, 33434);
        return q;
    }

    @Test
    void portUnreachableIsTheHeaderTheQuotedIpHeaderAndEightBytes() {
        byte[] q = quote();
        IcmpError e = new IcmpError(3, 3, Errno.ECONNREFUSED, true, 0, PEER, q, 5, 60);
        byte[] m = e.message();
        assertEquals(8 + 20 + 8, m.length, "RFC 792: the internet header and 64 bits of the datagram");
        assertEquals(3, m[0]);
        assertEquals(3, m[1]);
        assertEquals(0, Bytes.get32(m, 4), "unused word zero");
        assertArrayEquals(Arrays.copyOfRange(q, 5, 5 + 28), Arrays.copyOfRange(m, 8, m.length));
        assertTrue(Checksum.verifies(Checksum.add(0, m, 0, m.length)), "the checksum covers the message");
        assertNotSame(m, e.message(), "a new array each call");
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() {
        IcmpError e = new IcmpError(3, 4, Errno.EMSGSIZE, true, 1400, ROUTER, quote(), 5, 60);
        byte[] m = e.message();
        assertEquals(1400, Bytes.get16(m, 6), "RFC 1191: next-hop MTU in the low half of the unused word");
        assertTrue(Checksum.verifies(Checksum.add(0, m, 0, m.length)));
    }

    @Test
    void aShortQuoteIsCopiedAsItIs() {
        IcmpError e = new IcmpError(11, 0, Errno.EHOSTUNREACH, false, 0, ROUTER, quote(), 5, 26);
        byte[] m = e.message();
        assertEquals(8 + 26, m.length, "no more than was quoted");
        assertTrue(Checksum.verifies(Checksum.add(0, m, 0, m.length)));
    }
}
