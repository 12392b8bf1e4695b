package netkit.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.ArpEntry;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.stats.StackStatistics;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

class ConsoleFormatTest {
    /** A connection after a transfer with three losses. */
    private static final TcpInfo TCP_INFO = new TcpInfo("FIN_WAIT_2", "cubic", 0, 0, 200_000, 40_000, 1448, 1448,
            1500, 10_605, 1_187, 48_652, 60_404, 261_632, 131_072, 0, 0, 3, 1_052_920, 4344, 1_048_576, 0, 730, 517,
            728, 0, 0, 1005, -1, 995, true, true, true, 9, 7);

    /** An admin with canned answers. */
    private static final class FakeAdmin implements NetworkAdmin {
        int[] added;
        String flushed = "none";

        @Override
        public String stackName() {
            return "t";
        }

        @Override
        public List<InterfaceStatus> interfaces() {
            return List.of(new InterfaceStatus("eth0", "wire", true, InterfaceStatus.LinkKind.ETHERNET, null, 0x020000000001L, 0x0a000001, 24, 1500, true, true,
                    new LinkCounters(1, 2, 3, 4, 5, 6, 7, 8, LinkCounters.NO_HOST_BUFFER), 1));
        }

        @Override
        public List<RouteEntry> routes() {
            return List.of(new RouteEntry(0, 0, 0x0a0000fe, "eth0", 0x0a000001, "gateway", 0),
                    new RouteEntry(0x0a000000, 24, 0, "eth0", 0x0a000001, "kernel", 0));
        }

        @Override
        public void addRoute(int destination, int prefix, int gateway, String iface, int metric) {
            added = new int[] {destination, prefix, gateway, metric};
        }

        @Override
        public void deleteRoute(int destination, int prefix) {
        }

        @Override
        public List<ArpEntry> arp() {
            return List.of(new ArpEntry(0x0a000002, 0x020000000002L, "eth0", "REACHABLE", 3000, 0),
                    new ArpEntry(0x0a000009, 0, "eth0", "INCOMPLETE", 0, 2));
        }

        @Override
        public int flushArp(String iface) {
            flushed = iface;
            return 2;
        }

        @Override
        public void attachTap(String iface, netkit.api.admin.FrameTap tap) {
        }

        @Override
        public netkit.api.admin.FrameTap detachTap(String iface) {
            return null;
        }

        @Override
        public List<SocketStatus> sockets() {
            return List.of(new SocketStatus(0, "app [7]", "udp", SockAddr.of(0, 53), SockAddr.ANY, "-", 12, 0,
                    Map.of("drops", "3")),
                    new SocketStatus(1, "app [7]", "tcp", SockAddr.of(0x0a000001, 4001), SockAddr.of(0x0a000002, 80),
                            "FIN_WAIT_2", 0, 0, Map.of(), TCP_INFO),
                    new SocketStatus(-1, "orphan", "tcp", SockAddr.of(0x0a000001, 80), SockAddr.of(0x0a000002, 40000),
                            "FIN_WAIT_1", 0, 4096, Map.of("rto", "200ms")));
        }

        @Override
        public List<netkit.api.admin.OwnerUsage> owners() {
            return List.of(new netkit.api.admin.OwnerUsage("app [7]", 1, 1024, 524_288, 536_870_912L));
        }

        @Override
        public StackStatistics statistics() {
            return StackStatistics.of(CounterSnapshot.empty(IpCounter.class), CounterSnapshot.empty(ArpCounter.class),
                    CounterSnapshot.empty(IcmpCounter.class)).plus(CounterSnapshot.empty(TcpCounter.class)
                    .with(TcpCounter.ACTIVE_OPENS, 3).with(TcpCounter.HYSTART_DELAY_DETECT, 2)
                    .with(TcpCounter.HYSTART_DELAY_CWND, 57).with(TcpCounter.DSACK_RECV_SEGS, 1));
        }
    }

    /** {@code nstat}: counters named as Linux's nstat does, non-zero ones unless {@code -z}. */
    @Test
    void nstatShowsCountersAsLinuxNames() {
        NstatCommand n = new NstatCommand(new FakeAdmin());
        assertEquals("""
                #netkit t
                TcpActiveOpens                   3
                TcpExtTCPDSACKRecvSegs           1
                TcpExtTCPHystartDelayDetect      2
                TcpExtTCPHystartDelayCwnd        57
                """, n.nstat(false));
        String all = n.nstat(true);
        assertTrue(all.contains("IpInReceives                     0\n"), all);
        assertTrue(all.contains("TcpExtTCPLossProbes              0\n"), all);
        assertTrue(all.contains("TcpExtTWRecycled                 0\n"), all);
    }

    @Test
    void tableAlignsColumns() {
        String t = new Table("A", "Bee").row("xxxx", 1).row("y").toString();
        assertEquals("A     Bee\nxxxx  1\ny\n", t);
    }

    @Test
    void ifconfigLooksLikeIpAddr() {
        String s = InterfaceCommands.format(new FakeAdmin().interfaces().get(0));
        assertTrue(s.startsWith("eth0: <UP,BROADCAST,RUNNING> mtu 1500 driver wire\n"), s);
        assertTrue(s.contains("link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff"), s);
        assertTrue(s.contains("inet 10.0.0.1/24 brd 10.0.0.255"), s);
        assertTrue(s.contains("RX: packets 1 bytes 2 errors 3 dropped 4"), s);
        assertTrue(s.contains("TX: packets 5 bytes 6 errors 7 dropped 8"), s);
    }

    @Test
    void routeAndArpLookLikeIproute2() throws Exception {
        FakeAdmin admin = new FakeAdmin();
        RouteCommands c = new RouteCommands(admin);
        assertEquals("default via 10.0.0.254 dev eth0 proto gateway src 10.0.0.1\n"
                + "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1\n", c.route());
        assertEquals("10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE age 3s\n"
                + "10.0.0.9 dev eth0 INCOMPLETE queued 2\n", c.arp());
        c.route("add", "192.168.0.0/16", "via", "10.0.0.254", "metric", "5");
        assertArrayEquals(new int[] {0xc0a80000, 16, 0x0a0000fe, 5}, admin.added);
        assertThrows(IllegalArgumentException.class, () -> c.route("add", "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> c.route("add", "10.0.0.0/8", "via"));
        assertThrows(IllegalArgumentException.class, () -> c.route("frob", "10.0.0.0/8"));
        assertEquals("flushed 2 entries\n", c.arp("flush", "eth0"));
        assertEquals("eth0", admin.flushed);
    }

    @Test
    void netstatShowsTokensOwnersAndInternals() {
        NetstatCommand n = new NetstatCommand(new FakeAdmin());
        String plain = n.netstat().toString();
        assertTrue(plain.startsWith("Proto  Recv-Q  Send-Q  Local Address  Foreign Address  State       Token  Owner\n"),
                plain);
        assertTrue(plain.contains("udp    12      0       *:53           *:*              -           0      app [7]"),
                plain);
        String extended = n.netstat("-e").toString();
        assertTrue(extended.endsWith("10.0.0.1:80 10.0.0.2:40000: rto 200ms\n"), extended);
        assertTrue(extended.contains("token 0: drops 3\n"));
        assertTrue(extended.contains("token 1: ts sack cubic wscale:9,7 rto:200 rtt:10.605/1.187 ato:40 "
                + "mss:1448 pmtu:1500 advmss:1448 cwnd:60404 ssthresh:48652 bytes_sent:1052920 bytes_retrans:4344 "
                + "bytes_acked:1048576 bytes_received:0 segs_out:730 segs_in:517 data_segs_out:728 data_segs_in:0 "
                + "lastsnd:1005 lastack:995 retrans:0/3 snd_wnd:261632 rcv_wnd:131072\n"), extended);
        assertTrue(plain.contains("tcp    0       4096    10.0.0.1:80    10.0.0.2:40000   FIN_WAIT_1  -      orphan"),
                "an orphan: no token\n" + plain);
    }

    @Test
    void netstatBundlesShowsQuotaUse() {
        assertEquals("Owner    Sockets  Buffer KiB\n" + "app [7]  1/1024   512/524288\n",
                new NetstatCommand(new FakeAdmin()).netstat("-b").toString());
    }
}
