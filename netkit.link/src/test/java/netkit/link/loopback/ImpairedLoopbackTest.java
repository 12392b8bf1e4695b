package netkit.link.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.impair.FaultInjectingLink;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.time.SimulatedLoop;
import org.junit.jupiter.api.Test;

/** Fault injection on a link that is not the wire: loopback, through {@link FaultInjectingLink}. */
class ImpairedLoopbackTest {
    private final SimulatedLoop loop = new SimulatedLoop();
    private final PacketPool pool = PacketPool.forEthernet();

    /** Sends 200 numbered packets through a loopback link with {@code parameters}; the numbers that came back. */
    private List<Integer> run(Map<String, String> parameters) throws Exception {
        List<Integer> got = new ArrayList<>();
        Link link = FaultInjectingLink.open(new LoopbackDriver(), new LinkConfig("lo1", 0, 0, parameters, pool), f -> {
            got.add(f.array()[f.offset()] & 0xff);
            f.release();
        }, loop, 0);
        for (int i = 0; i < 200; i++) {
            PacketBuffer p = PacketBuffer.allocate(0, 40);
            p.array()[p.append(40)] = (byte) i;
            assertTrue(link.transmit(p));
            loop.advance(Duration.ofMillis(1));
        }
        loop.advance(Duration.ofSeconds(1));
        link.close();
        return got;
    }

    @Test
    void lossIsSeededAndReproducible() throws Exception {
        List<Integer> first = run(Map.of("loss", "20%", "seed", "7"));
        assertTrue(first.size() > 140 && first.size() < 180, "about 20% lost: " + first.size());
        assertEquals(first, run(Map.of("loss", "20%", "seed", "7")), "same seed, same fate for every packet");
        assertNotEquals(first, run(Map.of("loss", "20%", "seed", "8")), "another seed, another fate");
    }

    @Test
    void impairsEitherDirectionOrBoth() throws Exception {
        List<Integer> out = run(Map.of("loss", "30%", "seed", "3"));
        List<Integer> in = run(Map.of("loss", "30%", "seed", "3", "direction", "in"));
        List<Integer> both = run(Map.of("loss", "30%", "seed", "3", "direction", "both"));
        assertTrue(in.size() > 110 && in.size() < 170, "frames received are lost too: " + in.size());
        assertNotEquals(out, in, "each direction has its own random stream");
        assertTrue(both.size() < Math.min(out.size(), in.size()), "both ways lose more than either");
    }

    @Test
    void delayAndReorderGoThroughTheLoop() throws Exception {
        List<Integer> got = run(Map.of("delay", "500", "reorder", "10%", "seed", "1"));
        assertEquals(200, got.size(), "nothing lost");
        boolean reordered = false;
        for (int i = 1; i < got.size(); i++) {
            reordered |= got.get(i) < got.get(i - 1);
        }
        assertTrue(reordered);
    }

    @Test
    void decoratesOnlyWhenAskedAndKeepsTheLinkProperties() throws Exception {
        Link plain = FaultInjectingLink.open(new LoopbackDriver(), new LinkConfig("lo1", 0, 0, Map.of(), pool),
                PacketBuffer::release, loop, 0);
        assertFalse(plain instanceof FaultInjectingLink, "no impairment keys: the driver's link itself");
        FaultInjectingLink lossy = assertInstanceOf(FaultInjectingLink.class, FaultInjectingLink.open(
                new LoopbackDriver(), new LinkConfig("lo1", 1000, 0, Map.of("loss", "1%"), pool),
                PacketBuffer::release, loop, 0));
        assertSame(Link.Kind.LOOPBACK, lossy.kind());
        assertEquals(1000, lossy.mtu());
        assertEquals(LoopbackDriver.NAME, lossy.driver());
        assertTrue(lossy.checksumNotNeeded(), "loss alone cannot corrupt data");
        Link corrupting = FaultInjectingLink.open(new LoopbackDriver(),
                new LinkConfig("lo1", 0, 0, Map.of("corrupt", "1%"), pool), PacketBuffer::release, loop, 0);
        assertFalse(corrupting.checksumNotNeeded(), "a corrupting link needs checksums even on loopback");
        lossy.close();
        PacketBuffer late = PacketBuffer.allocate(0, 20);
        late.append(20);
        assertFalse(lossy.transmit(late), "closed");
    }

    @Test
    void unknownKeysAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultInjectingLink.open(
                new LoopbackDriver(), new LinkConfig("lo1", 0, 0, Map.of("los", "1%"), pool), PacketBuffer::release,
                loop, 0));
        assertTrue(e.getMessage().startsWith("unknown parameter 'los' for driver loopback; valid keys: corrupt,"),
                e.getMessage());
    }
}
