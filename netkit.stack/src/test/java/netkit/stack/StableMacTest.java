package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import netkit.api.admin.InterfaceStatus;
import netkit.api.time.SimulatedLoop;
import netkit.api.wire.MacAddress;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.Test;

/**
 * Interfaces without a configured {@code mac} get a MAC derived from the installation key (the seed
 * until one is given), the stack's name and the interface's name: the same at every start, different
 * between interfaces and stacks (systemd's {@code MACAddressPolicy=persistent}).
 */
class StableMacTest {
    private final SimulatedLoop loop = new SimulatedLoop();
    private final WireDriver wire = new WireDriver(new WireHub(loop));

    /** The MAC of {@code iface} on a fresh stack {@code name} with {@code seed} and, unless null, {@code key}. */
    private long mac(String name, long seed, byte[] key, String iface) {
        Stack s = new Stack(name, loop, StackSettings.defaults(), seed);
        try {
            if (key != null) {
                s.macKey(key);
            }
            s.addDriver(wire);
            s.configure(InterfaceConfig.of("eth0", "wire", 0x0a000001, 24));
            s.configure(InterfaceConfig.of("eth1", "wire", 0x0a000101, 24));
            for (InterfaceStatus st : s.admin().interfaces()) {
                if (st.name().equals(iface)) {
                    return st.mac();
                }
            }
            throw new AssertionError("no " + iface);
        } finally {
            s.close();
        }
    }

    @Test
    void theSameInstallationGetsTheSameMacAtEveryStart() {
        byte[] key = "installation-1".getBytes(StandardCharsets.US_ASCII);
        long first = mac("netkit", 1, key, "eth0");
        assertEquals(first, mac("netkit", 2, key, "eth0"), "the key, not the seed, decides");
        assertTrue((first >>> 40 & 0x02) != 0, "locally administered");
        assertFalse(MacAddress.isMulticast(first), "unicast");
    }

    @Test
    void interfacesStacksAndInstallationsDiffer() {
        byte[] key = "installation-1".getBytes(StandardCharsets.US_ASCII);
        long eth0 = mac("netkit", 1, key, "eth0");
        assertNotEquals(eth0, mac("netkit", 1, key, "eth1"));
        assertNotEquals(eth0, mac("other", 1, key, "eth0"));
        assertNotEquals(eth0, mac("netkit", 1, "installation-2".getBytes(StandardCharsets.US_ASCII), "eth0"));
    }

    @Test
    void plainJavaStacksDeriveTheirMacFromTheSeed() {
        assertEquals(mac("a", 7, null, "eth0"), mac("a", 7, null, "eth0"));
        assertNotEquals(mac("a", 7, null, "eth0"), mac("a", 8, null, "eth0"));
    }

    @Test
    void aConfiguredMacWins() {
        Stack s = new Stack("netkit", loop, StackSettings.defaults(), 1);
        try {
            s.addDriver(wire);
            s.configure(new InterfaceConfig("eth0", "wire", 0x0a000001, 24, 0, 0, 0x020000000101L, true, Map.of()));
            assertEquals(0x020000000101L, s.admin().interfaces().stream().filter(x -> x.name().equals("eth0"))
                    .findFirst().orElseThrow().mac());
        } finally {
            s.close();
        }
    }
}
