package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.InterfaceStatus.LinkKind;
import netkit.api.spi.impair.FaultInjectingLink;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** Interface parameters: keys checked against the driver, impairment on any link, typed status. */
class InterfaceParametersTest {
    private final TestNet net = new TestNet(1);
    private final Stack stack = net.stack(0);

    private static InterfaceConfig eth1(String driver, Map<String, String> parameters) {
        return new InterfaceConfig("eth1", driver, 0x0a010101, 24, 0, 0, 0x0200000001f1L, true, parameters);
    }

    private InterfaceStatus status(String name) {
        return stack.admin().interfaces().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    @Test
    void unknownKeyIsRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stack.configure(eth1("wire", Map.of("segment", "x", "los", "1%"))));
        assertEquals("unknown parameter 'los' for driver wire; valid keys: corrupt, delay, direction, duplicate, "
                + "jitter, loss, rate, reorder, seed, segment", e.getMessage());
        assertNull(status("eth1"), "nothing was configured");
    }

    @Test
    void impairmentKeysDecorateTheLinkOfAnyDriver() {
        AtomicInteger seen = new AtomicInteger();
        net.hub.segment("x").attach(0x0200000001ffL, 1500, f -> {
            seen.incrementAndGet();
            f.release();
        });
        stack.configure(eth1("wire", Map.of("segment", "x", "loss", "100%")));
        net.run(Duration.ofMillis(10));
        assertInstanceOf(FaultInjectingLink.class, stack.iface("eth1").link());
        assertEquals(0, seen.get(), "the gratuitous ARP was lost");
        stack.configure(eth1("wire", Map.of("segment", "x")));
        net.run(Duration.ofMillis(10));
        assertFalse(stack.iface("eth1").link() instanceof FaultInjectingLink, "no impairment keys, no decorator");
        assertTrue(seen.get() > 0, "without loss the announcement arrives");
        stack.configure(new InterfaceConfig("lo1", "loopback", 0x7f000002, 32, 0, 0, 0, true, Map.of("delay", "100")));
        assertInstanceOf(FaultInjectingLink.class, stack.iface("lo1").link());
    }

    @Test
    void statusSaysWhatLinkIsAttachedAndWhyNot() {
        assertEquals(LinkKind.LOOPBACK, status("lo0").linkKind());
        InterfaceStatus eth0 = status("eth0");
        assertEquals(LinkKind.ETHERNET, eth0.linkKind());
        assertEquals("wire", eth0.driver());
        assertTrue(eth0.linkPresent());
        assertNull(eth0.lastError());
        stack.configure(eth1("vxlan", Map.of()));
        InterfaceStatus absent = status("eth1");
        assertEquals("vxlan", absent.driver(), "the configured name, without decoration");
        assertEquals(LinkKind.NONE, absent.linkKind());
        assertFalse(absent.linkPresent());
        assertNull(absent.lastError(), "the driver is absent, nothing failed");
        stack.configure(eth1("wire", Map.of("loss", "150%")));
        InterfaceStatus failed = status("eth1");
        assertEquals(LinkKind.NONE, failed.linkKind());
        assertEquals("probabilities must be 0..1", failed.lastError());
        stack.configure(eth1("wire", Map.of()));
        assertNull(status("eth1").lastError(), "cleared when the link opens");
        stack.removeDriver(net.wire);
        InterfaceStatus gone = status("eth1");
        assertFalse(gone.linkPresent());
        assertEquals(LinkKind.ETHERNET, gone.linkKind(), "the kind of the link it had");
    }

    /**
     * A relink (changed MTU or parameters, a driver swap) keeps the interface's MAC, so neighbours'
     * ARP caches stay right; a configured MAC still wins. Each configuration applied counts in the
     * revision, which a console waits on.
     */
    @Test
    void relinksKeepTheMacUnlessOneIsConfigured() {
        InterfaceConfig plain = new InterfaceConfig("eth1", "wire", 0x0a010101, 24, 0, 0, 0, true, Map.of("segment", "x"));
        stack.configure(plain);
        long mac = status("eth1").mac();
        long revision = status("eth1").revision();
        assertTrue(mac != 0);
        stack.configure(new InterfaceConfig("eth1", "wire", 0x0a010101, 24, 1400, 0, 0, true, Map.of("segment", "x")));
        assertEquals(mac, status("eth1").mac(), "an MTU change keeps the MAC");
        assertEquals(revision + 1, status("eth1").revision());
        stack.configure(new InterfaceConfig("eth1", "wire", 0x0a010101, 24, 1400, 0, 0, true, Map.of("segment", "y")));
        assertEquals(mac, status("eth1").mac(), "another segment, same MAC");
        stack.configure(new InterfaceConfig("eth1", "wire", 0x0a010101, 24, 1400, 0, 0x0200000000abL, true,
                Map.of("segment", "y")));
        assertEquals(0x0200000000abL, status("eth1").mac(), "a configured MAC wins");
        assertEquals(revision + 3, status("eth1").revision());
    }
}
