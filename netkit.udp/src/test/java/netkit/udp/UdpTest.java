package netkit.udp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.stats.UdpCounter;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.Ipv4Packet;
import netkit.api.wire.UdpHeader;
import netkit.api.spi.impair.Impairment;
import netkit.link.wire.WirePort;
import netkit.stack.Stack;
import netkit.stack.testing.BlockingCall;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/** UDP between plain-Java stacks on a simulated wire: every call non-blocking, time simulated. */
class UdpTest {
    private static final int NB = Net.MSG_DONTWAIT;

    private static TestNet net(int n) {
        TestNet net = new TestNet(n);
        for (Stack s : net.stacks) {
            s.addProtocol(new UdpProtocol());
        }
        return net;
    }

    private static SockAddr at(int i, int port) {
        return SockAddr.of(TestNet.address(i), port);
    }

    private static long udp(Stack s, UdpCounter counter) {
        return s.admin().statistics().udp().get(counter);
    }

    private static byte[] recv(SocketManager api, int s, int max, RecvInfo info) throws ErrnoException {
        byte[] b = new byte[max];
        int n = api.recvfrom(s, b, 0, max, NB, info);
        return Arrays.copyOf(b, n);
    }

    @Test
    void senderIsBoundImplicitlyAndReceiverSeesItsAddress() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(at(1, 7000), b.bind(rx, at(1, 7000)));
        int tx = a.socket(AF_INET, SOCK_DGRAM, Net.IPPROTO_UDP);
        assertEquals(SockAddr.ANY, a.getsockname(tx));
        assertEquals(5, a.sendto(tx, "hello".getBytes(), 0, 5, 0, at(1, 7000)));
        int port = a.getsockname(tx).port();
        assertTrue(port >= 49152, "ephemeral port " + port);
        net.run(Duration.ofMillis(10));
        RecvInfo info = new RecvInfo();
        assertArrayEquals("hello".getBytes(), recv(b, rx, 100, info));
        assertEquals(at(0, port), info.from());
        // The bound sender receives the answer: it is a receiver now too.
        b.sendto(rx, "hi".getBytes(), 0, 2, 0, info.from());
        net.run(Duration.ofMillis(10));
        assertArrayEquals("hi".getBytes(), recv(a, tx, 100, null));
        assertEquals(1, udp(net.stack(1), UdpCounter.IN_DATAGRAMS));
    }

    @Test
    void receiverMustBeBoundAndRecvNeedsConnect() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("a");
        int s = a.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(Errno.EINVAL, errno(() -> a.recvfrom(s, new byte[4], 0, 4, NB, null)));
        a.bind(s, SockAddr.of(0, 9000));
        assertEquals(Errno.ENOTCONN, errno(() -> a.recv(s, new byte[4], 0, 4, NB)));
        assertEquals(Errno.EDESTADDRREQ, errno(() -> a.send(s, new byte[4], 0, 4, 0)));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(s, new byte[4], 0, 4, NB, null)));
        assertEquals(Errno.EINVAL, errno(() -> a.bind(s, SockAddr.of(0, 9001))), "bound once only");
        assertEquals(Errno.EOPNOTSUPP, errno(() -> a.listen(s, 5)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> a.accept(s)));
        assertEquals(Errno.EINVAL, errno(() -> a.sendto(s, new byte[1], 0, 1, 0, at(0, 0))), "port 0");
    }

    @Test
    void bindRules() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("a");
        int s1 = a.socket(AF_INET, SOCK_DGRAM, 0);
        int s2 = a.socket(AF_INET, SOCK_DGRAM, 0);
        int s3 = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.bind(s1, SockAddr.of(0, 53));
        assertEquals(Errno.EADDRINUSE, errno(() -> a.bind(s2, at(0, 53))));
        assertEquals(Errno.EADDRNOTAVAIL, errno(() -> a.bind(s3, SockAddr.of("192.168.9.9", 53))));
        a.closesocket(s1);
        a.bind(s2, at(0, 53));
        a.setsockopt(s3, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        int s4 = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.setsockopt(s4, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        a.bind(s3, SockAddr.of("127.0.0.1", 53));
        assertEquals(Errno.EADDRINUSE, errno(() -> a.bind(s4, SockAddr.of(0, 53))),
                "the specific binding at 10.0.0.1 was made without SO_REUSEADDR");
    }

    @Test
    void connectedSocketHearsOnlyItsPeerAndCanBeReconnected() throws Exception {
        TestNet net = net(3);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        SocketManager c = net.stack(2).sockets("c");
        int sa = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.bind(sa, SockAddr.of(0, 5000));
        a.connect(sa, at(1, 6000));
        assertEquals(at(1, 6000), a.getpeername(sa));
        int sb = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(sb, SockAddr.of(0, 6000));
        int sc = c.socket(AF_INET, SOCK_DGRAM, 0);
        c.bind(sc, SockAddr.of(0, 6000));
        c.sendto(sc, new byte[] {'c'}, 0, 1, 0, at(0, 5000));
        b.sendto(sb, new byte[] {'b'}, 0, 1, 0, at(0, 5000));
        net.run(Duration.ofMillis(10));
        byte[] buf = new byte[8];
        assertEquals(1, a.recv(sa, buf, 0, 8, NB));
        assertEquals('b', buf[0]);
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(sa, buf, 0, 8, NB)), "c's datagram was filtered");
        a.connect(sa, at(2, 6000)); // the seed cannot disconnect; netkit can reconnect
        a.send(sa, new byte[] {'x'}, 0, 1, 0);
        a.sendto(sa, new byte[] {'y'}, 0, 1, 0, at(1, 6000)); // sendto still allowed when connected
        net.run(Duration.ofMillis(10));
        assertArrayEquals(new byte[] {'x'}, recv(c, sc, 8, null));
        assertArrayEquals(new byte[] {'y'}, recv(b, sb, 8, null));
        a.shutdown(sa, Net.SHUT_WR);
        assertEquals(Errno.EPIPE, errno(() -> a.send(sa, buf, 0, 1, 0)));
    }

    @Test
    void boundariesTruncationPeekAndSelect() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 7));
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        TokenSet read = TokenSet.of(rx);
        assertEquals(0, b.select(read, null, null, Duration.ZERO));
        TokenSet write = TokenSet.of(tx);
        assertEquals(1, a.select(null, write, null, Duration.ZERO));
        a.sendto(tx, "0123456789".getBytes(), 0, 10, 0, at(1, 7));
        a.sendto(tx, "ab".getBytes(), 0, 2, 0, at(1, 7));
        net.run(Duration.ofMillis(10));
        read = TokenSet.of(rx);
        assertEquals(1, b.select(read, null, null, Duration.ZERO));
        byte[] four = new byte[4];
        RecvInfo info = new RecvInfo();
        assertEquals(4, b.recvfrom(rx, four, 0, 4, NB | Net.MSG_PEEK, info));
        assertEquals(4, b.recvfrom(rx, four, 0, 4, NB, info));
        assertTrue(info.truncated());
        assertEquals(10, info.fullLength());
        assertArrayEquals("0123".getBytes(), four);
        assertArrayEquals("ab".getBytes(), recv(b, rx, 100, info), "the tail of the first was discarded");
        assertFalse(info.truncated());
    }

    @Test
    void largeDatagramsAreFragmentedAndOversizeOnesRefused() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 9));
        b.setsockopt(rx, Net.SOL_SOCKET, Net.SO_RCVBUF, 1 << 20);
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        byte[] data = new byte[UdpHeader.MAX_PAYLOAD];
        new Random(5).nextBytes(data);
        a.sendto(tx, data, 0, 60_000, 0, at(1, 9));
        a.sendto(tx, data, 0, data.length, 0, at(1, 9));
        assertEquals(Errno.EMSGSIZE, errno(() -> a.sendto(tx, new byte[65_508], 0, 65_508, 0, at(1, 9))));
        net.run(Duration.ofMillis(50));
        assertArrayEquals(Arrays.copyOf(data, 60_000), recv(b, rx, 70_000, null));
        assertArrayEquals(data, recv(b, rx, 70_000, null));
    }

    @Test
    void lostFragmentLosesTheDatagramAndFreesTheBuffer() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 9));
        b.setsockopt(rx, Net.SOL_SOCKET, Net.SO_RCVBUF, 4 << 20);
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.sendto(tx, new byte[1], 0, 1, 0, at(1, 9)); // resolve ARP before the loss starts
        net.run(Duration.ofMillis(10));
        recv(b, rx, 10, null);
        net.hub.segment("lan").impairment(Impairment.NONE.withLoss(0.03).withSeed(11));
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            byte[] d = new byte[60_000];
            new Random(i).nextBytes(d);
            sent.add(sha(d));
            a.sendto(tx, d, 0, d.length, 0, at(1, 9));
            net.run(Duration.ofMillis(5));
        }
        net.run(Duration.ofSeconds(31));
        int got = 0;
        while (true) {
            try {
                byte[] d = recv(b, rx, 70_000, null);
                assertTrue(sent.contains(sha(d)), "a delivered datagram is whole");
                got++;
            } catch (ErrnoException e) {
                break;
            }
        }
        assertTrue(got > 0 && got < 30, "delivered " + got);
        assertTrue(net.stack(1).admin().statistics().ip().get(IpCounter.REASM_TIMEOUT) > 0,
                "incomplete datagrams timed out");
    }

    /**
     * A soft ICMP error (here time exceeded in reassembly, 30 s after a fragment was lost) is not
     * reported to a connected socket, as on Linux without IP_RECVERR; found by the soak (seed 254),
     * where a later, unrelated recv failed with EHOSTUNREACH.
     */
    @Test
    void softIcmpErrorsDoNotFailAConnectedSocket() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 9));
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.connect(tx, at(1, 9));
        a.send(tx, new byte[1], 0, 1, 0); // resolve ARP first
        net.run(Duration.ofMillis(10));
        recv(b, rx, 10, null);
        // Every fragment but the first of A's datagrams is lost: B times the datagram out.
        net.hub.segment("lan").filter((port, f) -> {
            byte[] d = f.array();
            int ip = f.offset() + 14;
            return port.mac() != 0x020000000100L || f.length() < 34 || (d[ip + 6] & 0x1f) == 0 && d[ip + 7] == 0;
        });
        a.send(tx, new byte[3000], 0, 3000, 0);
        net.run(Duration.ofSeconds(31));
        assertEquals(1, net.stack(1).admin().statistics().icmp().get(IcmpCounter.OUT_TIME_EXCDS),
                "B reported the reassembly timeout");
        byte[] buf = new byte[16];
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(tx, buf, 0, buf.length, NB)));
        assertEquals(1, a.send(tx, new byte[1], 0, 1, 0));
    }

    static String sha(byte[] d) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
    }

    @Test
    void broadcastNeedsSoBroadcast() throws Exception {
        TestNet net = net(3);
        SocketManager a = net.stack(0).sockets("a");
        int[] rx = new int[3];
        for (int i = 1; i < 3; i++) {
            SocketManager m = net.stack(i).sockets("r");
            rx[i] = m.socket(AF_INET, SOCK_DGRAM, 0);
            m.bind(rx[i], SockAddr.of(0, 67));
        }
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(Errno.EACCES, errno(() -> a.sendto(tx, new byte[1], 0, 1, 0, SockAddr.of(-1, 67))));
        assertEquals(Errno.EACCES, errno(() -> a.sendto(tx, new byte[1], 0, 1, 0, SockAddr.of("10.0.0.255", 67))));
        a.setsockopt(tx, Net.SOL_SOCKET, Net.SO_BROADCAST, 1);
        a.sendto(tx, new byte[] {1}, 0, 1, 0, SockAddr.of(-1, 67));
        a.sendto(tx, new byte[] {2}, 0, 1, 0, SockAddr.of("10.0.0.255", 67));
        a.sendto(tx, new byte[] {3}, 0, 1, 0, SockAddr.of("10.0.0.255", 68)); // nobody: no ICMP error
        net.run(Duration.ofMillis(10));
        for (int i = 1; i < 3; i++) {
            assertEquals(2, udp(net.stack(i), UdpCounter.IN_DATAGRAMS));
            assertEquals(1, udp(net.stack(i), UdpCounter.NO_PORTS));
            assertEquals(0, net.stack(i).admin().statistics().icmp().get(IcmpCounter.OUT_DEST_UNREACHS));
        }
    }

    @Test
    void checksumsAreVerifiedAndZeroMeansNone() throws Exception {
        TestNet net = net(2);
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 4000));
        WirePort rogue = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        byte[] payload = "data".getBytes();
        rogue.transmit(frame(rogue.mac(), payload, true, false));
        rogue.transmit(frame(rogue.mac(), payload, false, false)); // checksum 0: "none"
        rogue.transmit(frame(rogue.mac(), payload, true, true)); // corrupted
        net.run(Duration.ofMillis(10));
        assertArrayEquals(payload, recv(b, rx, 10, null));
        assertArrayEquals(payload, recv(b, rx, 10, null));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> recv(b, rx, 10, null)));
        assertEquals(1, udp(net.stack(1), UdpCounter.IN_CSUM_ERRORS));
    }

    /** A frame from 10.0.0.9:3000 to 10.0.0.2:4000 built by hand. */
    private static PacketBuffer frame(long srcMac, byte[] payload, boolean checksum, boolean corrupt) {
        int udpLen = 8 + payload.length;
        PacketBuffer b = PacketBuffer.allocate(16, 14 + 20 + udpLen);
        int at = b.append(14 + 20 + udpLen);
        byte[] a = b.array();
        EthernetFrame.emit(a, at, 0x020000000101L, srcMac, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(a, at + 14, 0, 20 + udpLen, 1, 0, 64, 17, 0x0a000009, 0x0a000002);
        System.arraycopy(payload, 0, a, at + 42, payload.length);
        UdpHeader.emit(a, at + 34, 3000, 4000, udpLen, 0x0a000009, 0x0a000002, checksum);
        if (corrupt) {
            a[at + 42] ^= 1;
        }
        return b;
    }

    @Test
    void malformedDatagramsAreDroppedAndCounted() throws Exception {
        TestNet net = net(2);
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 4000));
        WirePort rogue = net.hub.segment("lan").attach(0x02000000aaaaL, 1500, PacketBuffer::release);
        PacketBuffer shortLen = frame(rogue.mac(), new byte[4], false, false);
        netkit.api.wire.Bytes.put16(shortLen.array(), shortLen.offset() + 38, 7); // UDP length < 8
        PacketBuffer longLen = frame(rogue.mac(), new byte[4], false, false);
        netkit.api.wire.Bytes.put16(longLen.array(), longLen.offset() + 38, 100); // beyond the IP payload
        PacketBuffer truncated = PacketBuffer.allocate(16, 14 + 24);
        int at = truncated.append(14 + 24);
        EthernetFrame.emit(truncated.array(), at, 0x020000000101L, rogue.mac(), EthernetFrame.TYPE_IPV4);
        Ipv4Packet.emit(truncated.array(), at + 14, 0, 24, 1, 0, 64, 17, 0x0a000009, 0x0a000002); // 4-byte UDP
        rogue.transmit(shortLen);
        rogue.transmit(longLen);
        rogue.transmit(truncated);
        net.run(Duration.ofMillis(10));
        assertEquals(3, udp(net.stack(1), UdpCounter.IN_ERRORS));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> recv(b, rx, 10, null)));
    }

    @Test
    void closedPortAnswersPortUnreachableRateLimited() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.sendto(tx, new byte[1], 0, 1, 0, at(1, 9999)); // resolve ARP first: its queue holds 101
        net.run(Duration.ofMillis(10));
        for (int i = 0; i < 199; i++) {
            a.sendto(tx, new byte[1], 0, 1, 0, at(1, 9999));
        }
        net.run(Duration.ofMillis(10));
        var icmp = net.stack(1).admin().statistics().icmp();
        assertEquals(200, udp(net.stack(1), UdpCounter.NO_PORTS));
        // The burst of 50, plus the token refilled at 100/s during the 10 ms before the flood.
        assertEquals(51, icmp.get(IcmpCounter.OUT_DEST_UNREACHS));
        assertEquals(149, icmp.get(IcmpCounter.OUT_RATE_LIMITED));
    }

    /**
     * IP_RECVERR (what traceroute uses): an unconnected socket receives the port unreachable its
     * datagram drew as the ICMP message itself, from its reporter, in the error queue read with
     * MSG_ERRQUEUE; select says readable meanwhile; the data queue is untouched; without the option
     * nothing is queued.
     */
    @Test
    void recvErrQueuesIcmpErrorsForUnconnectedSockets() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, a.getsockopt(tx, Net.IPPROTO_IP, Net.IP_RECVERR));
        a.setsockopt(tx, Net.IPPROTO_IP, Net.IP_RECVERR, 1);
        assertEquals(1, a.getsockopt(tx, Net.IPPROTO_IP, Net.IP_RECVERR));
        byte[] m = new byte[200];
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(tx, m, 0, m.length, Net.MSG_ERRQUEUE, new RecvInfo())));
        a.setsockopt(tx, Net.IPPROTO_IP, Net.IP_TTL, 1);
        a.sendto(tx, new byte[32], 0, 32, 0, at(1, 33434));
        net.run(Duration.ofMillis(10));
        TokenSet read = TokenSet.of(tx);
        assertEquals(1, a.select(read, null, null, Duration.ZERO), "an error waiting makes the socket readable");
        RecvInfo info = new RecvInfo();
        int n = a.recvfrom(tx, m, 0, m.length, Net.MSG_ERRQUEUE | NB, info);
        assertEquals(8 + 20 + 8, n, "ICMP header, the quoted IP header and 8 bytes");
        assertEquals(3, m[0], "destination unreachable");
        assertEquals(3, m[1], "port unreachable");
        assertEquals(1, m[8 + 8], "the quoted datagram's TTL as it arrived");
        assertEquals(33434, ((m[8 + 20 + 2] & 0xff) << 8) | (m[8 + 20 + 3] & 0xff), "the quoted destination port");
        assertEquals(at(1, 0), info.from(), "reported by the destination");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(tx, m, 0, m.length, Net.MSG_ERRQUEUE, new RecvInfo())));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(tx, m, 0, m.length, NB, new RecvInfo())),
                "no datagram, no errno on the data path");
        a.setsockopt(tx, Net.IPPROTO_IP, Net.IP_RECVERR, 0);
        a.sendto(tx, new byte[32], 0, 32, 0, at(1, 33435));
        net.run(Duration.ofMillis(10));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(tx, m, 0, m.length, Net.MSG_ERRQUEUE, new RecvInfo())));
    }

    @Test
    void receiveQueueIsBoundedBySoRcvbuf() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.setsockopt(rx, Net.SOL_SOCKET, Net.SO_RCVBUF, 4096);
        b.bind(rx, SockAddr.of(0, 9));
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        for (int i = 0; i < 10; i++) {
            a.sendto(tx, new byte[1000], 0, 1000, 0, at(1, 9));
        }
        net.run(Duration.ofMillis(10));
        assertEquals(7, udp(net.stack(1), UdpCounter.RCVBUF_ERRORS), "1000 bytes + per-datagram overhead each");
        var rows = net.stack(1).admin().sockets();
        assertEquals(3000, rows.get(0).recvQ());
        assertEquals("udp", rows.get(0).protocol());
    }

    @Test
    void zeroLengthDatagramsAreChargedToSoRcvbuf() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.setsockopt(rx, Net.SOL_SOCKET, Net.SO_RCVBUF, 4096);
        b.bind(rx, SockAddr.of(0, 9));
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.sendto(tx, new byte[0], 0, 0, 0, at(1, 9)); // resolve ARP first
        net.run(Duration.ofMillis(10));
        assertEquals(0, b.recvfrom(rx, new byte[1], 0, 1, NB, null));
        int sent = 100_000;
        for (int i = 0; i < sent; i++) {
            a.sendto(tx, new byte[0], 0, 0, 0, at(1, 9));
            if (i % 500 == 499) {
                net.run(Duration.ofMillis(1));
            }
        }
        net.run(Duration.ofMillis(10));
        int fit = 4096 / netkit.api.spi.support.DatagramQueue.DATAGRAM_OVERHEAD;
        assertEquals(1 + fit, udp(net.stack(1), UdpCounter.IN_DATAGRAMS), "empty datagrams fill SO_RCVBUF too");
        assertEquals(sent - fit, udp(net.stack(1), UdpCounter.RCVBUF_ERRORS));
        assertEquals(0, b.recvfrom(rx, new byte[1], 0, 1, NB, null));
        a.sendto(tx, new byte[0], 0, 0, 0, at(1, 9));
        net.run(Duration.ofMillis(1));
        assertEquals(1 + fit + 1, udp(net.stack(1), UdpCounter.IN_DATAGRAMS), "room again after a read");
    }

    @Test
    void impairedWireDeliversOnlyIntactDatagrams() throws Exception {
        TestNet net = net(2);
        SocketManager a = net.stack(0).sockets("a");
        SocketManager b = net.stack(1).sockets("b");
        int rx = b.socket(AF_INET, SOCK_DGRAM, 0);
        b.bind(rx, SockAddr.of(0, 9));
        b.setsockopt(rx, Net.SOL_SOCKET, Net.SO_RCVBUF, 8 << 20);
        int tx = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.sendto(tx, new byte[1], 0, 1, 0, at(1, 9));
        net.run(Duration.ofMillis(10));
        recv(b, rx, 10, null);
        net.hub.segment("lan").impairment(new Impairment(0.05, 0.05, 0.05, 0.05, 50, 50, 0, 77));
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            byte[] d = new byte[1 + new Random(i).nextInt(1400)];
            new Random(i * 31L).nextBytes(d);
            sent.add(sha(d));
            a.sendto(tx, d, 0, d.length, 0, at(1, 9));
            net.run(Duration.ofMillis(1));
        }
        net.run(Duration.ofSeconds(1));
        int got = 0;
        while (true) {
            try {
                assertTrue(sent.contains(sha(recv(b, rx, 2000, null))), "corruption must be caught by the checksum");
                got++;
            } catch (ErrnoException e) {
                break;
            }
        }
        assertTrue(got > 400 && got < 540, "got " + got);
        assertTrue(udp(net.stack(1), UdpCounter.IN_CSUM_ERRORS) > 0);
    }

    @Test
    void receiveTimeoutExpiresAtTheSimulatedDeadline() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("a");
        int s = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.bind(s, at(0, 7000));
        a.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 60_000);
        long wall = System.nanoTime();
        long start = net.loop.nanoTime();
        BlockingCall<Integer> recv = BlockingCall.start(net.stack(0), () -> a.recvfrom(s, new byte[8], 0, 8, 0, null));
        recv.awaitBlocked();
        net.run(Duration.ofMillis(59_999));
        recv.awaitBlocked();
        net.run(Duration.ofMillis(1));
        assertEquals(Errno.EWOULDBLOCK, recv.joinFailure().errno());
        assertEquals(start + Duration.ofSeconds(60).toNanos(), recv.returnedAt(), "returned at the deadline");
        assertTrue(System.nanoTime() - wall < 1_000_000_000L, "a minute of simulated time took no wall time");
    }

    @Test
    void aConnectedSocketSeesEhostunreachOnceWhenArpFails() throws Exception {
        TestNet net = net(1);
        SocketManager a = net.stack(0).sockets("a");
        int s = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.connect(s, SockAddr.of("10.0.0.99", 9));
        a.send(s, new byte[] {1, 2, 3}, 0, 3, 0);
        net.run(Duration.ofMillis(2_999));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(s, new byte[8], 0, 8, NB)), "ARP still trying");
        net.run(Duration.ofMillis(1));
        assertEquals(Errno.EHOSTUNREACH, errno(() -> a.recv(s, new byte[8], 0, 8, NB)),
                "after 3 unanswered requests, as a local host unreachable (Linux: arp_error_report)");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recv(s, new byte[8], 0, 8, NB)), "reported once");
        int other = a.socket(AF_INET, SOCK_DGRAM, 0);
        a.sendto(other, new byte[] {1}, 0, 1, 0, SockAddr.of("10.0.0.98", 9));
        net.run(Duration.ofSeconds(4));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> a.recvfrom(other, new byte[8], 0, 8, NB, null)),
                "an unconnected socket is not told (Linux without IP_RECVERR)");
    }
}
