package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.FrameTap;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

class TapTest {
    @Test
    void tapSeesBothDirectionsAndSurvivesALinkSwap() throws Exception {
        TestNet net = new TestNet(2);
        RawProtocol a = new RawProtocol();
        net.stack(0).addProtocol(a);
        net.stack(1).addProtocol(new RawProtocol());
        List<String> seen = new ArrayList<>();
        FrameTap tap = (data, off, len, out) -> seen.add((out ? "out " : "in ") + len);
        net.stack(0).admin().attachTap("eth0", tap);
        assertEquals(Errno.EBUSY, assertThrows(ErrnoException.class,
                () -> net.stack(0).admin().attachTap("eth0", tap)).errno());
        assertEquals(Errno.EADDRNOTAVAIL, assertThrows(ErrnoException.class,
                () -> net.stack(0).admin().attachTap("eth9", tap)).errno());
        a.last.sendRaw(TestNet.address(1), new byte[10], false);
        net.run(Duration.ofMillis(10));
        assertEquals(List.of("out 42", "in 42", "out 44"), seen, "ARP request, ARP reply, the datagram");
        InterfaceConfig eth0 = net.stack(0).iface("eth0").config();
        net.stack(0).configure(eth0.withParameters(Map.of("segment", "lan", "seed", "1"))); // a changed parameter relinks
        a.last.sendRaw(TestNet.address(1), new byte[10], false);
        net.run(Duration.ofMillis(10));
        assertEquals("out 44", seen.get(seen.size() - 1), "still tapped after the link was swapped");
        assertEquals(tap, net.stack(0).admin().detachTap("eth0"));
        assertNull(net.stack(0).admin().detachTap("eth0"));
    }
}
