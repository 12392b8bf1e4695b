package netkit.icmp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.IPPROTO_ICMP;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.IcmpHeader;
import netkit.api.wire.Ipv4Options;
import netkit.api.wire.Ipv4Packet;
import netkit.link.loopback.LoopbackDriver;
import netkit.link.wire.WirePort;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import netkit.udp.UdpProtocol;
import org.junit.jupiter.api.Test;

/** ICMP (and UDP's use of it) between plain-Java stacks. */
class IcmpTest {
    private static final int NB = Net.MSG_DONTWAIT;

    private static TestNet net(int n) {
        TestNet net = new TestNet(n);
        for (Stack s : net.stacks) {
            s.addProtocol(new UdpProtocol());
            s.addProtocol(new IcmpProtocol());
        }
        return net;
    }

    private static SockAddr host(int i) {
        return SockAddr.of(TestNet.address(i), 0);
    }

    private static long icmp(Stack s, IcmpCounter counter) {
        return s.admin().statistics().icmp().get(counter);
    }

    static byte[] echo(int seq, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) IcmpHeader.ECHO_REQUEST;
        Bytes.put16(m, 6, seq);
        System.arraycopy(data, 0, m, 8, data.length);
        return m;
    }

    @Test
    void echoRequestIsAnsweredWithIdSequenceAndPayload() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        byte[] data = "abcdefgh-payload".getBytes();
        a.sendto(s, echo(7, data), 0, 8 + data.length, 0, host(1));
        int id = a.getsockname(s).port();
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[100];
        RecvInfo info = new RecvInfo();
        int n = a.recvfrom(s, buf, 0, 100, NB, info);
        assertEquals(8 + data.length, n);
        assertEquals(TestNet.address(1), info.from().address());
        IcmpHeader h = new IcmpHeader();
        h.wrap(buf, 0, n);
        assertEquals(IcmpHeader.ECHO_REPLY, h.type());
        assertEquals(id, h.identifier(), "the stack stamped the socket's identifier");
        assertEquals(7, h.sequence());
        assertTrue(Checksum.verifies(Checksum.add(0, buf, 0, n)));
        assertArrayEquals(data, Arrays.copyOfRange(buf, 8, n));
        assertEquals(1, icmp(net.stack(1), IcmpCounter.OUT_ECHO_REPS));
    }

    @Test
    void twoPingersNeverSeeEachOthersReplies() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int p1 = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        int p2 = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        a.sendto(p1, echo(1, new byte[] {1}), 0, 9, 0, host(1));
        a.sendto(p2, echo(2, new byte[] {2}), 0, 9, 0, host(1));
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[20];
        a.recvfrom(p1, buf, 0, 20, NB, null);
        assertEquals(1, buf[8]);
        a.recvfrom(p2, buf, 0, 20, NB, null);
        assertEquals(2, buf[8]);
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(p1, buf, 0, 20, NB, null)));
    }

    @Test
    void pingingLoopbackWorks() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        a.sendto(s, echo(1, new byte[56]), 0, 64, 0, SockAddr.of("127.0.0.1", 0));
        net.run(Duration.ofMillis(1));
        assertEquals(64, a.recvfrom(s, new byte[100], 0, 100, NB, null));
    }

    @Test
    void onlyEchoRequestsMayBeSent() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        byte[] m = echo(1, new byte[4]);
        m[0] = IcmpHeader.TIMESTAMP;
        assertEquals(Errno.EINVAL, errno(() -> a.sendto(s, m, 0, m.length, 0, host(0))));
        assertEquals(Errno.EINVAL, errno(() -> a.sendto(s, new byte[4], 0, 4, 0, host(0))));
        assertEquals(Errno.EPROTOTYPE, errno(() -> a.socket(AF_INET, Net.SOCK_STREAM, IPPROTO_ICMP)));
    }

    @Test
    void broadcastEchoIsAnsweredOnlyWhenEnabled() throws Exception {
        TestNet net = new TestNet(3);
        IcmpProtocol quiet = new IcmpProtocol();
        IcmpProtocol chatty = new IcmpProtocol();
        chatty.answerBroadcastEcho(true);
        net.stack(0).addProtocol(new IcmpProtocol());
        net.stack(1).addProtocol(quiet);
        net.stack(2).addProtocol(chatty);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        a.setsockopt(s, Net.SOL_SOCKET, Net.SO_BROADCAST, 1);
        a.sendto(s, echo(1, new byte[8]), 0, 16, 0, SockAddr.of("10.0.0.255", 0));
        net.run(Duration.ofMillis(10));
        RecvInfo info = new RecvInfo();
        a.recvfrom(s, new byte[32], 0, 32, NB, info);
        assertEquals(TestNet.address(2), info.from().address());
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(s, new byte[32], 0, 32, NB, null)));
    }

    @Test
    void portUnreachableReachesAConnectedUdpSocketOnce() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("app");
        int s = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.connect(s, SockAddr.of(TestNet.address(1), 9));
        a.send(s, new byte[1], 0, 1, 0);
        net.run(Duration.ofMillis(10));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.IN_DEST_UNREACHS));
        assertEquals(Errno.ECONNREFUSED, errno(() -> a.recv(s, new byte[4], 0, 4, NB)));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(s, new byte[4], 0, 4, NB)), "reported once");
        a.send(s, new byte[1], 0, 1, 0);
        net.run(Duration.ofMillis(10));
        assertEquals(Errno.ECONNREFUSED.number(), a.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR));
        assertEquals(0, a.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR), "SO_ERROR clears it");
        int unconnected = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.sendto(unconnected, new byte[1], 0, 1, 0, SockAddr.of(TestNet.address(1), 9));
        net.run(Duration.ofMillis(10));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(unconnected, new byte[4], 0, 4, NB, null)),
                "unconnected sockets are not told (like Linux without IP_RECVERR)");
    }

    @Test
    void unresolvableHostGivesEhostunreach() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        a.sendto(s, echo(1, new byte[8]), 0, 16, 0, SockAddr.of("10.0.0.99", 0));
        net.run(Duration.ofSeconds(4));
        assertEquals(Errno.EHOSTUNREACH, errno(() -> a.recvfrom(s, new byte[32], 0, 32, NB, null)));
        assertEquals(Errno.ENETUNREACH, errno(() -> a.sendto(s, echo(1, new byte[8]), 0, 16, 0,
                SockAddr.of("192.168.1.1", 0))));
    }

    @Test
    void malformedMessagesAreCountedAndNeverAnsweredWithErrors() throws Exception {
        TestNet net = net(2);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        byte[] good = echo(1, new byte[8]);
        Bytes.put16(good, 2, Checksum.of(good, 0, good.length));
        byte[] bad = good.clone();
        bad[10] ^= 1;
        // An unreachable error quoting too little of the original datagram.
        byte[] shortError = new byte[8 + 10];
        shortError[0] = IcmpHeader.DEST_UNREACHABLE;
        shortError[1] = 3;
        Bytes.put16(shortError, 2, Checksum.of(shortError, 0, shortError.length));
        rogue.transmit(frame(rogue.mac(), bad));
        rogue.transmit(frame(rogue.mac(), new byte[] {8, 0, 0}));
        rogue.transmit(frame(rogue.mac(), shortError));
        rogue.transmit(frame(rogue.mac(), good));
        net.run(Duration.ofMillis(10));
        Stack b = net.stack(1);
        assertEquals(1, icmp(b, IcmpCounter.IN_CSUM_ERRORS));
        assertEquals(3, icmp(b, IcmpCounter.IN_ERRORS));
        assertEquals(1, icmp(b, IcmpCounter.OUT_ECHO_REPS), "only the good request is answered");
        assertEquals(0, icmp(b, IcmpCounter.OUT_DEST_UNREACHS));
    }

    /** An Ethernet frame from 10.0.0.9 at {@code srcMac} to stack 1 (10.0.0.2) carrying {@code icmp}. */
    static PacketBuffer frameFromRogue(long srcMac, byte[] icmp) {
        return frame(srcMac, icmp);
    }

    private static PacketBuffer frame(long srcMac, byte[] icmp) {
        PacketBuffer b = PacketBuffer.allocate(16, 34 + icmp.length);
        int at = b.append(34 + icmp.length);
        EthernetFrame.emit(b.array(), at, 0x020000000101L, srcMac, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(b.array(), at + 14, 0, 20 + icmp.length, 1, 0, 64, 1, 0x0a000009, 0x0a000002);
        System.arraycopy(icmp, 0, b.array(), at + 34, icmp.length);
        return b;
    }

    @Test
    void fragmentationNeededReachesAConnectedUdpSocketWithoutTheIcmpProtocol() throws Exception {
        TestNet net = new TestNet(1);
        net.stack(0).addProtocol(new UdpProtocol()); // and no IcmpProtocol: the IP layer handles errors
        SocketManager a = net.stack(0).sockets("app");
        int s = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.connect(s, SockAddr.of(TestNet.address(49), 9));
        int port = a.getsockname(s).port();
        // A router reports that a datagram of this socket was too big for its next hop.
        byte[] error = new byte[8 + 28];
        error[0] = IcmpHeader.DEST_UNREACHABLE;
        error[1] = IcmpHeader.CODE_FRAGMENTATION_NEEDED;
        Bytes.put16(error, 6, 1280);
        Ipv4Packet.emit(error, 8, 0, 1500, 5, Ipv4Packet.FLAG_DF, 64, Net.IPPROTO_UDP, TestNet.address(0),
                TestNet.address(49));
        Bytes.put16(error, 28, port);
        Bytes.put16(error, 30, 9);
        Bytes.put16(error, 2, Checksum.of(error, 0, error.length));
        WirePort router = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        PacketBuffer f = frame(router.mac(), error);
        EthernetFrame.emit(f.array(), f.offset(), 0x020000000100L, router.mac(), EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(f.array(), f.offset() + 14, 0, 20 + error.length, 1, 0, 64, 1, 0x0a000009,
                TestNet.address(0));
        router.transmit(f);
        net.run(Duration.ofMillis(10));
        assertEquals(Errno.EMSGSIZE, errno(() -> a.recv(s, new byte[4], 0, 4, NB)));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.IN_DEST_UNREACHS));
    }

    @Test
    void reassemblyTimeoutSendsTimeExceeded() throws Exception {
        TestNet net = net(2);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        // The rogue answers ARP for 10.0.0.9 implicitly: learn it from its own request first.
        PacketBuffer first = PacketBuffer.allocate(16, 34 + 16);
        int at = first.append(34 + 16);
        EthernetFrame.emit(first.array(), at, 0x020000000101L, rogue.mac(), EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(first.array(), at + 14, 0, 36, 77, Ipv4Packet.FLAG_MF, 64, 17, 0x0a000001, 0x0a000002);
        rogue.transmit(first); // claims to come from stack 0, which will hear the error
        net.run(Duration.ofSeconds(31));
        assertEquals(1, icmp(net.stack(1), IcmpCounter.OUT_TIME_EXCDS));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.IN_TIME_EXCDS));
    }

    @Test
    void blockedReceiveIsWokenByCloseAndTimesOut() throws Exception {
        try (Stack s = new Stack("rt", null, StackSettings.defaults(), 1)) {
            s.addDriver(new LoopbackDriver());
            s.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
            s.addProtocol(new UdpProtocol());
            s.addProtocol(new IcmpProtocol());
            SocketManager api = s.sockets("rt");
            int u = api.socket(AF_INET, SOCK_DGRAM, 0);
            api.bind(u, SockAddr.of("127.0.0.1", 0));
            CompletableFuture<Errno> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    api.recvfrom(u, new byte[4], 0, 4, 0, null);
                    return null;
                } catch (ErrnoException e) {
                    return e.errno();
                }
            });
            Thread.sleep(50);
            api.closesocket(u);
            assertEquals(Errno.EBADF, blocked.get(5, TimeUnit.SECONDS));
            int t = api.socket(AF_INET, SOCK_DGRAM, 0);
            api.bind(t, SockAddr.of("127.0.0.1", 0));
            api.setsockopt(t, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 100);
            long t0 = System.nanoTime();
            assertEquals(Errno.EWOULDBLOCK, errno(() -> api.recvfrom(t, new byte[4], 0, 4, 0, null)));
            assertTrue(System.nanoTime() - t0 >= 90_000_000L);
            // A real ping over the real-time loop.
            int p = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
            api.setsockopt(p, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 2000);
            api.sendto(p, echo(1, new byte[56]), 0, 64, 0, SockAddr.of("127.0.0.1", 0));
            assertEquals(64, api.recvfrom(p, new byte[100], 0, 100, 0, null));
        }
    }

    @Test
    void udpLeavingGivesEnetdownAndComingBackRestoresService() throws Exception {
        TestNet net = new TestNet(1);
        UdpProtocol udp = new UdpProtocol();
        net.stack(0).addProtocol(udp);
        SocketManager a = net.stack(0).sockets("app");
        int s = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.bind(s, SockAddr.of(0, 500));
        net.stack(0).removeProtocol(udp);
        assertEquals(Errno.ENETDOWN, errno(() -> a.sendto(s, new byte[1], 0, 1, 0, SockAddr.of("127.0.0.1", 500))));
        assertEquals(Errno.ENETDOWN, errno(() -> a.recvfrom(s, new byte[1], 0, 1, NB, null)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> a.socket(AF_INET, SOCK_DGRAM, 0)));
        a.closesocket(s);
        net.stack(0).addProtocol(udp);
        int again = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.bind(again, SockAddr.of(0, 500)); // the old binding was freed
    }

    /**
     * With IP_RECVERR an ICMP socket receives each error as the message itself, from its reporter:
     * what ping needs to print "From A.B.C.D icmp_seq=N Destination Host Unreachable" per request
     * that ARP could not deliver (issue 11).
     */
    @Test
    void withIpRecverrEveryErrorArrivesAsAMessageFromItsReporter() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        assertEquals(0, a.getsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR));
        a.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR, 1);
        assertEquals(1, a.getsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR));
        for (int seq = 1; seq <= 3; seq++) {
            a.sendto(s, echo(seq, new byte[8]), 0, 16, 0, SockAddr.of("10.0.0.99", 0));
            net.run(Duration.ofSeconds(1));
        }
        net.run(Duration.ofMillis(100));
        RecvInfo info = new RecvInfo();
        for (int seq = 1; seq <= 3; seq++) {
            byte[] m = new byte[128];
            int n = a.recvfrom(s, m, 0, m.length, NB, info);
            assertEquals(IcmpHeader.DEST_UNREACHABLE, m[0]);
            assertEquals(IcmpHeader.CODE_HOST_UNREACHABLE, m[1]);
            assertEquals(0, Checksum.of(m, 0, n) & 0xffff, "a valid ICMP message");
            assertEquals(TestNet.address(0), info.from().address(), "reported by this host, as Linux does");
            int quotedIcmp = 8 + (m[8] & 0x0f) * 4;
            assertEquals(IcmpHeader.ECHO_REQUEST, m[quotedIcmp]);
            assertEquals(seq, Bytes.get16(m, quotedIcmp + 6), "the quoted request's sequence number");
        }
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(s, new byte[32], 0, 32, NB, null)),
                "no errno besides the messages");
        assertEquals(Errno.EINVAL, errno(() -> a.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR, 2)));
    }

    /**
     * Record Route (RFC 791) on a ping: the request leaves with the sender's address recorded, the
     * receiver records the address it came to, the echo reply keeps the option (RFC 1122 §3.2.2.6)
     * and records the replier again, and the sender records itself on the way in: four hops, as
     * between two Linux hosts (issue 11).
     */
    @Test
    void echoReplyKeepsRecordRouteAndEveryHopIsRecorded() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        a.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECORDROUTE, 1);
        assertEquals(1, a.getsockopt(s, Net.IPPROTO_IP, Net.IP_RECORDROUTE));
        a.sendto(s, echo(1, new byte[56]), 0, 64, 0, host(1));
        net.run(Duration.ofMillis(10));
        RecvInfo info = new RecvInfo();
        assertEquals(64, a.recvfrom(s, new byte[128], 0, 128, NB, info));
        byte[] o = info.ipOptions();
        assertEquals(40, o.length, "Record Route (39 bytes) and padding");
        assertEquals(Ipv4Options.RECORD_ROUTE, o[0]);
        assertEquals(39, o[1]);
        assertEquals(4 + 4 * 4, o[2], "four addresses recorded");
        int[] hops = {TestNet.address(0), TestNet.address(1), TestNet.address(1), TestNet.address(0)};
        for (int i = 0; i < hops.length; i++) {
            assertEquals(hops[i], Bytes.get32(o, 3 + 4 * i), "hop " + i);
        }
        a.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECORDROUTE, 0);
        a.sendto(s, echo(2, new byte[56]), 0, 64, 0, host(1));
        net.run(Duration.ofMillis(10));
        a.recvfrom(s, new byte[128], 0, 128, NB, info);
        assertEquals(0, info.ipOptions().length, "no option asked, none returned");
    }
}
