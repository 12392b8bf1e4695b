package netkit.link.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import org.junit.jupiter.api.Test;

class PairDriverTest {
    private final PairDriver driver = new PairDriver();
    private final PacketPool pool = PacketPool.forEthernet();

    private Link open(String pair, List<PacketBuffer> into, int mtu) throws IOException {
        return driver.open(new LinkConfig("veth", mtu, 0, Map.of("pair", pair), pool), into::add);
    }

    private PacketBuffer frame(int ipBytes) {
        PacketBuffer b = pool.acquire(14 + ipBytes);
        b.append(14 + ipBytes);
        return b;
    }

    @Test
    void whatOneEndSendsTheOtherReceivesAsItIs() throws Exception {
        List<PacketBuffer> ra = new ArrayList<>();
        List<PacketBuffer> rb = new ArrayList<>();
        Link a = open("p", ra, 0);
        Link b = open("p", rb, 0);
        assertEquals(Link.Kind.ETHERNET, a.kind());
        assertEquals(65535, a.mtu());
        assertTrue(a.checksumNotNeeded());
        assertTrue((a.mac() & 0x020000000000L) != 0 && (a.mac() & 0x010000000000L) == 0, "local unicast MAC");
        PacketBuffer f = frame(65535);
        assertTrue(a.transmit(f));
        assertSame(f, rb.get(0), "handed over without a copy");
        assertTrue(b.transmit(frame(100)));
        assertEquals(1, ra.size());
        assertFalse(a.transmit(frame(65536)), "over the MTU: dropped");
        assertEquals(1, rb.size());
    }

    @Test
    void aThirdEndIsRefusedAndAClosedEndFreesItsPlace() throws Exception {
        List<PacketBuffer> rb = new ArrayList<>();
        Link a = open("q", new ArrayList<>(), 0);
        Link b = open("q", rb, 0);
        IOException e = assertThrows(IOException.class, () -> open("q", new ArrayList<>(), 0));
        assertEquals("pair q already has two ends", e.getMessage());
        b.close();
        assertFalse(a.transmit(frame(10)), "no other end: dropped");
        Link c = open("q", rb, 0);
        assertTrue(a.transmit(frame(10)));
        assertEquals(1, rb.size());
        a.close();
        c.close();
        open("q", new ArrayList<>(), 0).close(); // the name is free again
        assertEquals(1, pool.outstanding(), "only the delivered frame is out: every dropped one went back");
    }

    @Test
    void aFrameOverTheReceiversMtuIsDropped() throws Exception {
        List<PacketBuffer> rb = new ArrayList<>();
        Link a = open("m", new ArrayList<>(), 9000);
        open("m", rb, 1500);
        assertFalse(a.transmit(frame(2000)));
        assertTrue(a.transmit(frame(1500)));
        assertEquals(1, rb.size());
        assertThrows(IOException.class, () -> open("x", rb, 65536));
    }
}
