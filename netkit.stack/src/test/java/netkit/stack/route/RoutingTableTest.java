package netkit.stack.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import netkit.api.ErrnoException;
import netkit.api.SockAddr;
import netkit.api.admin.RouteEntry;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static int ip(String s) {
        return SockAddr.parseAddress(s);
    }

    private static RouteEntry row(String dst, int prefix, String gw, String iface, String origin, int metric) {
        return new RouteEntry(ip(dst), prefix, gw == null ? 0 : ip(gw), iface, 0, origin, metric);
    }

    @Test
    void longestPrefixThenMetric() throws Exception {
        RoutingTable t = new RoutingTable();
        t.add(row("0.0.0.0", 0, "10.0.0.254", "eth0", "static", 0));
        t.add(row("10.0.0.0", 24, null, "eth0", RoutingTable.CONNECTED, 0));
        t.add(row("10.0.0.128", 25, null, "eth1", "static", 5));
        t.add(row("10.0.0.128", 25, null, "eth2", "static", 1));
        assertEquals("eth0", t.lookup(ip("10.0.0.5"), i -> true).iface());
        assertEquals("eth2", t.lookup(ip("10.0.0.200"), i -> true).iface(), "lower metric wins");
        assertEquals("eth1", t.lookup(ip("10.0.0.200"), i -> !i.equals("eth2")).iface(), "unusable skipped");
        assertEquals(ip("10.0.0.254"), t.lookup(ip("8.8.8.8"), i -> true).gateway());
        assertEquals(ip("10.0.0.128"), t.lookup(ip("10.0.0.200"), i -> true).destination());
    }

    @Test
    void destinationIsNormalisedAndDuplicatesRefused() throws Exception {
        RoutingTable t = new RoutingTable();
        t.add(row("192.168.1.77", 24, null, "eth0", "static", 0));
        assertEquals(ip("192.168.1.0"), t.rows().get(0).destination());
        assertThrows(ErrnoException.class, () -> t.add(row("192.168.1.0", 24, null, "eth0", "static", 0)));
        assertThrows(ErrnoException.class, () -> t.add(row("192.168.1.0", 33, null, "eth0", "static", 0)));
    }

    @Test
    void removal() throws Exception {
        RoutingTable t = new RoutingTable();
        t.add(row("10.0.0.0", 8, null, "eth0", RoutingTable.CONNECTED, 0));
        t.add(row("172.16.0.0", 12, "10.0.0.1", "eth0", "static", 0));
        assertEquals(0, t.removeStatic(ip("10.0.0.0"), 8), "connected routes are not static");
        assertEquals(1, t.removeStatic(ip("172.16.5.5"), 12));
        t.removeInterface("eth0", null);
        assertNull(t.lookup(ip("10.1.1.1"), i -> true));
        assertEquals(0xffffff00, RoutingTable.mask(24));
        assertEquals(0, RoutingTable.mask(0));
        assertEquals(-1, RoutingTable.mask(32));
    }
}
