package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import netkit.api.SockAddr;
import netkit.api.admin.DynamicAddress;
import netkit.api.buffer.PacketPool;
import netkit.api.time.SimulatedLoop;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.iface.NetInterface;
import netkit.stack.route.RoutingTable;
import org.junit.jupiter.api.Test;

/**
 * The address index of the interfaces (#13: the own-address check per packet without a scan) always
 * answers what a scan of the interfaces in name order answers: after adding, reconfiguring and
 * removing interfaces and installing and removing dynamic addresses.
 */
class InterfacesIndexTest {
    private static Interfaces interfaces() {
        // no drivers: links are never opened, so the receive queues are never asked for
        return new Interfaces("s", new RoutingTable(), new PacketPool(64, 2048, 16), new SimulatedLoop(), i -> null);
    }

    /** The scan the index replaced. */
    private static NetInterface scan(Interfaces all, int address) {
        if (address == 0) {
            return null;
        }
        for (NetInterface i : all.snapshot()) {
            if (i.address() == address) {
                return i;
            }
        }
        return null;
    }

    private static int ip(String s) {
        return SockAddr.parseAddress(s);
    }

    @Test
    void followsConfigurationDynamicAddressesAndRemoval() {
        Interfaces all = interfaces();
        NetInterface eth1 = all.configure(InterfaceConfig.of("eth1", "wire", ip("10.0.0.1"), 24));
        NetInterface eth0 = all.configure(InterfaceConfig.of("eth0", "wire", ip("10.0.0.1"), 24));
        assertSame(eth0, all.owner(ip("10.0.0.1")), "two with one address: the first in name order");
        assertNull(all.owner(0));
        assertNull(all.owner(ip("10.0.0.2")));

        all.configure(InterfaceConfig.of("eth0", "wire", ip("10.0.0.9"), 24));
        assertSame(eth1, all.owner(ip("10.0.0.1")));
        assertSame(eth0, all.owner(ip("10.0.0.9")));

        all.dynamic(eth1, new DynamicAddress("dhcp", ip("192.168.1.50"), 24, 0, 0, Long.MAX_VALUE, 0, 0), null);
        assertSame(eth1, all.owner(ip("192.168.1.50")));
        assertNull(all.owner(ip("10.0.0.1")), "the lease replaces the configured address");
        all.dynamic(eth1, null, null);
        assertSame(eth1, all.owner(ip("10.0.0.1")));
        assertNull(all.owner(ip("192.168.1.50")));

        all.remove("eth0");
        assertNull(all.owner(ip("10.0.0.9")));
        all.remove("eth1");
        assertNull(all.owner(ip("10.0.0.1")));
    }

    @Test
    void manyInterfacesAgreeWithTheScan() {
        Interfaces all = interfaces();
        Random r = new Random(13);
        for (int step = 0; step < 600; step++) {
            String name = "eth" + r.nextInt(40);
            int address = r.nextInt(8) == 0 ? 0 : ip("10.0.0.0") + r.nextInt(64); // collisions too
            if (r.nextInt(5) == 0) {
                all.remove(name);
            } else {
                all.configure(InterfaceConfig.of(name, "wire", address, 24));
            }
            for (int probe = 0; probe < 8; probe++) {
                int a = ip("10.0.0.0") + r.nextInt(66);
                assertEquals(scan(all, a), all.owner(a), "step " + step + " address " + SockAddr.formatAddress(a));
            }
        }
    }
}
