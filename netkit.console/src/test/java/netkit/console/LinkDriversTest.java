package netkit.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import netkit.api.spi.link.LinkDriver;
import netkit.api.time.SimulatedLoop;
import netkit.link.loopback.LoopbackDriver;
import netkit.link.pair.PairDriver;
import netkit.link.vxlan.VxlanDriver;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import org.junit.jupiter.api.Test;

/** {@code netkit:link drivers}: every driver's parameters with meaning and default. */
class LinkDriversTest {
    @Test
    void eachDriverListsItsParametersWithMeaningAndDefault() {
        Map<String, LinkDriver> drivers = Map.of("loopback", new LoopbackDriver(), "pair", new PairDriver(),
                "vxlan", new VxlanDriver(), "wire", new WireDriver(new WireHub(new SimulatedLoop())));
        String out = LinkDrivers.describe(List.of("loopback", "pair", "vxlan", "wire"), drivers::get);
        assertTrue(out.contains("loopback: no parameters\n"), out);
        assertTrue(out.matches("(?s).*\\n  vni +42 +VXLAN network identifier, 0\\.\\.16777215\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n  remote +- +the VTEP.*"), out);
        assertTrue(out.matches("(?s).*\\n  segment +default +the in-JVM Ethernet segment.*"), out);
        assertTrue(out.contains("impairment parameters corrupt delay direction duplicate jitter loss rate reorder seed"), out);
    }
}
