package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.InterfaceStatus.LinkKind;
import netkit.api.admin.LinkCounters;
import org.junit.jupiter.api.Test;

/** {@code ifconfig} output follows the typed link fields of the status. */
class InterfaceFormatTest {
    private static final LinkCounters ZERO = new LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, LinkCounters.NO_HOST_BUFFER);

    private static String header(InterfaceStatus s) {
        String[] lines = InterfaceCommands.format(s).split("\n");
        return lines[0] + "\n" + lines[1];
    }

    @Test
    void aLinkThatWentAwayKeepsItsKind() {
        assertEquals("lo0: <UP,LOOPBACK> mtu 65536 driver loopback (absent)\n    link/loopback 00:00:00:00:00:00",
                header(new InterfaceStatus("lo0", "loopback", false, LinkKind.LOOPBACK, null, 0, 0x7f000001, 8, 65536,
                        true, false, ZERO, 1)));
        assertEquals("eth0: <UP,BROADCAST> mtu 1500 driver vxlan (absent)\n"
                + "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
                header(new InterfaceStatus("eth0", "vxlan", false, LinkKind.ETHERNET, null, 0x020000000001L, 0, 0, 1500,
                        true, false, ZERO, 1)));
    }

    @Test
    void loopbackEthernetAndNoLink() {
        assertEquals("lo0: <UP,LOOPBACK,RUNNING> mtu 65536 driver loopback\n    link/loopback 00:00:00:00:00:00",
                header(new InterfaceStatus("lo0", "loopback", true, LinkKind.LOOPBACK, null, 0, 0x7f000001, 8, 65536, true,
                        true, ZERO, 1)));
        assertEquals("eth0: <UP,BROADCAST,RUNNING> mtu 1500 driver vxlan\n"
                + "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
                header(new InterfaceStatus("eth0", "vxlan", true, LinkKind.ETHERNET, null, 0x020000000001L, 0, 0, 1500, true,
                        true, ZERO, 1)));
        assertEquals("eth1: <UP> mtu 1500 driver tap (absent)\n    link/none",
                header(new InterfaceStatus("eth1", "tap", false, LinkKind.NONE, null, 0, 0, 0, 1500, true, false, ZERO, 1)));
        assertEquals("eth2: <UP> mtu 1500 driver wire (failed: probabilities must be 0..1)\n    link/none",
                header(new InterfaceStatus("eth2", "wire", false, LinkKind.NONE, "probabilities must be 0..1", 0, 0, 0, 1500,
                        true, false, ZERO, 1)));
    }

    /** Host socket drops of a VXLAN link show as overruns; where the host does not tell, it says so. */
    @Test
    void overrunsOfTheHostSocket() {
        InterfaceStatus vx = new InterfaceStatus("vx0", "vxlan", true, LinkKind.ETHERNET, null, 0x020000000001L, 0, 0,
                1450, true, true, new LinkCounters(1, 2, 0, 0, 3, 4, 0, 0, 517), 1);
        assertEquals(true, InterfaceCommands.format(vx).contains("RX: packets 1 bytes 2 errors 0 dropped 0 overruns 517\n"));
        InterfaceStatus unknown = new InterfaceStatus("vx0", "vxlan", true, LinkKind.ETHERNET, null, 0x020000000001L, 0,
                0, 1450, true, true, new LinkCounters(1, 2, 0, 0, 3, 4, 0, 0, LinkCounters.OVERRUNS_UNKNOWN), 1);
        assertEquals(true, InterfaceCommands.format(unknown).contains("dropped 0 overruns unknown\n"));
        InterfaceStatus wire = new InterfaceStatus("eth0", "wire", true, LinkKind.ETHERNET, null, 0x020000000001L, 0, 0,
                1500, true, true, ZERO, 1);
        assertEquals(false, InterfaceCommands.format(wire).contains("overruns"), "no host buffer, no figure");
    }

    /** A leased address is marked dynamic with the seconds left, as {@code ip addr} shows valid_lft. */
    @Test
    void aLeasedAddressIsDynamic() {
        InterfaceStatus leased = new InterfaceStatus("vx0", "vxlan", true, LinkKind.ETHERNET, null, 0x020000000001L,
                0xc0a84d32, 24, 1450, true, true, ZERO, 3, new netkit.api.admin.AddressLease("dhcp", 110, 50, 95));
        assertEquals(true, InterfaceCommands.format(leased).contains("    inet 192.168.77.50/24 brd 192.168.77.255 dynamic\n"
                + "       valid_lft 110sec renew 50sec rebind 95sec (dhcp)\n"), InterfaceCommands.format(leased));
        InterfaceStatus configured = new InterfaceStatus("vx0", "vxlan", true, LinkKind.ETHERNET, null, 0x020000000001L,
                0xc0a84d32, 24, 1450, true, true, ZERO, 3);
        assertEquals(true, InterfaceCommands.format(configured).contains("brd 192.168.77.255\n    RX:"));
    }
}
