package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.wire.IcmpHeader;
import netkit.icmp.IcmpProtocol;
import netkit.link.vxlan.VxlanDriver;
import netkit.stack.RxQueueProbe;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.Test;

/** Two netkit stacks in one JVM, each with a VXLAN interface over real UDP on 127.0.0.1. */
class VxlanTransferTest {
    private static int freeUdpPort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    private static Stack stack(String name, int address, int localPort, int remotePort) {
        Stack s = new Stack(name, null, StackSettings.defaults(), name.hashCode());
        s.addDriver(new VxlanDriver());
        s.addProtocol(new TcpProtocol());
        s.addProtocol(new IcmpProtocol());
        s.configure(new InterfaceConfig("vx0", "vxlan", address, 24, 0, 0, 0, true,
                Map.of("local", "127.0.0.1:" + localPort, "remote", "127.0.0.1:" + remotePort, "vni", "7")));
        return s;
    }

    @Test
    void tcpAndPingThroughVxlan() throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        try (Stack a = stack("vxa", SockAddr.parseAddress("192.168.77.1"), pa, pb);
                Stack b = stack("vxb", SockAddr.parseAddress("192.168.77.2"), pb, pa)) {
            SocketManager sa = a.sockets("a");
            SocketManager sb = b.sockets("b");
            int l = sb.socket(AF_INET, SOCK_STREAM, 0);
            sb.bind(l, SockAddr.of(0, 80));
            sb.listen(l, 1);
            byte[] data = new byte[2 << 20];
            new Random(77).nextBytes(data);
            CompletableFuture<byte[]> server = CompletableFuture.supplyAsync(() -> {
                try {
                    int s = sb.accept(l).token();
                    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                    byte[] buf = new byte[65536];
                    for (int n; (n = sb.recv(s, buf, 0, buf.length, 0)) > 0;) {
                        got.write(buf, 0, n);
                    }
                    sb.closesocket(s);
                    return got.toByteArray();
                } catch (netkit.api.ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            });
            int c = sa.socket(AF_INET, SOCK_STREAM, 0);
            sa.connect(c, SockAddr.of("192.168.77.2", 80));
            sa.send(c, data, 0, data.length, 0);
            sa.shutdown(c, Net.SHUT_WR);
            assertArrayEquals(data, server.get(30, TimeUnit.SECONDS));
            int ping = sa.socket(AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
            sa.setsockopt(ping, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
            byte[] echo = new byte[16];
            echo[0] = IcmpHeader.ECHO_REQUEST;
            sa.sendto(ping, echo, 0, 16, 0, SockAddr.of("192.168.77.2", 0));
            assertEquals(16, sa.recvfrom(ping, new byte[64], 0, 64, 0, null));
            assertEquals(1, a.admin().interfaces().stream().filter(i -> i.driver().equals("vxlan")).count());
            // The sender's ACKs (small frames) were processed on its VXLAN reader thread, not handed to its loop.
            long[] batches = RxQueueProbe.batches(a, "vx0");
            assertTrue(batches[2] > 0, "batches on the loop, socket calls, the link's thread: "
                    + java.util.Arrays.toString(batches));
        }
    }

    /**
     * Twenty relinks of one VXLAN interface on the same local port (MTU changes and parameter
     * changes, as {@code ifconfig vx0 mtu} and {@code link swap} make): each binds, the MAC stays, and
     * a ping through the new link is answered.
     */
    @Test
    void relinksOnTheSamePortAlwaysWorkAndKeepTheMac() throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        try (Stack a = stack("vxa", SockAddr.parseAddress("192.168.77.1"), pa, pb);
                Stack b = stack("vxb", SockAddr.parseAddress("192.168.77.2"), pb, pa)) {
            SocketManager sa = a.sockets("a");
            int ping = sa.socket(AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
            sa.setsockopt(ping, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
            long mac = a.iface("vx0").link().mac();
            for (int i = 0; i < 20; i++) {
                Map<String, String> params = i % 2 == 0
                        ? Map.of("local", "127.0.0.1:" + pa, "remote", "127.0.0.1:" + pb, "vni", "7")
                        : Map.of("local", "127.0.0.1:" + pa, "remote", "127.0.0.1:" + pb, "vni", "7", "srcport", "4789");
                a.configure(new InterfaceConfig("vx0", "vxlan", SockAddr.parseAddress("192.168.77.1"), 24,
                        1400 + i % 2, 0, 0, true, params));
                assertEquals(null, a.iface("vx0").status().lastError(), "relink " + i);
                assertEquals(true, a.iface("vx0").running(), "relink " + i);
                assertEquals(mac, a.iface("vx0").link().mac(), "relink " + i + " kept the MAC");
                byte[] echo = new byte[16];
                echo[0] = IcmpHeader.ECHO_REQUEST;
                sa.sendto(ping, echo, 0, 16, 0, SockAddr.of("192.168.77.2", 0));
                assertEquals(16, sa.recvfrom(ping, new byte[64], 0, 64, 0, null), "answered after relink " + i);
            }
        }
    }
}
