package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.stats.StackStatistics;
import netkit.api.stats.TcpCounter;
import netkit.api.stats.UdpCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code netkit:netstat} the way Linux's reads (#14): {@code -s} per-protocol counters from the
 * stack's one counter model after real traffic, and the {@code -t -u -l -a -n} filters.
 */
class NetstatTest {
    private final WireNet net = new WireNet(2);
    private final NetstatCommand netstat = new NetstatCommand(net.stack(0).admin());

    @AfterEach
    void close() {
        net.close();
    }

    /** On 10.0.0.1: TCP listener on 80 with one connection from 10.0.0.2, UDP on 53; a ping; a UDP datagram to a closed port. */
    private void traffic() throws Exception {
        SocketManager a = net.stack(0).sockets("server");
        SocketManager b = net.stack(1).sockets("client");
        int l = a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        a.bind(l, SockAddr.of(0, 80));
        a.listen(l, 8);
        int u = a.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        a.bind(u, SockAddr.of(0, 53));
        int c = b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        b.connect(c, SockAddr.of(WireNet.address(0), 80));
        a.accept(l);
        int d = b.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        b.sendto(d, new byte[10], 0, 10, 0, SockAddr.of(WireNet.address(0), 9999));
        new PingCommand(b).ping("-c1", "-W1", WireNet.quad(0));
        Thread.sleep(200); // the port unreachable on its way back
    }

    @Test
    void statisticsPerProtocolLikeLinux() throws Exception {
        traffic();
        String s = netstat.netstat("-s").toString();
        assertTrue(s.startsWith("Ip:\n    Forwarding: 2\n    "), s);
        assertTrue(s.contains(" total packets received\n"), s);
        assertTrue(s.contains("\nIcmp:\n    1 ICMP messages received\n    0 input ICMP message failed\n"
                + "    ICMP input histogram:\n        echo requests: 1\n"
                + "    2 ICMP messages sent\n    0 ICMP messages failed\n    ICMP output histogram:\n"
                + "        destination unreachable: 1\n        echo replies: 1\n"), s);
        assertTrue(s.contains("\nIcmpMsg:\n        InType8: 1\n        OutType0: 1\n        OutType3: 1\nTcp:\n"), s);
        assertTrue(s.contains("\n    0 active connection openings\n    1 passive connection openings\n"), s);
        assertTrue(s.contains(" segments retransmitted\n"), s);
        assertFalse(s.contains("InCsumErrors"), "zero: not shown, as net-tools\n" + s);
        assertTrue(s.contains("\n    0 bad segments received\n    0 resets sent\nUdp:\n"), s);
        assertTrue(s.contains("\nUdp:\n    0 packets received\n    1 packets to unknown port received\n"), s);
        assertTrue(s.contains("\nTcpExt:\n"), s);
        String tcp = netstat.netstat("-st").toString();
        assertTrue(tcp.startsWith("Tcp:\n") && tcp.contains("TcpExt:") && !tcp.contains("Udp:") && !tcp.contains("Ip:"),
                tcp);
        String udp = netstat.netstat("-s", "-u").toString();
        assertTrue(udp.startsWith("Udp:\n") && !udp.contains("Tcp"), udp);
        String tsv = netstat.netstat("-s", "--tsv").toString();
        assertTrue(tsv.contains("\nTcp\tPassiveOpens\t1\n") && tsv.contains("\nUdp\tNoPorts\t1\n")
                && tsv.contains("\nIcmpMsg\tOutType3\t1\n"), tsv);
        // every counter of the model is shown: one line each (Ip adds Forwarding and ForwDatagrams, Icmp OutMsgs
        // and OutErrors, IcmpMsg 9 types)
        long lines = tsv.lines().count();
        assertEquals(IpCounter.values().length + 2 + IcmpCounter.values().length + 2 + 9 + TcpCounter.values().length
                + UdpCounter.values().length + ArpCounter.values().length, lines, tsv);
    }

    /** Counters that real traffic here leaves at zero: retransmits, checksum errors, drops by reason, reassembly. */
    @Test
    void errorsDropsAndReassemblyAsLinuxPrintsThem() {
        StackStatistics st = new StackStatistics(
                CounterSnapshot.empty(IpCounter.class).with(IpCounter.REASM_REQDS, 4).with(IpCounter.REASM_OKS, 1)
                        .with(IpCounter.REASM_TIMEOUT, 2).with(IpCounter.REASM_OVERLAPS, 1),
                CounterSnapshot.empty(ArpCounter.class).with(ArpCounter.UNRESOLVED_DROPS, 6),
                CounterSnapshot.empty(IcmpCounter.class).with(IcmpCounter.IN_TIME_EXCDS, 2),
                CounterSnapshot.empty(UdpCounter.class).with(UdpCounter.IN_CSUM_ERRORS, 7)
                        .with(UdpCounter.RCVBUF_ERRORS, 8),
                CounterSnapshot.empty(TcpCounter.class).with(TcpCounter.RETRANS_SEGS, 12)
                        .with(TcpCounter.IN_CSUM_ERRORS, 3).with(TcpCounter.LISTEN_OVERFLOWS, 5)
                        .with(TcpCounter.TIMEOUTS, 2).with(TcpCounter.FAST_RETRANSMITS, 9));
        String s = new ProtocolStatistics(st, java.util.Set.of(), false).toString();
        assertTrue(s.contains("    0 incoming packets delivered\n    0 requests sent out\n"
                + "    2 fragments dropped after timeout\n    4 reassemblies required\n    1 packets reassembled ok\n"
                + "Icmp:\n"), s);
        assertTrue(s.indexOf("    0 total packets received\n    0 forwarded\n") > 0, s);
        assertTrue(s.contains("    ICMP input histogram:\n        timeout in transit: 2\n"), s);
        assertTrue(s.contains("IcmpMsg:\n        InType11: 2\nTcp:\n"), s);
        assertTrue(s.contains("    12 segments retransmitted\n    0 bad segments received\n    0 resets sent\n"
                + "    InCsumErrors: 3\nUdp:\n"), s);
        assertTrue(s.contains("    8 receive buffer errors\n    InCsumErrors: 7\nTcpExt:\n"), s);
        assertTrue(s.contains("TcpExt:\n    5 times the listen queue of a socket overflowed\n    9 fast retransmits\n"
                + "    TCPTimeouts: 2\nIpExt:\n    ReasmOverlaps: 1\nArp:\n    UnresolvedDrops: 6\n"), s);
    }

    @Test
    void filtersLikeLinux() throws Exception {
        traffic();
        String tln = netstat.netstat("-tln").toString();
        assertTrue(tln.startsWith("Active Internet connections (only servers)\n"
                + "Proto  Recv-Q  Send-Q  Local Address  Foreign Address  State   Token  Owner\n"), tln);
        // Send-Q of a listener is its backlog, as Linux shows it
        assertTrue(tln.contains("\ntcp    0       8       0.0.0.0:80     0.0.0.0:*        LISTEN  "), tln);
        assertEquals(3, tln.split("\n").length, "the listener only: " + tln);
        String tuln = netstat.netstat("-tuln").toString();
        assertTrue(tuln.contains("\nudp    0       0       0.0.0.0:53 "), tuln);
        assertFalse(tuln.contains("ESTABLISHED"), tuln);
        String t = netstat.netstat("-t", "-n").toString();
        assertTrue(t.startsWith("Active Internet connections (w/o servers)\n"), t);
        assertTrue(t.contains("10.0.0.1:80") && t.contains("10.0.0.2:") && t.contains("ESTABLISHED"), t);
        assertFalse(t.contains("LISTEN"), t);
        String ta = netstat.netstat("-ta").toString();
        assertTrue(ta.startsWith("Active Internet connections (servers and established)\n"), ta);
        assertTrue(ta.contains("*:80") && ta.contains("LISTEN") && ta.contains("ESTABLISHED") && !ta.contains("udp"), ta);
        String all = netstat.netstat().toString();
        assertTrue(all.startsWith("Proto") && all.contains("LISTEN") && all.contains("udp"), "bare: every socket\n" + all);
        String tsv = netstat.netstat("--tsv", "-tln").toString();
        assertTrue(tsv.startsWith("Proto\tRecv-Q\tSend-Q\tLocal Address\tForeign Address\tState\tToken\tOwner\n"
                + "tcp\t0\t8\t0.0.0.0:80\t0.0.0.0:*\tLISTEN\t"), tsv);
        String i = netstat.netstat("-i").toString();
        assertTrue(i.startsWith("Kernel Interface table\nIface  MTU   RX-OK  RX-ERR  RX-DRP  RX-OVR  TX-OK"), i);
        assertTrue(i.contains("\neth0   1500  "), i);
        assertTrue(i.endsWith("  BRU\n"), "net-tools' flag letters\n" + i);
    }
}
