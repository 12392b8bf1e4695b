package netkit.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeaderViewsTest {
    private static byte[] packet(int payload) {
        byte[] b = new byte[20 + payload];
        Ipv4Packet.emit(b, 0, 0, b.length, 0x1234, Ipv4Packet.FLAG_DF, 64, 17, 0x0a000001, 0x0a000002);
        return b;
    }

    @Test
    void ipv4RoundTrip() {
        byte[] b = packet(8);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length);
        assertNull(ip.check(true));
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(28, ip.totalLength());
        assertEquals(0x1234, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(17, ip.protocol());
        assertEquals(0x0a000001, ip.source());
        assertEquals(0x0a000002, ip.destination());
        assertEquals(8, ip.payloadLength());
    }

    @Test
    void ipv4CheckFindsEveryProblem() {
        Ipv4Packet ip = new Ipv4Packet();
        assertEquals(Ipv4Packet.Problem.TRUNCATED, ip.wrap(new byte[19], 0, 19).check(true));
        byte[] b = packet(8);
        b[0] = 0x65;
        assertEquals(Ipv4Packet.Problem.BAD_VERSION, ip.wrap(b, 0, b.length).check(true));
        b = packet(8);
        b[0] = 0x44;
        assertEquals(Ipv4Packet.Problem.BAD_HEADER_LENGTH, ip.wrap(b, 0, b.length).check(true));
        b = packet(8);
        b[0] = 0x4f; // 60-byte header in a 28-byte packet
        assertEquals(Ipv4Packet.Problem.BAD_HEADER_LENGTH, ip.wrap(b, 0, b.length).check(true));
        b = packet(8);
        Bytes.put16(b, 2, 29);
        assertEquals(Ipv4Packet.Problem.BAD_TOTAL_LENGTH, ip.wrap(b, 0, b.length).check(false));
        Bytes.put16(b, 2, 19);
        assertEquals(Ipv4Packet.Problem.BAD_TOTAL_LENGTH, ip.wrap(b, 0, b.length).check(false));
        b = packet(8);
        b[8] ^= 1;
        assertEquals(Ipv4Packet.Problem.BAD_CHECKSUM, ip.wrap(b, 0, b.length).check(true));
        assertNull(ip.check(false), "checksum skipped when the link vouches for the data");
    }

    @Test
    void ttlUpdateKeepsChecksumValid() {
        byte[] b = packet(0);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length);
        for (int ttl = 255; ttl >= 0; ttl--) {
            ip.setTtl(ttl);
            assertNull(ip.check(true), "ttl " + ttl);
        }
    }

    @Test
    void fragmentFields() {
        byte[] b = new byte[28];
        Ipv4Packet.emit(b, 0, 0, 28, 1, Ipv4Packet.FLAG_MF | 185, 64, 17, 1, 2);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, 28);
        assertTrue(ip.moreFragments());
        assertTrue(ip.isFragment());
        assertEquals(1480, ip.fragmentOffset());
    }

    @Test
    void arpViewRejectsForeignHardware() {
        byte[] b = new byte[28];
        ArpPacket.emit(b, 0, ArpPacket.OP_REQUEST, 0x020000000001L, 0x0a000001, 0, 0x0a000002);
        ArpPacket a = new ArpPacket();
        assertTrue(a.wrap(b, 0, 28));
        assertEquals(0x020000000001L, a.senderMac());
        assertEquals(0x0a000002, a.targetIp());
        assertFalse(a.wrap(b, 0, 27), "truncated");
        b[1] = 6; // hardware type 6 (IEEE 802)
        assertFalse(a.wrap(b, 0, 28));
        b[1] = 1;
        b[7] = 9; // unknown operation
        assertFalse(a.wrap(b, 0, 28));
    }

    @Test
    void macFormatting() {
        assertEquals("02:00:0a:ff:00:01", MacAddress.format(0x02000aff0001L));
        assertEquals(0x02000aff0001L, MacAddress.parse("02:00:0a:ff:00:01"));
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertFalse(MacAddress.isMulticast(MacAddress.localUnicast(12345)));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:0a:ff:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:0a:ff:00:1"));
    }
}
