package netkit.icmp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.IPPROTO_ICMP;
import static netkit.api.Net.SOCK_RAW;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import netkit.api.TokenSet;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.IcmpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.Checksum;
import netkit.api.wire.IcmpHeader;
import netkit.api.buffer.PacketBuffer;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.link.wire.WirePort;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import netkit.udp.UdpProtocol;
import org.junit.jupiter.api.Test;

/**
 * Raw ICMP sockets, {@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}, between plain-Java stacks on
 * the simulated wire: what Linux raw(7) does, the differences documented in README ("Raw ICMP
 * sockets").
 */
class RawSocketTest {
    private static final int NB = Net.MSG_DONTWAIT;

    private static TestNet net(int n) {
        TestNet net = new TestNet(n);
        for (Stack s : net.stacks) {
            s.addProtocol(new UdpProtocol());
            s.addProtocol(new IcmpProtocol());
            s.addProtocol(new RawIcmpProtocol());
        }
        return net;
    }

    private static SockAddr host(int i) {
        return SockAddr.of(TestNet.address(i), 0);
    }

    private static long icmp(Stack s, IcmpCounter counter) {
        return s.admin().statistics().icmp().get(counter);
    }

    /** An echo request as ping builds it for a raw socket: identifier, sequence, data, checksum. */
    private static byte[] echoRequest(int id, int seq, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) IcmpHeader.ECHO_REQUEST;
        Bytes.put16(m, 4, id);
        Bytes.put16(m, 6, seq);
        System.arraycopy(data, 0, m, 8, data.length);
        Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
        return m;
    }

    @Test
    void userSpacePingOverARawSocketGetsTheReplyWithItsIpHeader() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        SocketManager b = net.stack(1).sockets("watch");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        int watcher = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        assertEquals(SOCK_RAW, a.getsockopt(s, Net.SOL_SOCKET, Net.SO_TYPE));
        byte[] data = "raw-socket-ping!".getBytes();
        byte[] request = echoRequest(0x1234, 1, data);
        assertEquals(request.length, a.sendto(s, request, 0, request.length, 0,
                SockAddr.of(TestNet.address(1), 7)), "the port is ignored");
        net.run(Duration.ofMillis(10));

        byte[] buf = new byte[200];
        RecvInfo info = new RecvInfo();
        int n = a.recvfrom(s, buf, 0, buf.length, NB, info);
        assertEquals(20 + 8 + data.length, n, "the IPv4 header comes with the message");
        assertEquals(SockAddr.of(TestNet.address(1), 0), info.from());
        Ipv4Packet ip = new Ipv4Packet().wrap(buf, 0, n);
        assertEquals(null, ip.check(true), "a valid IPv4 header, checksum included");
        assertEquals(IPPROTO_ICMP, ip.protocol());
        assertEquals(n, ip.totalLength());
        assertEquals(TestNet.address(1), ip.source());
        assertEquals(TestNet.address(0), ip.destination());
        assertEquals(64, ip.ttl());
        IcmpHeader h = new IcmpHeader();
        assertTrue(h.wrap(buf, 20, n - 20));
        assertEquals(IcmpHeader.ECHO_REPLY, h.type());
        assertEquals(0x1234, h.identifier(), "the identifier the application chose, untouched");
        assertEquals(1, h.sequence());
        assertTrue(Checksum.verifies(Checksum.add(0, buf, 20, n - 20)), "the reply's ICMP checksum");
        assertArrayEquals(data, Arrays.copyOfRange(buf, 28, n));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(s, buf, 0, buf.length, NB, null)),
                "nothing else: raw sockets do not see what their host sends");

        // The replier's raw socket saw the request as it came, and the stack still answered it.
        n = b.recvfrom(watcher, buf, 0, buf.length, NB, info);
        assertEquals(20 + request.length, n);
        assertArrayEquals(request, Arrays.copyOfRange(buf, 20, n), "the request exactly as sent");
        assertEquals(SockAddr.of(TestNet.address(0), 0), info.from());
        assertEquals(1, icmp(net.stack(1), IcmpCounter.OUT_ECHO_REPS));
        assertEquals(1, icmp(net.stack(1), IcmpCounter.RAW_IN_DELIVERS));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.RAW_OUT_MSGS));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.OUT_ECHOS));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.RAW_IN_DELIVERS));
    }

    @Test
    void connectSetsTheDefaultDestinationAndAZeroChecksumIsFilledIn() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        byte[] request = echoRequest(7, 9, new byte[32]);
        assertEquals(Errno.EDESTADDRREQ, errno(() -> a.send(s, request, 0, request.length, 0)));
        assertEquals(Errno.ENOTCONN, errno(() -> a.getpeername(s)));
        a.connect(s, SockAddr.of(TestNet.address(1), 99));
        assertEquals(host(1), a.getpeername(s), "port ignored");
        assertEquals(SockAddr.of(TestNet.address(0), IPPROTO_ICMP), a.getsockname(s),
                "bound to the route's source by connect; the port is the protocol number (Linux)");
        Bytes.put16(request, 2, 0);
        a.send(s, request, 0, request.length, 0);
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[100];
        int n = a.recv(s, buf, 0, buf.length, NB);
        assertEquals(20 + 40, n);
        assertEquals(IcmpHeader.ECHO_REPLY, buf[20]);
        assertTrue(Checksum.verifies(Checksum.add(0, buf, 20, n - 20)));
        assertEquals(1, icmp(net.stack(1), IcmpCounter.OUT_ECHO_REPS), "the stack filled in the checksum");
        assertEquals(0, icmp(net.stack(1), IcmpCounter.IN_CSUM_ERRORS));
    }

    @Test
    void recvNeedsNoConnectAndRecvfromGivesEachSender() throws Exception {
        TestNet net = net(3);
        SocketManager b = net.stack(1).sockets("watch");
        int all = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        int onlyFrom2 = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        b.connect(onlyFrom2, host(2));
        for (int i : new int[] {0, 2}) {
            SocketManager p = net.stack(i).sockets("ping");
            int s = p.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
            byte[] m = echoRequest(i, 1, new byte[8]);
            p.sendto(s, m, 0, m.length, 0, host(1));
            net.run(Duration.ofMillis(10));
        }
        byte[] buf = new byte[100];
        RecvInfo info = new RecvInfo();
        b.recvfrom(all, buf, 0, buf.length, NB, info);
        assertEquals(TestNet.address(0), info.from().address());
        assertEquals(36, b.recv(all, buf, 0, buf.length, NB), "recv without connect, as on Linux");
        assertEquals(TestNet.address(2), Bytes.get32(buf, 12));
        b.recvfrom(onlyFrom2, buf, 0, buf.length, NB, info);
        assertEquals(TestNet.address(2), info.from().address(), "a connected socket hears only its peer");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> b.recv(onlyFrom2, buf, 0, buf.length, NB)));
    }

    @Test
    void theBoundAddressFiltersByDestination() throws Exception {
        TestNet net = net(2);
        net.stack(1).addDriver(new LoopbackDriver());
        net.stack(1).configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        SocketManager b = net.stack(1).sockets("watch");
        int wire = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        int loop = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        assertEquals(SockAddr.of(TestNet.address(1), IPPROTO_ICMP), b.bind(wire, SockAddr.of(TestNet.address(1), 5)));
        b.bind(loop, SockAddr.of("127.0.0.1", 0));
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> b.bind(loop, SockAddr.of("10.0.0.77", 0))));
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        byte[] m = echoRequest(1, 1, new byte[8]);
        a.sendto(s, m, 0, m.length, 0, host(1));
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[100];
        assertEquals(36, b.recv(wire, buf, 0, buf.length, NB));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> b.recv(loop, buf, 0, buf.length, NB)),
                "bound to 127.0.0.1: the datagram to 10.0.0.2 is not for it");
        // Its own ping to 127.0.0.1 goes out and comes back through the loopback interface.
        b.sendto(loop, m, 0, m.length, 0, SockAddr.of("127.0.0.1", 0));
        net.run(Duration.ofMillis(10));
        assertEquals(IcmpHeader.ECHO_REQUEST, recvType(b, loop, buf));
        assertEquals(IcmpHeader.ECHO_REPLY, recvType(b, loop, buf));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> b.recv(wire, buf, 0, buf.length, NB)));
    }

    private static int recvType(SocketManager api, int s, byte[] buf) throws ErrnoException {
        int n = api.recv(s, buf, 0, buf.length, NB);
        int hl = (buf[0] & 0x0f) * 4;
        assertTrue(n >= hl + 8);
        return buf[hl] & 0xff;
    }

    @Test
    void icmpFilterDropsTheTypesInItsMask() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        assertEquals(0, a.getsockopt(s, Net.SOL_RAW, Net.ICMP_FILTER));
        int mask = ~(1 << IcmpHeader.ECHO_REPLY); // only echo replies, as ping sets it
        a.setsockopt(s, Net.SOL_RAW, Net.ICMP_FILTER, mask);
        assertEquals(mask, a.getsockopt(s, Net.SOL_RAW, Net.ICMP_FILTER));
        // A UDP datagram to a closed port draws a port unreachable: filtered out.
        int u = a.socket(AF_INET, Net.SOCK_DGRAM, 0);
        a.sendto(u, new byte[1], 0, 1, 0, SockAddr.of(TestNet.address(1), 9));
        byte[] m = echoRequest(1, 1, new byte[8]);
        a.sendto(s, m, 0, m.length, 0, host(1));
        net.run(Duration.ofMillis(10));
        assertEquals(1, icmp(net.stack(0), IcmpCounter.IN_DEST_UNREACHS));
        byte[] buf = new byte[100];
        assertEquals(IcmpHeader.ECHO_REPLY, recvType(a, s, buf));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(s, buf, 0, buf.length, NB)));
        // Without the filter, errors arrive as messages: what traceroute reads.
        a.setsockopt(s, Net.SOL_RAW, Net.ICMP_FILTER, 0);
        a.sendto(u, new byte[1], 0, 1, 0, SockAddr.of(TestNet.address(1), 9));
        net.run(Duration.ofMillis(10));
        int n = a.recv(s, buf, 0, buf.length, NB);
        assertEquals(IcmpHeader.DEST_UNREACHABLE, buf[20]);
        assertEquals(IcmpHeader.CODE_PORT_UNREACHABLE, buf[21]);
        assertEquals(Net.IPPROTO_UDP, buf[28 + 9], "the quoted datagram is the UDP one");
        assertEquals(20 + 8 + 28 + 1, n);
        assertEquals(Errno.ENOPROTOOPT, errno(() -> a.setsockopt(s, Net.SOL_RAW, 2, 0)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> a.setsockopt(u, Net.SOL_RAW, Net.ICMP_FILTER, 0)),
                "a UDP socket has no SOL_RAW options");
    }

    @Test
    void ttlAndTosAreHonouredAndIpHdrinclIsNotSupported() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        SocketManager b = net.stack(1).sockets("watch");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        int w = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        a.setsockopt(s, Net.IPPROTO_IP, Net.IP_TTL, 7);
        a.setsockopt(s, Net.IPPROTO_IP, Net.IP_TOS, 0x10);
        assertEquals(0, a.getsockopt(s, Net.IPPROTO_IP, Net.IP_HDRINCL));
        a.setsockopt(s, Net.IPPROTO_IP, Net.IP_HDRINCL, 0);
        assertEquals(Errno.ENOPROTOOPT, errno(() -> a.setsockopt(s, Net.IPPROTO_IP, Net.IP_HDRINCL, 1)));
        byte[] m = new byte[12]; // any type may be sent: a timestamp request
        m[0] = (byte) IcmpHeader.TIMESTAMP;
        a.sendto(s, m, 0, m.length, 0, host(1));
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[100];
        RecvInfo info = new RecvInfo();
        int n = b.recvfrom(w, buf, 0, buf.length, NB, info);
        Ipv4Packet ip = new Ipv4Packet().wrap(buf, 0, n);
        assertEquals(7, ip.ttl());
        assertEquals(7, info.ttl());
        assertEquals(0x10, ip.tos());
        assertEquals(IcmpHeader.TIMESTAMP, buf[20]);
        assertTrue(Checksum.verifies(Checksum.add(0, buf, 20, n - 20)));
    }

    @Test
    void messageSizeLimitAndErrnos() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        byte[] big = new byte[65536];
        big[0] = (byte) IcmpHeader.ECHO_REQUEST;
        assertEquals(Errno.EMSGSIZE, errno(() -> a.sendto(s, big, 0, 65516, 0, host(1))));
        assertEquals(65515, a.sendto(s, big, 0, 65515, 0, host(1)), "the largest: fragmented by IPv4");
        net.run(Duration.ofMillis(50));
        byte[] buf = new byte[70000];
        RecvInfo info = new RecvInfo();
        assertEquals(65535, a.recvfrom(s, buf, 0, buf.length, NB, info), "the reassembled reply");
        assertEquals(65535, new Ipv4Packet().wrap(buf, 0, 65535).totalLength());
        assertFalse(new Ipv4Packet().wrap(buf, 0, 65535).isFragment());
        assertEquals(Errno.EACCES, errno(() -> a.sendto(s, big, 0, 8, 0, SockAddr.of("10.0.0.255", 0))),
                "broadcast needs SO_BROADCAST");
        assertEquals(Errno.ENETUNREACH, errno(() -> a.sendto(s, big, 0, 8, 0, SockAddr.of("192.168.9.9", 0))));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> a.listen(s, 1)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> a.socket(AF_INET, SOCK_RAW, Net.IPPROTO_UDP)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> a.socket(AF_INET, SOCK_RAW, Net.IPPROTO_TCP)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> a.socket(AF_INET, SOCK_RAW, 0)), "as Linux");
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> a.socket(AF_INET, SOCK_RAW, 255)));
    }

    @Test
    void theReceiveQueueIsBoundedBySoRcvbufAndDropsAreCounted() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("ping");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        a.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVBUF, 2048); // the smallest, as Linux clamps
        TokenSet read = TokenSet.of(s);
        assertEquals(0, a.select(read, null, null, Duration.ZERO), "nothing to read yet");
        for (int seq = 0; seq < 20; seq++) { // 20 replies of 20 + 208 bytes, charged 80 more each
            byte[] m = echoRequest(1, seq, new byte[200]);
            a.sendto(s, m, 0, m.length, 0, host(1));
        }
        net.run(Duration.ofMillis(10));
        read = TokenSet.of(s);
        assertEquals(1, a.select(read, null, null, Duration.ZERO));
        assertTrue(read.isSet(s));
        int queued = 0;
        byte[] buf = new byte[300];
        while (a.recv(s, buf, 0, buf.length, Net.MSG_TRY) != Net.WOULDBLOCK) {
            assertEquals(seqOf(buf), queued, "in order, the first ones kept");
            queued++;
        }
        assertEquals(2048 / (228 + 80), queued, "what fits 2048 bytes, each charged its length and 80 bytes");
        assertEquals(queued, icmp(net.stack(0), IcmpCounter.RAW_IN_DELIVERS));
        assertEquals(20 - queued, icmp(net.stack(0), IcmpCounter.RAW_RCVBUF_ERRORS));
        SocketStatus st = net.stack(0).admin().sockets().stream().filter(x -> x.token() == s).findFirst().orElseThrow();
        assertEquals("raw", st.protocol());
        assertEquals(Integer.toString(20 - queued), st.details().get("drops"));
        assertEquals(20, icmp(net.stack(1), IcmpCounter.OUT_ECHO_REPS), "the stack answered every one");
    }

    private static int seqOf(byte[] datagram) {
        return Bytes.get16(datagram, 20 + 6);
    }

    @Test
    void rawSocketsMayBeTurnedOff() throws Exception {
        TestNet net = new TestNet(1);
        RawIcmpProtocol raw = new RawIcmpProtocol();
        net.stack(0).addProtocol(raw);
        SocketManager a = net.stack(0).sockets("app");
        int open = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        raw.allowed(false);
        assertEquals(Errno.EPERM, errno(() -> a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)),
                "as Linux without CAP_NET_RAW");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(open, new byte[1], 0, 1, NB)), "open ones stay");
        raw.allowed(true);
        a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    }

    @Test
    void theProtocolLeavingGivesEnetdownAndEchoStillWorksWithoutIt() throws Exception {
        TestNet net = new TestNet(2);
        for (Stack st : net.stacks) {
            st.addProtocol(new IcmpProtocol());
        }
        RawIcmpProtocol raw = new RawIcmpProtocol();
        Stack s0 = net.stack(0);
        s0.addProtocol(raw);
        SocketManager a = s0.sockets("ping");
        int s = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        s0.removeProtocol(raw);
        byte[] m = echoRequest(1, 1, new byte[8]);
        assertEquals(Errno.ENETDOWN, errno(() -> a.sendto(s, m, 0, m.length, 0, host(1))));
        assertEquals(Errno.ENETDOWN, errno(() -> a.recv(s, new byte[64], 0, 64, NB)));
        TokenSet read = TokenSet.of(s);
        assertEquals(1, a.select(read, null, null, Duration.ZERO), "readable: a read fails at once");
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)));
        a.closesocket(s);
        // Ping sockets and echo replies do not need it.
        int p = a.socket(AF_INET, Net.SOCK_DGRAM, IPPROTO_ICMP);
        a.sendto(p, m, 0, m.length, 0, host(1));
        net.run(Duration.ofMillis(10));
        assertEquals(16, a.recvfrom(p, new byte[64], 0, 64, NB, null));
        s0.addProtocol(raw);
        int again = a.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        a.sendto(again, m, 0, m.length, 0, host(1));
        net.run(Duration.ofMillis(10));
        assertEquals(36, a.recv(again, new byte[64], 0, 64, NB));
    }

    @Test
    void aBlockedReceiveIsWokenWithEnetdownWhenTheProtocolLeaves() throws Exception {
        try (Stack s = new Stack("rt", null, StackSettings.defaults(), 1)) {
            s.addDriver(new LoopbackDriver());
            s.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
            s.addProtocol(new IcmpProtocol());
            RawIcmpProtocol raw = new RawIcmpProtocol();
            s.addProtocol(raw);
            SocketManager api = s.sockets("rt");
            int r = api.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
            // A real ping over the real-time loop first.
            api.setsockopt(r, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 2000);
            api.setsockopt(r, Net.SOL_RAW, Net.ICMP_FILTER, ~(1 << IcmpHeader.ECHO_REPLY));
            byte[] m = echoRequest(3, 1, new byte[56]);
            api.sendto(r, m, 0, m.length, 0, SockAddr.of("127.0.0.1", 0));
            assertEquals(84, api.recvfrom(r, new byte[100], 0, 100, 0, null));
            api.setsockopt(r, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 0);
            CompletableFuture<Errno> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    api.recvfrom(r, new byte[100], 0, 100, 0, null);
                    return null;
                } catch (ErrnoException e) {
                    return e.errno();
                }
            });
            Thread.sleep(50);
            s.removeProtocol(raw);
            assertEquals(Errno.ENETDOWN, blocked.get(5, TimeUnit.SECONDS));
        }
    }

    /**
     * As Linux: a raw socket gets a message with a bad checksum (the application checks it, as ping
     * does; the stack counts and drops it), but never one shorter than the 8-byte ICMP header.
     */
    @Test
    void badChecksumsReachRawSocketsButMessagesShorterThanTheHeaderDoNot() throws Exception {
        TestNet net = net(2);
        SocketManager b = net.stack(1).sockets("watch");
        int w = b.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        WirePort rogue = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        byte[] bad = echoRequest(1, 1, new byte[8]);
        bad[10] ^= 1;
        rogue.transmit(IcmpTest.frameFromRogue(rogue.mac(), bad));
        rogue.transmit(IcmpTest.frameFromRogue(rogue.mac(), new byte[] {8, 0, 0, 0, 0, 0, 0}));
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[100];
        RecvInfo info = new RecvInfo();
        assertEquals(20 + 16, b.recvfrom(w, buf, 0, buf.length, NB, info));
        assertEquals(SockAddr.parseAddress("10.0.0.9"), info.from().address());
        assertFalse(Checksum.verifies(Checksum.add(0, buf, 20, 16)), "delivered as it came");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> b.recv(w, buf, 0, buf.length, NB)), "the 7-byte one is not");
        assertEquals(1, icmp(net.stack(1), IcmpCounter.IN_CSUM_ERRORS));
        assertEquals(0, icmp(net.stack(1), IcmpCounter.OUT_ECHO_REPS));
    }
}
