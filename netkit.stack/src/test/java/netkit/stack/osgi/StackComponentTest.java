package netkit.stack.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import netkit.api.testing.ScrConfigs;
import netkit.stack.StackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad value in PID {@code netkit.stack} is logged and skipped; the stack starts and keeps running. */
class StackComponentTest {
    private final StackComponent component = new StackComponent();

    private static StackComponent.Config config(Map<String, Object> props) {
        return ScrConfigs.of(StackComponent.Config.class, props);
    }

    @AfterEach
    void close() {
        component.deactivate();
    }

    @Test
    void aBadValueDoesNotStopTheStackFromStarting() {
        Map<String, Object> props = Map.of("maxSockets", "banana", "icmpErrorsPerSecond", "7");
        component.activate(config(props), props, null);
        assertNotNull(component.stack());
        assertEquals(StackSettings.defaults().maxSockets(), component.stack().settings().maxSockets());
        assertEquals(7, component.stack().settings().icmpErrorsPerSecond());
        assertNotNull(component.stack().admin().interfaces().stream().filter(s -> s.name().equals("lo0"))
                .findFirst().orElse(null), "lo0 configured");
    }

    @Test
    void badValuesInAChangeKeepThePreviousOnes() {
        Map<String, Object> first = Map.of("maxSockets", "100", "reassemblyMaxKiB", "128");
        component.activate(config(first), first, null);
        Map<String, Object> bad = Map.of("maxSockets", "-5", "reassemblyMaxKiB", "banana", "reassemblyTimeoutSeconds",
                "0", "arpReachableSeconds", "0", "icmpErrorsPerSecond", "9");
        component.modified(config(bad), bad);
        StackSettings s = component.stack().settings();
        assertEquals(100, s.maxSockets());
        assertEquals(128 * 1024, s.reassemblyMaxBytes());
        assertEquals(StackSettings.defaults().reassemblyTimeoutMillis(), s.reassemblyTimeoutMillis());
        assertEquals(StackSettings.defaults().arp().reachableMillis(), s.arp().reachableMillis());
        assertEquals(9, s.icmpErrorsPerSecond());
    }

    @Test
    void quotaDefaultsAndArpQueueCapsAreConfigured() {
        Map<String, Object> props = Map.of("socketsPerBundle", "10", "bufferKiBPerBundle", "2048",
                "arpQueueKiBPerNeighbour", "64", "arpQueueKiBTotal", "1024", "arpReachableSeconds", "20");
        component.activate(config(props), props, null);
        StackSettings s = component.stack().settings();
        assertEquals(10, s.socketsPerOwner());
        assertEquals(2048 * 1024L, s.bufferBytesPerOwner());
        assertEquals(64 * 1024, s.arp().queueBytesPerNeighbour());
        assertEquals(1024 * 1024, s.arp().queueBytesTotal());
        assertEquals(20_000, s.arp().reachableMillis(), "one ARP property does not reset the others");
    }

    @Test
    void defaultsKeepOneBundleFromTakingTheTable() {
        Map<String, Object> props = Map.of();
        component.activate(config(props), props, null);
        StackSettings s = component.stack().settings();
        assertEquals(1024, s.socketsPerOwner(), "a quarter of 4096");
        assertEquals(1024 * 512 * 1024L, s.bufferBytesPerOwner(), "512 KiB (default SO_SNDBUF + SO_RCVBUF) each");
        assertEquals(212_992, s.arp().queueBytesPerNeighbour());
        assertEquals(4 << 20, s.arp().queueBytesTotal());
    }

    @Test
    void badQuotaDefaultsAndArpCapsKeepThePreviousValues() {
        Map<String, Object> first = Map.of("socketsPerBundle", "10", "arpQueueKiBTotal", "1024");
        component.activate(config(first), first, null);
        Map<String, Object> bad = Map.of("socketsPerBundle", "-7", "bufferKiBPerBundle", "banana",
                "arpQueueKiBPerNeighbour", "-1", "arpQueueKiBTotal", "99999999999", "maxSockets", "200");
        component.modified(config(bad), bad);
        StackSettings s = component.stack().settings();
        assertEquals(10, s.socketsPerOwner());
        assertEquals(10 * 512 * 1024L, s.bufferBytesPerOwner());
        assertEquals(212_992, s.arp().queueBytesPerNeighbour());
        assertEquals(1024 * 1024, s.arp().queueBytesTotal());
        assertEquals(200, s.maxSockets(), "the good value applies");
    }

    @Test
    void somaxconnIsConfiguredAndAZeroIsRefused() {
        Map<String, Object> first = Map.of("somaxconn", "128");
        component.activate(config(first), first, null);
        assertEquals(128, component.stack().settings().somaxconn());
        Map<String, Object> bad = Map.of("somaxconn", "0");
        component.modified(config(bad), bad);
        assertEquals(128, component.stack().settings().somaxconn(), "a backlog ceiling of 0 is refused");
    }

    @Test
    void warmUpIsOnByDefaultAndConfigurable() {
        Map<String, Object> none = Map.of();
        component.activate(config(none), none, null);
        assertEquals(true, component.stack().settings().warmUp());
        Map<String, Object> off = Map.of("warmUp", "false");
        component.modified(config(off), off);
        assertEquals(false, component.stack().settings().warmUp());
    }
}
