package netkit.stack;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.SocketManager;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.protocol.IcmpError;
import netkit.api.spi.protocol.IpMeta;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.Route;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.time.EventLoop;
import netkit.api.time.RealTimeLoop;
import netkit.api.time.Timer;
import netkit.api.wire.ArpPacket;
import netkit.api.wire.EthernetFrame;
import netkit.api.wire.MacAddress;
import netkit.stack.arp.ArpCache;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.iface.NetInterface;
import netkit.stack.ip.IcmpErrorSender;
import netkit.stack.ip.Ipv4Input;
import netkit.stack.ip.Ipv4Output;
import netkit.stack.ip.Reassembler;
import netkit.stack.route.RoutingTable;
import netkit.stack.socket.Owner;
import netkit.stack.socket.ProtocolRegistry;
import netkit.stack.socket.SocketLayer;

/**
 * A complete IPv4 host stack in plain Java: interfaces over link drivers, ARP, routing, IPv4 with
 * fragmentation and reassembly, ICMP errors, the protocol registry and the socket layer. It runs
 * without OSGi; several stacks may share one JVM, joined by a wire, and one
 * {@link netkit.api.time.SimulatedLoop} for deterministic simulated time.
 *
 * <p>Threading: one stack lock (lwIP's core lock). Received frames and timers run on the
 * {@link EventLoop} with the lock held; socket calls take it on the caller's thread.
 */
public final class Stack implements StackContext, AutoCloseable {
    private static final AtomicLong PLAIN_OWNERS = new AtomicLong();

    private final String name;
    private final EventLoop loop;
    private final boolean ownsLoop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Random random;
    private final SecureRandom secrets;
    private final PacketPool pool = PacketPool.forEthernet();
    private volatile StackSettings settings;

    private final CounterSet<IpCounter> ipCounters = new CounterSet<>(IpCounter.class);
    private final CounterSet<ArpCounter> arpCounters = new CounterSet<>(ArpCounter.class);
    private final CounterSet<IcmpCounter> icmpCounters = new CounterSet<>(IcmpCounter.class);
    private final RoutingTable routing = new RoutingTable();
    private final Interfaces interfaces = new Interfaces(this);
    private final ArpCache arp;
    private final Reassembler reassembler;
    private final IcmpErrorSender icmp;
    private final Ipv4Input ipInput;
    private final Ipv4Output ipOutput;
    private final ProtocolRegistry protocols;
    private final SocketLayer sockets;
    private final StackAdmin admin;
    private final EthernetFrame ethView = new EthernetFrame();
    private final ArpPacket arpView = new ArpPacket();

    /**
     * A stack named {@code name} on {@code loop} (null: a new real-time loop owned by the stack),
     * with a seed for its reproducible {@link #random()} and secrets from a new {@link SecureRandom}.
     */
    public Stack(String name, EventLoop loop, StackSettings settings, long seed) {
        this(name, loop, settings, seed, new SecureRandom());
    }

    /**
     * A stack as above whose {@link #secureRandom()} is {@code secrets}: the source of its secrets
     * and unpredictable values (ISN and SYN-cookie keys, timestamp offsets, ephemeral ports, IP
     * identification). Only tests that must replay exactly pass a seeded one.
     */
    public Stack(String name, EventLoop loop, StackSettings settings, long seed, SecureRandom secrets) {
        this.name = name;
        this.ownsLoop = loop == null;
        this.loop = loop == null ? new RealTimeLoop(name) : loop;
        this.settings = settings;
        this.random = new Random(seed);
        this.secrets = secrets;
        this.arp = new ArpCache(new ArpPort(), arpCounters, settings.arp());
        this.reassembler = new Reassembler(new ReassemblyPort(), ipCounters, settings.reassemblyTimeoutMillis(),
                settings.reassemblyMaxBytes());
        this.icmp = new IcmpErrorSender(this::sendIcmp, pool, icmpCounters, this.loop::nanoTime, this::isBroadcast,
                this::isLocalAddress, settings.icmpErrorsPerSecond(), settings.icmpErrorBurst());
        this.ipInput = new Ipv4Input(new InputPort(), ipCounters, reassembler, icmp);
        this.ipOutput = new Ipv4Output(this::transmit, ipCounters, pool, secrets.nextInt());
        this.protocols = new ProtocolRegistry(this);
        this.sockets = new SocketLayer(settings.maxSockets(), protocols, this.loop, lock);
        this.admin = new StackAdmin(this);
    }

    /** A stack with default settings on its own real-time loop. */
    public Stack(String name) {
        this(name, null, StackSettings.defaults(), System.nanoTime());
    }

    // ---- plain-Java management API ------------------------------------------------------------

    /** The socket API for a plain-Java owner with this display name (a fresh owner each call). */
    public SocketManager sockets(String ownerName) {
        return sockets.forOwner(new Owner(ownerName, -1 - PLAIN_OWNERS.getAndIncrement()));
    }

    /** The socket API for {@code owner}. */
    public SocketManager sockets(Owner owner) {
        return sockets.forOwner(owner);
    }

    /** Closes every socket of {@code owner}; returns how many. */
    public int closeAll(Owner owner) {
        return sockets.closeAll(owner);
    }

    /** The socket layer (token table, statuses). */
    public SocketLayer socketLayer() {
        return sockets;
    }

    /** Adds a transport protocol. */
    public void addProtocol(TransportProtocol p) {
        locked(() -> protocols.add(p));
    }

    /** Removes a transport protocol; its sockets fail with ENETDOWN until closed. */
    public void removeProtocol(TransportProtocol p) {
        locked(() -> {
            ProtocolInstance inst = protocols.remove(p);
            if (inst != null) {
                sockets.detachSocketsOf(inst);
                inst.detach();
            }
        });
    }

    /** Adds a link driver; interfaces naming it start running. */
    public void addDriver(LinkDriver d) {
        locked(() -> interfaces.addDriver(d));
    }

    /** Removes a link driver; its interfaces stop running but stay configured. */
    public void removeDriver(LinkDriver d) {
        locked(() -> interfaces.removeDriver(d));
    }

    /**
     * Adds or reconfigures an interface (a changed driver swaps the link under live sockets).
     *
     * @throws IllegalArgumentException for an invalid configuration
     */
    public void configure(InterfaceConfig cfg) {
        locked(() -> interfaces.configure(cfg));
    }

    /** Removes an interface. */
    public void removeInterface(String ifaceName) {
        locked(() -> interfaces.remove(ifaceName));
    }

    /** The interface called {@code ifaceName}, or null. */
    public NetInterface iface(String ifaceName) {
        lock.lock();
        try {
            return interfaces.get(ifaceName);
        } finally {
            lock.unlock();
        }
    }

    /** Administration and diagnostics. */
    public NetworkAdmin admin() {
        return admin;
    }

    /** Current tunables. */
    public StackSettings settings() {
        return settings;
    }

    /** Changes tunables at runtime. */
    public void settings(StackSettings s) {
        locked(() -> {
            settings = s;
            arp.settings(s.arp());
            reassembler.settings(s.reassemblyTimeoutMillis(), s.reassemblyMaxBytes());
            icmp.rate(s.icmpErrorsPerSecond(), s.icmpErrorBurst());
            sockets.table().resize(s.maxSockets());
        });
    }

    /** Detaches every protocol, closes every link, stops an owned loop. */
    @Override
    public void close() {
        locked(() -> {
            for (TransportProtocol p : protocols.active().keySet()) {
                ProtocolInstance inst = protocols.remove(p);
                if (inst != null) {
                    sockets.detachSocketsOf(inst);
                    inst.detach();
                }
            }
            interfaces.closeAll();
        });
        if (ownsLoop) {
            ((RealTimeLoop) loop).close();
        }
    }

    private void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    // ---- package collaborators ----------------------------------------------------------------

    RoutingTable routing() {
        return routing;
    }

    ArpCache arp() {
        return arp;
    }

    Interfaces interfaces() {
        return interfaces;
    }

    Reassembler reassembler() {
        return reassembler;
    }

    CounterSet<IpCounter> ipCounters() {
        return ipCounters;
    }

    CounterSet<ArpCounter> arpCounters() {
        return arpCounters;
    }

    CounterSet<IcmpCounter> icmpCounters() {
        return icmpCounters;
    }

    ProtocolRegistry protocols() {
        return protocols;
    }

    // ---- StackContext -------------------------------------------------------------------------

    @Override
    public String stackName() {
        return name;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public ReentrantLock lock() {
        return lock;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        return loop.schedule(delayNanos, () -> locked(task));
    }

    @Override
    public PacketPool pool() {
        return pool;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public SecureRandom secureRandom() {
        return secrets;
    }

    @Override
    public Route route(int destination, boolean onLinkOnly) throws ErrnoException {
        lock.lock();
        try {
            return lookupRoute(destination, onLinkOnly);
        } finally {
            lock.unlock();
        }
    }

    private Route lookupRoute(int dst, boolean onLinkOnly) throws ErrnoException {
        NetInterface owner = ownerOf(dst);
        if (owner != null) {
            NetInterface lo = loopbackInterface();
            NetInterface via = lo != null ? lo : owner;
            return new Route(dst, dst, dst, via.name(), Math.min(65535, lo != null ? lo.mtu() : 65535), true, false);
        }
        if (dst == -1) {
            for (NetInterface i : interfaces.all()) {
                if (i.up() && i.address() != 0 && !isLoopback(i)) {
                    return new Route(dst, dst, i.address(), i.name(), i.mtu(), false, true);
                }
            }
            ipCounters.inc(IpCounter.OUT_NO_ROUTES);
            throw new ErrnoException(Errno.ENETUNREACH, "no interface for broadcast");
        }
        RouteEntry r = routing.lookup(dst, n -> {
            NetInterface i = interfaces.get(n);
            return i != null && i.up();
        });
        if (r == null || onLinkOnly && r.gateway() != 0) {
            ipCounters.inc(IpCounter.OUT_NO_ROUTES);
            throw new ErrnoException(Errno.ENETUNREACH, "no route to " + netkit.api.SockAddr.formatAddress(dst));
        }
        NetInterface i = interfaces.get(r.iface());
        Link l = i.link();
        return new Route(dst, r.gateway() != 0 ? r.gateway() : dst, i.address(), i.name(), i.mtu(),
                l != null && l.checksumNotNeeded(), dst == i.broadcastAddress());
    }

    private NetInterface ownerOf(int address) {
        if (address == 0) {
            return null;
        }
        for (NetInterface i : interfaces.all()) {
            if (i.address() == address) {
                return i;
            }
        }
        return null;
    }

    private NetInterface loopbackInterface() {
        for (NetInterface i : interfaces.all()) {
            if (i.running() && isLoopback(i)) {
                return i;
            }
        }
        return null;
    }

    private static boolean isLoopback(NetInterface i) {
        Link l = i.link();
        return l != null && l.kind() == Link.Kind.LOOPBACK;
    }

    @Override
    public boolean isLocalAddress(int address) {
        return ownerOf(address) != null;
    }

    @Override
    public boolean isBroadcast(int address) {
        if (address == -1) {
            return true;
        }
        for (NetInterface i : interfaces.all()) {
            if (i.broadcastAddress() != 0 && i.broadcastAddress() == address) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void output(PacketBuffer payload, Route route, int protocol, int ttl, int tos, boolean dontFragment)
            throws ErrnoException {
        lock.lock();
        try {
            ipOutput.send(payload, route, protocol, ttl, tos, dontFragment);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sendUnreachable(PacketBuffer offending, IpMeta ip, int code) {
        int end = offending.offset() + offending.length();
        icmp.send(IcmpErrorSender.DEST_UNREACHABLE, code, 0, offending.array(), ip.headerOffset(),
                end - ip.headerOffset(), ip.broadcast());
    }

    @Override
    public void dispatchIcmpError(IcmpError error) {
        if (error.quoteLength() < 20) {
            return;
        }
        ProtocolInstance p = protocols.byIpNumber(error.quotedProtocol());
        if (p != null) {
            p.icmpError(error);
        }
    }

    @Override
    public void readinessChanged() {
        sockets.readinessChanged();
    }

    // ---- link input and output (stack lock held) ----------------------------------------------

    /** A frame from {@code link} of {@code iface}. */
    void frameInput(NetInterface iface, Link link, PacketBuffer frame) {
        if (interfaces.get(iface.name()) != iface || !iface.up() || link == null) {
            iface.countRxDrop();
            frame.release();
            return;
        }
        iface.countRx(frame.length());
        if (link.kind() == Link.Kind.LOOPBACK) {
            ipInput.input(iface, frame, false, link.checksumNotNeeded());
            return;
        }
        if (!ethView.wrap(frame.array(), frame.offset(), frame.length())) {
            iface.countRxError();
            frame.release();
            return;
        }
        long dst = ethView.destination();
        boolean broadcast = dst == MacAddress.BROADCAST;
        if (!broadcast && dst != link.mac()) {
            iface.countRxDrop(); // not for us (multicast is not joined)
            frame.release();
            return;
        }
        int type = ethView.etherType();
        frame.consume(EthernetFrame.HEADER_LEN);
        if (type == EthernetFrame.TYPE_IPV4) {
            ipInput.input(iface, frame, broadcast, link.checksumNotNeeded());
        } else if (type == EthernetFrame.TYPE_ARP) {
            if (arpView.wrap(frame.array(), frame.offset(), frame.length())) {
                arp.input(iface, arpView);
            } else {
                arpCounters.inc(ArpCounter.IN_ERRORS);
                iface.countRxError();
            }
            frame.release();
        } else {
            iface.countRxDrop();
            frame.release();
        }
    }

    /** Sends a finished IP packet along its route. */
    private void transmit(Route route, PacketBuffer ip) {
        NetInterface iface = interfaces.get(route.iface());
        Link link = iface == null ? null : iface.link();
        if (link == null || !iface.up()) {
            if (iface != null) {
                iface.countTxDrop(); // no link right now (driver gone or being swapped): like a lost frame
            }
            ip.release();
            return;
        }
        if (link.kind() == Link.Kind.LOOPBACK) {
            send(iface, link, ip);
        } else if (route.destination() != route.nextHop() || !isLocalAddress(route.destination())) {
            if (route.broadcast()) {
                transmitEthernet(iface, MacAddress.BROADCAST, ip);
            } else {
                arp.send(iface, route.nextHop(), ip);
            }
        } else {
            // Own address on a link without loopback: deliver in-stack as if received.
            loop.execute(() -> locked(() -> ipInput.input(iface, ip, false, true)));
        }
    }

    private void transmitEthernet(NetInterface iface, long dstMac, PacketBuffer ip) {
        Link link = iface.link();
        if (link == null) {
            iface.countTxDrop();
            ip.release();
            return;
        }
        int at = ip.prepend(EthernetFrame.HEADER_LEN);
        EthernetFrame.emit(ip.array(), at, dstMac, link.mac(), EthernetFrame.TYPE_IPV4);
        send(iface, link, ip);
    }

    private static void send(NetInterface iface, Link link, PacketBuffer frame) {
        iface.tap(frame, true);
        int len = frame.length();
        if (link.transmit(frame)) {
            iface.countTx(len);
        } else {
            iface.countTxError();
        }
    }

    private void sendIcmp(PacketBuffer msg, int source, int destination) {
        try {
            Route r = lookupRoute(destination, false);
            if (source != 0) {
                r = new Route(r.destination(), r.nextHop(), source, r.iface(), r.mtu(), r.checksumNotNeeded(),
                        r.broadcast());
            }
            ipOutput.send(msg, r, netkit.api.Net.IPPROTO_ICMP, 64, 0, false);
        } catch (ErrnoException e) {
            msg.release(); // no way back to the source: nothing to report to
        }
    }

    private final class ArpPort implements ArpCache.Port {
        @Override
        public long nanoTime() {
            return loop.nanoTime();
        }

        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            return Stack.this.schedule(delayNanos, task);
        }

        @Override
        public void sendArp(NetInterface iface, long dstMac, int op, long targetMac, int targetIp) {
            Link link = iface.link();
            if (link == null) {
                iface.countTxDrop();
                return;
            }
            PacketBuffer b = pool.acquire(EthernetFrame.HEADER_LEN + ArpPacket.LEN);
            int at = b.append(EthernetFrame.HEADER_LEN + ArpPacket.LEN);
            EthernetFrame.emit(b.array(), at, dstMac, link.mac(), EthernetFrame.TYPE_ARP);
            ArpPacket.emit(b.array(), at + EthernetFrame.HEADER_LEN, op, link.mac(), iface.address(), targetMac,
                    targetIp);
            send(iface, link, b);
        }

        @Override
        public void transmitIp(NetInterface iface, long dstMac, PacketBuffer ipPacket) {
            transmitEthernet(iface, dstMac, ipPacket);
        }

        @Override
        public void unresolved(NetInterface iface, PacketBuffer ipPacket) {
            // RFC 1122 §2.3.2.2 / §3.2.2.1: our own packet could not be delivered: tell its transport
            // as a host unreachable, without sending anything to ourselves.
            byte[] q = ipPacket.toByteArray();
            ipPacket.release();
            dispatchIcmpError(new IcmpError(IcmpErrorSender.DEST_UNREACHABLE, IcmpErrorSender.HOST_UNREACHABLE,
                    Errno.EHOSTUNREACH, false, 0, iface.address(), q, 0, q.length));
        }
    }

    private final class ReassemblyPort implements Reassembler.Port {
        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            return Stack.this.schedule(delayNanos, task);
        }

        @Override
        public void timedOut(byte[] firstFragment, int length) {
            icmp.send(IcmpErrorSender.TIME_EXCEEDED, IcmpErrorSender.REASSEMBLY_TIME_EXCEEDED, 0, firstFragment, 0,
                    length, false);
        }
    }

    private final class InputPort implements Ipv4Input.Port {
        @Override
        public boolean isLocalAddress(int a) {
            return Stack.this.isLocalAddress(a);
        }

        @Override
        public boolean isBroadcastFor(NetInterface iface, int a) {
            return a == -1 || (iface.broadcastAddress() != 0 && iface.broadcastAddress() == a);
        }

        @Override
        public ProtocolInstance protocol(int number) {
            return protocols.byIpNumber(number);
        }
    }

    @Override
    public String toString() {
        return "Stack[" + name + "]";
    }
}
