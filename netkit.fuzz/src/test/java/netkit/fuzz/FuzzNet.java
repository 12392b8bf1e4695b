package netkit.fuzz;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.IPPROTO_ICMP;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.Net.SOCK_STREAM;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.admin.LinkCounters;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.stats.StackStatistics;
import netkit.api.stats.TcpCounter;
import netkit.api.stats.UdpCounter;
import netkit.api.wire.ArpPacket;
import netkit.api.wire.Bytes;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.IcmpHeader;
import netkit.icmp.IcmpProtocol;
import netkit.link.wire.WirePort;
import netkit.stack.Stack;
import netkit.stack.StackProbe;
import netkit.stack.testing.TestNet;
import netkit.tcp.TcpProtocol;
import netkit.udp.UdpProtocol;

/**
 * The live network a fuzz target feeds: two stacks with UDP, TCP and ICMP on a simulated wire
 * ({@link TestNet}: {@code s0} 10.0.0.1 is the peer, {@code s1} 10.0.0.2 the stack under test) and
 * an injector port (10.0.0.50) that puts raw frames on the wire, answers ARP for its address and
 * records the TCP segments sent to it. {@code s1} has a UDP socket bound to port 7, one bound to
 * 5000 and connected to 10.0.0.50:9999, and a TCP listener on port 80 whose connections are
 * accepted, read and closed after every input.
 *
 * <p>The oracle, after each input on the simulated clock: no exception escapes, neither stack
 * {@linkplain Stack#failure failed} nor contained a fault (RxFaults), every frame received was
 * accounted for by a counter at each layer it reached, reassembly memory stays within its bound and
 * the socket count is back to its baseline. Every {@value #HEALTH_EVERY} inputs and at the end:
 * a ping and a TCP echo between the stacks work, and after the network ran idle the packet pools
 * have no more buffers out than at the start.
 */
public final class FuzzNet {
    static final int HEALTH_EVERY = 250;
    /** {@code -Dfuzz.trace=true}: print what each input moved on s1 (to see what a saved input reaches). */
    private static final boolean TRACE = Boolean.getBoolean("fuzz.trace");
    static final int PEER = TestNet.address(0);
    static final int HOST = TestNet.address(1);
    static final long HOST_MAC = 0x020000000101L;
    static final long PEER_MAC = 0x020000000100L;
    static final int INJECTOR = 0x0a000032;
    static final long INJECTOR_MAC = 0x02000000ddddL;
    static final int UDP_PORT = 7;
    static final int UDP_CONNECTED_PORT = 5000;
    static final int UDP_REMOTE_PORT = 9999;
    static final int TCP_PORT = 80;

    final TestNet net = new TestNet(2);
    final SocketManager api;
    final WirePort injector;
    /** TCP segments s1 sent to the injector (TCP header at 0), oldest first; bounded. */
    final ArrayDeque<byte[]> segments = new ArrayDeque<>();
    final int udp;
    final int udpConnected;
    final int listener;
    private final int baseSockets;
    private final int basePool0;
    private final int basePool1;
    private long inputs;
    /** Bytes s1's application read during the current input (shown by fuzz.trace as AppRead). */
    long appRead;
    private int ipId;

    public FuzzNet() {
        for (Stack s : net.stacks) {
            s.addProtocol(new UdpProtocol());
            s.addProtocol(new TcpProtocol());
            s.addProtocol(new IcmpProtocol());
        }
        injector = net.hub.segment("lan").attach(INJECTOR_MAC, 1500, this::received);
        api = host().sockets("fuzz");
        try {
            udp = nonBlocking(api.socket(AF_INET, SOCK_DGRAM, 0));
            api.bind(udp, SockAddr.of(0, UDP_PORT));
            udpConnected = nonBlocking(api.socket(AF_INET, SOCK_DGRAM, 0));
            api.bind(udpConnected, SockAddr.of(0, UDP_CONNECTED_PORT));
            api.connect(udpConnected, SockAddr.of(INJECTOR, UDP_REMOTE_PORT));
            listener = nonBlocking(api.socket(AF_INET, SOCK_STREAM, 0));
            api.bind(listener, SockAddr.of(0, TCP_PORT));
            api.listen(listener, 16);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
        healthCheck();
        idle();
        baseSockets = sockets();
        basePool0 = peer().context().pool().outstanding();
        basePool1 = host().context().pool().outstanding();
    }

    Stack peer() {
        return net.stack(0);
    }

    public Stack host() {
        return net.stack(1);
    }

    private int nonBlocking(int s) throws ErrnoException {
        api.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        return s;
    }

    private void received(PacketBuffer frame) {
        byte[] f = frame.toByteArray();
        frame.release();
        if (f.length < 14) {
            return;
        }
        int type = Bytes.get16(f, 12);
        if (type == EthernetFrame.TYPE_ARP && f.length >= 14 + ArpPacket.LEN
                && Bytes.get16(f, 14 + 6) == ArpPacket.OP_REQUEST && Bytes.get32(f, 14 + 24) == INJECTOR) {
            byte[] r = new byte[14 + ArpPacket.LEN];
            long to = Bytes.get48(f, 14 + 8);
            EthernetFrame.emit(r, 0, to, INJECTOR_MAC, EthernetFrame.TYPE_ARP);
            ArpPacket.emit(r, 14, ArpPacket.OP_REPLY, INJECTOR_MAC, INJECTOR, to, Bytes.get32(f, 14 + 14));
            injector.transmit(PacketBuffer.wrapCopy(r, 0, r.length));
        } else if (type == EthernetFrame.TYPE_IPV4 && f.length >= 34 && (f[23] & 0xff) == 6
                && Bytes.get32(f, 30) == INJECTOR) {
            int hl = (f[14] & 0x0f) * 4;
            int end = Math.min(f.length, 14 + Bytes.get16(f, 16));
            if (14 + hl + 20 <= end) {
                segments.addLast(Arrays.copyOfRange(f, 14 + hl, end));
                if (segments.size() > 64) {
                    segments.removeFirst();
                }
            }
        }
    }

    // ---- input ----------------------------------------------------------------------------

    /** Puts a raw frame on the wire (from the injector port) and runs the network until idle. */
    void inject(byte[] frame) {
        injector.transmit(PacketBuffer.wrapCopy(frame, 0, frame.length));
        net.loop.runUntilIdle();
    }

    /** An Ethernet frame from the injector to s1 around {@code ipPacket}. */
    void injectIp(byte[] ipPacket) {
        inject(Frames.ethernet(HOST_MAC, INJECTOR_MAC, EthernetFrame.TYPE_IPV4, ipPacket));
    }

    /** An IPv4 packet (no options, DF clear) of {@code protocol} from {@code src} to s1. */
    byte[] ip(int protocol, int src, int dst, byte[] payload) {
        return Frames.ipv4(0, ipId++ & 0xffff, 0, 64, protocol, src, dst, new byte[0], payload);
    }

    /** A fresh IP identification. */
    int nextIpId() {
        return ipId++ & 0xffff;
    }

    /** The last TCP segment s1 sent to the injector's {@code port}, or null. */
    byte[] lastSegmentTo(int port) {
        for (java.util.Iterator<byte[]> it = segments.descendingIterator(); it.hasNext();) {
            byte[] seg = it.next();
            if (Bytes.get16(seg, 2) == port) {
                return seg;
            }
        }
        return null;
    }

    /** A TCP segment from the injector's {@code port} to s1. */
    void injectTcp(int port, int dstPort, int seq, int ack, int flags, int window, byte[] options, byte[] payload) {
        injectIp(ip(6, INJECTOR, HOST, Frames.tcp(port, dstPort, seq, ack, flags, window, 0, options, payload,
                INJECTOR, HOST)));
    }

    /**
     * Opens a connection from the injector's {@code port} to s1's listener with {@code synOptions}:
     * SYN, SYN-ACK, ACK. Returns the accepted socket on s1, or -1 when s1 did not complete it.
     */
    int connect(int port, int iss, byte[] synOptions) {
        injectTcp(port, TCP_PORT, iss, 0, 0x02, 65535, synOptions, new byte[0]);
        byte[] synAck = lastSegmentTo(port);
        if (synAck == null || (synAck[13] & 0x12) != 0x12) {
            return -1;
        }
        injectTcp(port, TCP_PORT, iss + 1, Bytes.get32(synAck, 4) + 1, 0x10, 65535, new byte[0], new byte[0]);
        try {
            int c = api.accept(listener).token();
            return nonBlocking(c);
        } catch (ErrnoException e) {
            return -1;
        }
    }

    /** Resets the connection from the injector's {@code port} at the sequence number s1 expects. */
    void reset(int port) {
        byte[] last = lastSegmentTo(port);
        if (last != null && (last[13] & 0x04) == 0) {
            injectTcp(port, Bytes.get16(last, 0), Bytes.get32(last, 8), 0, 0x04, 0, new byte[0], new byte[0]);
        }
    }

    /** Moves the simulated clock. */
    public void run(Duration d) {
        net.run(d);
    }

    // ---- oracle ---------------------------------------------------------------------------

    /** Counters of one stack at one moment, for the accounting check. */
    public record Counts(StackStatistics stats, LinkCounters eth0) {
        long ip(IpCounter c) {
            return stats.ip().get(c);
        }
    }

    /** The statistics of {@code s} and the counters of its interfaces other than lo0, summed. */
    Counts counts(Stack s) {
        long[] c = new long[4];
        for (netkit.api.admin.InterfaceStatus i : s.admin().interfaces()) {
            if (!i.name().equals("lo0")) {
                LinkCounters l = i.counters();
                c[0] += l.rxPackets();
                c[1] += l.rxBytes();
                c[2] += l.rxErrors();
                c[3] += l.rxDropped();
            }
        }
        return new Counts(s.admin().statistics(),
                new LinkCounters(c[0], c[1], c[2], c[3], 0, 0, 0, 0, LinkCounters.NO_HOST_BUFFER));
    }

    /** Snapshots both stacks before an input. */
    public Counts[] before() {
        return new Counts[] {counts(peer()), counts(host())};
    }

    /**
     * After an input: drains what s1's sockets received, runs the clock {@code settle}, and checks the
     * oracle against the counts taken {@link #before}. Every {@value #HEALTH_EVERY} inputs also checks
     * health and resources.
     */
    public void check(Counts[] before, Duration settle) {
        drainSockets();
        net.run(settle);
        drainSockets();
        for (int i = 0; i < 2; i++) {
            Stack s = net.stack(i);
            Counts now = counts(s);
            if (TRACE && i == 1) {
                System.out.println("fuzz.trace s1: " + moved(before[i], now) + (appRead > 0 ? " AppRead+" + appRead
                        : ""));
            }
            if (s.failure() != null) {
                throw new AssertionError(s + " failed", s.failure());
            }
            if (now.ip(IpCounter.RX_FAULTS) != 0) {
                throw new AssertionError(s + ": a frame's processing threw (RxFaults "
                        + now.ip(IpCounter.RX_FAULTS) + "); see the WARNING logged by RxQueue");
            }
            accounted(s, before[i], now);
            int held = StackProbe.reassemblyHeldBytes(s);
            if (held > s.settings().reassemblyMaxBytes()) {
                throw new AssertionError(s + ": reassembly holds " + held + " bytes, bound "
                        + s.settings().reassemblyMaxBytes());
            }
        }
        appRead = 0;
        if (sockets() != baseSockets) {
            throw new AssertionError("socket count " + sockets() + ", baseline " + baseSockets);
        }
        if (++inputs % HEALTH_EVERY == 0) {
            verifyHealthy();
        }
    }

    /** Each layer accounts for what it was handed: delivered, answered, or counted as dropped. */
    private static void accounted(Stack s, Counts b, Counts a) {
        long rx = a.eth0.rxPackets() - b.eth0.rxPackets();
        long linkOutcomes = a.eth0.rxErrors() - b.eth0.rxErrors() + a.eth0.rxDropped() - b.eth0.rxDropped()
                + d(a, b, ArpCounter.IN_REQUESTS) + d(a, b, ArpCounter.IN_REPLIES) + d(a, b, ArpCounter.IN_ERRORS)
                + a.ip(IpCounter.IN_RECEIVES) - b.ip(IpCounter.IN_RECEIVES);
        if (rx > linkOutcomes) {
            throw new AssertionError(s + ": " + rx + " frames in, " + linkOutcomes
                    + " accounted for (rx errors/drops, ARP in, IP in): a frame was dropped without a counter");
        }
        long ipIn = a.ip(IpCounter.IN_RECEIVES) - b.ip(IpCounter.IN_RECEIVES);
        long ipOutcomes = 0;
        for (IpCounter c : new IpCounter[] {IpCounter.IN_HDR_ERRORS, IpCounter.IN_ADDR_ERRORS,
                IpCounter.IN_UNKNOWN_PROTOS, IpCounter.IN_DISCARDS, IpCounter.IN_DELIVERS, IpCounter.REASM_REQDS}) {
            ipOutcomes += a.ip(c) - b.ip(c);
        }
        ipOutcomes -= a.ip(IpCounter.REASM_OKS) - b.ip(IpCounter.REASM_OKS); // counted as fragments already
        if (ipIn > ipOutcomes) {
            throw new AssertionError(s + ": " + ipIn + " IP packets in, " + ipOutcomes
                    + " accounted for: a packet was dropped without a counter");
        }
        long delivered = a.ip(IpCounter.IN_DELIVERS) - b.ip(IpCounter.IN_DELIVERS);
        long transport = d(a, b, UdpCounter.IN_DATAGRAMS) + d(a, b, UdpCounter.NO_PORTS)
                + d(a, b, UdpCounter.IN_ERRORS) + d(a, b, TcpCounter.IN_SEGS) + d(a, b, IcmpCounter.IN_MSGS);
        if (delivered > transport) {
            throw new AssertionError(s + ": " + delivered + " datagrams delivered, " + transport
                    + " counted by UDP/TCP/ICMP: a transport dropped one without a counter");
        }
    }

    /** The counters that moved between {@code b} and {@code a}, as name+delta. */
    private static String moved(Counts b, Counts a) {
        StringBuilder sb = new StringBuilder();
        moved(sb, "Ip", b.stats.ip().byName(), a.stats.ip().byName());
        moved(sb, "Arp", b.stats.arp().byName(), a.stats.arp().byName());
        moved(sb, "Icmp", b.stats.icmp().byName(), a.stats.icmp().byName());
        moved(sb, "Udp", b.stats.udp().byName(), a.stats.udp().byName());
        moved(sb, "Tcp", b.stats.tcp().byName(), a.stats.tcp().byName());
        moved(sb, "Link", java.util.Map.of("RxPackets", b.eth0.rxPackets(), "RxErrors", b.eth0.rxErrors(),
                "RxDropped", b.eth0.rxDropped()), java.util.Map.of("RxPackets", a.eth0.rxPackets(), "RxErrors",
                a.eth0.rxErrors(), "RxDropped", a.eth0.rxDropped()));
        return sb.toString().trim();
    }

    private static void moved(StringBuilder sb, String prefix, java.util.Map<String, Long> b,
            java.util.Map<String, Long> a) {
        new java.util.TreeMap<>(a).forEach((k, v) -> {
            long d = v - b.getOrDefault(k, 0L);
            if (d != 0 && !k.equals("MemoryBytes") && !k.equals("CurrEstab")) {
                sb.append(' ').append(prefix).append(k).append('+').append(d);
            }
        });
    }

    private static long d(Counts a, Counts b, ArpCounter c) {
        return a.stats.arp().get(c) - b.stats.arp().get(c);
    }

    private static long d(Counts a, Counts b, UdpCounter c) {
        return a.stats.udp().get(c) - b.stats.udp().get(c);
    }

    private static long d(Counts a, Counts b, TcpCounter c) {
        return a.stats.tcp().get(c) - b.stats.tcp().get(c);
    }

    private static long d(Counts a, Counts b, IcmpCounter c) {
        return a.stats.icmp().get(c) - b.stats.icmp().get(c);
    }

    int sockets() {
        return host().socketLayer().table().all().size() + peer().socketLayer().table().all().size();
    }

    /** Reads and discards what s1's sockets hold; accepts and closes waiting connections. */
    void drainSockets() {
        byte[] buf = new byte[65536];
        for (int s : new int[] {udp, udpConnected}) {
            try {
                while (true) {
                    appRead += api.recvfrom(s, buf, 0, buf.length, Net.MSG_DONTWAIT, new RecvInfo());
                }
            } catch (ErrnoException e) {
                // EWOULDBLOCK: empty; ECONNREFUSED and the like: reported once, fine
            }
        }
        while (true) {
            int c;
            try {
                c = api.accept(listener).token();
            } catch (ErrnoException e) {
                break; // EWOULDBLOCK, or ECONNABORTED for a connection reset while queued
            }
            closeQuietly(api, c);
        }
    }

    static void closeQuietly(SocketManager m, int s) {
        try {
            m.closesocket(s);
        } catch (ErrnoException e) {
            throw new AssertionError("closesocket: " + e.getMessage(), e);
        }
    }

    /**
     * A ping and a TCP echo from s0 to s1 work, and once everything ran idle the pools have no more
     * buffers out than at the start.
     */
    public void verifyHealthy() {
        healthCheck();
        idle();
        int p0 = peer().context().pool().outstanding();
        int p1 = host().context().pool().outstanding();
        if (p0 > basePool0 || p1 > basePool1) {
            throw new AssertionError("packet buffers out after running idle: s0 " + p0 + " (baseline " + basePool0
                    + "), s1 " + p1 + " (baseline " + basePool1 + "): a buffer leaked");
        }
        if (sockets() != baseSockets) {
            throw new AssertionError("socket count " + sockets() + ", baseline " + baseSockets);
        }
    }

    /** Runs long enough for every timer (ARP, reassembly, TIME_WAIT, retransmissions) to expire. */
    private void idle() {
        net.run(Duration.ofSeconds(150));
        drainSockets();
    }

    private void healthCheck() {
        SocketManager p = peer().sockets("health");
        try {
            ping(p);
            tcpEcho(p);
        } catch (ErrnoException e) {
            throw new AssertionError("health check: " + e.getMessage(), e);
        }
    }

    private void ping(SocketManager p) throws ErrnoException {
        int s = p.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        try {
            p.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
            byte[] echo = new byte[16];
            echo[0] = (byte) IcmpHeader.ECHO_REQUEST;
            byte[] buf = new byte[64];
            for (int attempt = 0; attempt < 3; attempt++) {
                p.sendto(s, echo, 0, echo.length, 0, SockAddr.of(HOST, 0));
                net.run(Duration.ofSeconds(1));
                try {
                    if (p.recvfrom(s, buf, 0, buf.length, 0, new RecvInfo()) == echo.length) {
                        return;
                    }
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EWOULDBLOCK) {
                        throw e;
                    }
                }
            }
            throw new AssertionError("health check: s1 does not answer ping; ARP of s0 " + peer().admin().arp()
                    + ", of s1 " + host().admin().arp());
        } finally {
            closeQuietly(p, s);
        }
    }

    private void tcpEcho(SocketManager p) throws ErrnoException {
        int c = p.socket(AF_INET, SOCK_STREAM, 0);
        int accepted = -1;
        try {
            p.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
            try {
                p.connect(c, SockAddr.of(HOST, TCP_PORT));
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINPROGRESS) {
                    throw e;
                }
            }
            boolean connected = net.loop.runUntil(() -> {
                try {
                    return p.select(null, TokenSet.of(c), null, Duration.ZERO) > 0;
                } catch (ErrnoException e) {
                    return true;
                }
            }, Duration.ofSeconds(10));
            if (!connected || p.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR) != 0) {
                throw new AssertionError("health check: TCP connect to s1 failed");
            }
            net.run(Duration.ofMillis(10));
            accepted = api.accept(listener).token();
            api.setsockopt(accepted, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
            byte[] hello = "hello, fuzzed stack".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            p.send(c, hello, 0, hello.length, 0);
            net.run(Duration.ofMillis(100));
            byte[] buf = new byte[64];
            int n = api.recv(accepted, buf, 0, buf.length, 0);
            api.send(accepted, buf, 0, n, 0);
            net.run(Duration.ofMillis(100));
            int m = p.recv(c, buf, 0, buf.length, 0);
            if (!Arrays.equals(hello, Arrays.copyOf(buf, m))) {
                throw new AssertionError("health check: TCP echo returned " + m + " bytes, not the " + hello.length
                        + " sent");
            }
        } finally {
            closeQuietly(p, c);
            if (accepted >= 0) {
                closeQuietly(api, accepted);
            }
        }
    }
}
