package netkit.link.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.impair.Impairment;
import netkit.api.spi.link.LinkConfig;
import netkit.api.time.SimulatedLoop;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.MacAddress;
import org.junit.jupiter.api.Test;

class WireSegmentTest {
    private final SimulatedLoop loop = new SimulatedLoop();
    private final WireHub hub = new WireHub(loop);

    private static PacketBuffer frame(long dst, long src, int seq) {
        PacketBuffer b = PacketBuffer.allocate(16, 64);
        int at = b.append(64);
        EthernetFrame.emit(b.array(), at, dst, src, 0x88b5);
        b.array()[at + 20] = (byte) seq;
        return b;
    }

    private static final class Sink {
        final List<byte[]> frames = new ArrayList<>();

        void take(PacketBuffer f) {
            frames.add(f.toByteArray());
            f.release();
        }
    }

    @Test
    void switchesUnicastAndFloodsBroadcast() {
        WireSegment s = hub.segment("lan");
        Sink a = new Sink();
        Sink b = new Sink();
        Sink c = new Sink();
        WirePort pa = s.attach(1, 1500, a::take);
        s.attach(2, 1500, b::take);
        s.attach(3, 1500, c::take);
        pa.transmit(frame(2, 1, 0));
        assertEquals(1, b.frames.size());
        assertEquals(0, c.frames.size());
        pa.transmit(frame(MacAddress.BROADCAST, 1, 1));
        assertEquals(2, b.frames.size());
        assertEquals(1, c.frames.size());
        assertEquals(0, a.frames.size(), "never back to the sender");
        pa.transmit(frame(9, 1, 2));
        assertEquals(3, b.frames.size(), "unknown unicast is flooded");
        PacketBuffer jumbo = PacketBuffer.allocate(16, 1515);
        jumbo.append(1515);
        assertFalse(pa.transmit(jumbo), "a frame over MTU + 14 is refused");
    }

    @Test
    void driverAttachesBySegmentParameter() throws Exception {
        WireDriver d = new WireDriver(hub);
        Sink b = new Sink();
        PacketPool pool = PacketPool.forEthernet();
        var la = d.open(new LinkConfig("eth0", 0, 0x0200000000aaL, Map.of("segment", "x"), pool), f -> { });
        d.open(new LinkConfig("eth0", 9000, 0x0200000000bbL, Map.of("segment", "x"), pool), b::take);
        d.open(new LinkConfig("eth0", 0, 0x0200000000ccL, Map.of("segment", "y"), pool), f -> { });
        assertEquals(1500, la.mtu());
        la.transmit(frame(MacAddress.BROADCAST, la.mac(), 0));
        assertEquals(1, b.frames.size());
        la.close();
        assertEquals(1, hub.segment("x").ports().size());
    }

    private List<Integer> run(Impairment im, int n) {
        SimulatedLoop l = new SimulatedLoop();
        WireSegment s = new WireHub(l).segment("lan");
        s.impairment(im);
        Sink b = new Sink();
        WirePort pa = s.attach(1, 1500, f -> f.release());
        s.attach(2, 1500, b::take);
        for (int i = 0; i < n; i++) {
            pa.transmit(frame(2, 1, i));
            l.advance(Duration.ofMillis(1));
        }
        l.advance(Duration.ofSeconds(1));
        List<Integer> seqs = new ArrayList<>();
        for (byte[] f : b.frames) {
            seqs.add(f[20] & 0xff);
        }
        return seqs;
    }

    @Test
    void impairmentIsSeededAndReproducible() {
        Impairment im = new Impairment(0.1, 0.05, 0.1, 0.05, 100, 50, 0, 99);
        List<Integer> first = run(im, 200);
        assertEquals(first, run(im, 200), "same seed, same fate for every frame");
        assertTrue(first.size() < 200 + 20 && first.size() > 150, "roughly 10% lost, 5% duplicated");
        boolean reordered = false;
        for (int i = 1; i < first.size(); i++) {
            reordered |= first.get(i) < first.get(i - 1) && !first.get(i).equals(first.get(i - 1));
        }
        assertTrue(reordered);
        assertTrue(!first.equals(run(im.withSeed(100), 200)), "another seed, another fate");
    }

    @Test
    void corruptionFlipsPayloadBitsOnly() {
        WireSegment s = hub.segment("c");
        s.impairment(new Impairment(0, 0, 0, 1.0, 0, 0, 0, 5));
        Sink b = new Sink();
        WirePort pa = s.attach(1, 1500, f -> f.release());
        s.attach(2, 1500, b::take);
        for (int i = 0; i < 50; i++) {
            pa.transmit(frame(2, 1, 0));
        }
        assertEquals(50, b.frames.size(), "the header is intact, so every frame is still switched");
        assertEquals(50, s.corrupted());
    }

    @Test
    void rateLimitSpacesFrames() {
        WireSegment s = hub.segment("r");
        s.impairment(new Impairment(0, 0, 0, 0, 0, 0, 512_000, 1)); // 64 bytes = 1 ms
        Sink b = new Sink();
        WirePort pa = s.attach(1, 1500, f -> f.release());
        s.attach(2, 1500, b::take);
        for (int i = 0; i < 10; i++) {
            pa.transmit(frame(2, 1, i));
        }
        loop.advance(Duration.ofMillis(5));
        assertEquals(5, b.frames.size());
        loop.advance(Duration.ofMillis(10));
        assertEquals(10, b.frames.size());
    }
}
