package netkit.stack;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import netkit.api.SocketManager;
import netkit.api.admin.NetworkAdmin;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.spi.protocol.StackContext;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.stats.StackStatistics;
import netkit.api.time.EventLoop;
import netkit.api.time.RealTimeLoop;
import netkit.api.spi.autoconf.AutoconfSupport;
import netkit.stack.autoconf.BoundPorts;
import netkit.stack.autoconf.StackAutoconf;
import netkit.stack.ethernet.EthernetLayer;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.iface.NetInterface;
import netkit.stack.ip.IcmpErrorReceiver;
import netkit.stack.ip.IcmpErrorSender;
import netkit.stack.ip.Ipv4Input;
import netkit.stack.ip.Ipv4Output;
import netkit.stack.ip.Reassembler;
import netkit.stack.route.RouteResolver;
import netkit.stack.route.RoutingTable;
import netkit.stack.socket.Owner;
import netkit.stack.socket.OwnerQuotas;
import netkit.stack.socket.ProtocolRegistry;
import netkit.stack.socket.SocketLayer;
import netkit.stack.socket.SocketQuota;
import netkit.stack.util.StackLock;
import netkit.stack.util.StackLoop;

/**
 * A complete IPv4 host stack in plain Java: interfaces over link drivers, ARP, routing, IPv4 with
 * fragmentation and reassembly, ICMP errors, the protocol registry and the socket layer. It runs
 * without OSGi; several stacks may share one JVM, joined by a wire, and one
 * {@link netkit.api.time.SimulatedLoop} for deterministic simulated time.
 *
 * <p>This class wires the layers and offers the management API. A frame goes up through
 * {@link RxQueue}, {@link EthernetLayer}, {@link Ipv4Input} to a protocol instance (or to the
 * {@link IcmpErrorReceiver}); a protocol's datagram goes down through {@link ProtocolContext},
 * {@link Ipv4Output}, {@link EthernetLayer} to the link. {@link RouteResolver} decides routes.
 *
 * <p>Threading: one stack lock (lwIP's core lock). Received frames and timers run on the
 * {@link EventLoop} with the lock held; socket calls and the management methods here take it on
 * the caller's thread.
 */
public final class Stack implements AutoCloseable {
    private static final AtomicLong PLAIN_OWNERS = new AtomicLong();

    private final String name;
    private final boolean ownsLoop;
    private final StackLoop stackLoop;
    private volatile StackSettings settings;
    private volatile Throwable failure;

    private final PacketPool pool = PacketPool.forEthernet();
    private final CounterSet<IpCounter> ipCounters = new CounterSet<>(IpCounter.class);
    private final CounterSet<ArpCounter> arpCounters = new CounterSet<>(ArpCounter.class);
    private final CounterSet<IcmpCounter> icmpCounters = new CounterSet<>(IcmpCounter.class);
    private final RoutingTable routing = new RoutingTable();
    private final Interfaces interfaces;
    private final EthernetLayer ethernet;
    private final Reassembler reassembler;
    private final IcmpErrorSender icmpErrorSender;
    private final Ipv4Input ipInput;
    private final ProtocolContext context;
    private final ProtocolRegistry protocols;
    private final OwnerQuotas quotas;
    private final SocketLayer sockets;
    private final StackAdmin admin;
    private final StackAutoconf autoconf;
    private final NetworkEvents events;
    private final java.util.Map<String, SocketManager> plainOwners = new java.util.concurrent.ConcurrentHashMap<>();
    private final Warmup warmup;

    /**
     * A stack named {@code name} on {@code loop} (null: a new real-time loop owned by the stack),
     * with a seed for its reproducible randomness and secrets from a new {@link SecureRandom}.
     */
    public Stack(String name, EventLoop loop, StackSettings settings, long seed) {
        this(name, loop, settings, seed, new SecureRandom());
    }

    /**
     * A stack as above whose {@code secrets} are the source of its secrets and unpredictable values
     * (ISN and SYN-cookie keys, timestamp offsets, ephemeral ports, IP identification). Only tests
     * that must replay exactly pass a seeded one.
     */
    public Stack(String name, EventLoop loop, StackSettings settings, long seed, SecureRandom secrets) {
        this.name = name;
        this.ownsLoop = loop == null;
        EventLoop eventLoop = loop == null ? new RealTimeLoop(name) : loop;
        this.stackLoop = new StackLoop(eventLoop, new StackLock(), this::fail);
        this.settings = settings;
        Random random = new Random(seed);
        // The layers call each other in a cycle (frames come up, ICMP errors about them go back down):
        // upward calls go through the forwarding methods at the end, which read the fields when called.
        this.interfaces = new Interfaces(name, routing, pool, eventLoop, this::receiverFor);
        // Until an installation key is given, MACs derive from the seed: the same seed, stack name and
        // interface name give the same MAC, so seeded tests replay.
        interfaces.macKey(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        RouteResolver routes = new RouteResolver(interfaces, routing, ipCounters);
        IcmpErrorReceiver icmpErrorReceiver = new IcmpErrorReceiver(routes::isLocalAddress, this::protocol,
                icmpCounters);
        this.ethernet = new EthernetLayer(interfaces, routes, this::receiveIp, icmpErrorReceiver, stackLoop, pool,
                arpCounters, settings.arp());
        Ipv4Output ipOutput = new Ipv4Output(ethernet::transmit, ipCounters, pool, secrets.nextInt());
        this.icmpErrorSender = new IcmpErrorSender(routes, ipOutput, pool, icmpCounters, eventLoop::nanoTime,
                settings.icmpErrorsPerSecond(), settings.icmpErrorBurst());
        this.reassembler = new Reassembler(Reassembler.Port.of(stackLoop, icmpErrorSender), ipCounters, settings.reassemblyTimeoutMillis(),
                settings.reassemblyMaxBytes(), settings.reassemblyLowBytes());
        BoundPorts boundPorts = new BoundPorts(ipCounters);
        this.ipInput = new Ipv4Input(routes, this::protocol, this::rawProtocol, ipCounters, reassembler, icmpErrorSender,
                icmpErrorReceiver, boundPorts);
        this.context = new ProtocolContext(name, stackLoop, pool, random, secrets, routes, ipOutput, icmpErrorSender,
                this::readinessChanged);
        this.protocols = new ProtocolRegistry(context);
        this.autoconf = new StackAutoconf(context, interfaces, boundPorts, ethernet.arp());
        this.quotas = new OwnerQuotas(settings::ownerQuota);
        this.sockets = new SocketLayer(settings.maxSockets(), quotas, protocols, eventLoop, stackLoop.lock());
        this.sockets.somaxconn(settings.somaxconn());
        this.events = new NetworkEvents(name, eventLoop, stackLoop.lock());
        this.admin = new StackAdmin(this, interfaces, routing, ethernet.arp(), protocols, ethernet::announce);
        this.warmup = new Warmup(this, name);
    }

    /** A stack with default settings on its own real-time loop. */
    public Stack(String name) {
        this(name, null, StackSettings.defaults(), System.nanoTime());
    }

    // ---- plain-Java management API (each method takes the stack lock) ----

    /**
     * The socket API for the plain-Java owner called {@code ownerName}: one owner per name and stack,
     * so every call with that name shares its tokens and its quota (configured under that name).
     */
    public SocketManager sockets(String ownerName) {
        return plainOwners.computeIfAbsent(ownerName,
                n -> sockets.forOwner(new Owner(n, -1 - PLAIN_OWNERS.getAndIncrement())));
    }

    /** The socket API for {@code owner}. */
    public SocketManager sockets(Owner owner) {
        return sockets.forOwner(owner);
    }

    /** Closes every socket of {@code owner}; returns how many. */
    public int closeAll(Owner owner) {
        return sockets.closeAll(owner);
    }

    /**
     * Sets the socket quota of the owners whose bundle is {@code bundle} (Bundle-SymbolicName; a
     * plain-Java owner's name), overriding {@link StackSettings#socketsPerOwner()} and
     * {@link StackSettings#bufferBytesPerOwner()} where its fields are not -1. Sockets already open
     * stay, even above a lowered quota.
     */
    public void quota(String bundle, SocketQuota quota) {
        quotas.set(bundle, quota);
    }

    /** Removes the quota override of {@code bundle}: the stack's defaults apply again. */
    public void removeQuota(String bundle) {
        quotas.remove(bundle);
    }

    /** The socket layer (token table, statuses). */
    public SocketLayer socketLayer() {
        return sockets;
    }

    /** Adds a transport protocol. */
    public void addProtocol(TransportProtocol p) {
        stackLoop.locked(() -> {
            if (protocols.add(p)) {
                events.protocol(p, true);
            }
        });
        warmup.request();
    }

    /** Removes a transport protocol; its sockets fail with ENETDOWN until closed. */
    public void removeProtocol(TransportProtocol p) {
        stackLoop.locked(() -> detach(p));
    }

    /** Adds a link driver; interfaces naming it start running. */
    public void addDriver(LinkDriver d) {
        stackLoop.locked(() -> {
            interfaces.addDriver(d).forEach(ethernet::announce);
            observed();
        });
        if (d.name().equals("loopback")) {
            warmup.request();
        }
    }

    /** Removes a link driver; its interfaces stop running but stay configured. */
    public void removeDriver(LinkDriver d) {
        stackLoop.locked(() -> {
            interfaces.removeDriver(d);
            observed();
        });
    }

    /**
     * Sets the per-installation key the MACs of interfaces without a configured {@code mac} derive
     * from (SHA-256 of the key, the stack's name and the interface's name, as a locally administered
     * unicast address, like systemd's {@code MACAddressPolicy=persistent}): the same key gives the same
     * MACs at every start, so neighbours' ARP caches and DHCP leases (client identifier, {@code chaddr})
     * stay valid across restarts. Without one the key is the stack's seed. Links opened afterwards use
     * it; an interface keeps the MAC it has across relinks and driver swaps.
     */
    public void macKey(byte[] key) {
        stackLoop.locked(() -> interfaces.macKey(key));
    }

    /**
     * Adds or reconfigures an interface (a changed driver swaps the link under live sockets).
     *
     * @throws IllegalArgumentException for an invalid configuration
     */
    public void configure(InterfaceConfig cfg) {
        stackLoop.locked(() -> {
            try {
                ethernet.announce(interfaces.configure(cfg));
            } finally {
                observed();
            }
        });
    }

    /** Removes an interface. */
    public void removeInterface(String ifaceName) {
        stackLoop.locked(() -> {
            if (interfaces.remove(ifaceName)) {
                ethernet.arp().flush(ifaceName);
                observed();
            }
        });
    }

    /** The interface called {@code ifaceName}, or null. */
    public NetInterface iface(String ifaceName) {
        return stackLoop.locked(() -> interfaces.get(ifaceName));
    }

    /** What protocols attached to this stack see of it (for tests that drive a protocol by hand). */
    public StackContext context() {
        return context;
    }

    /** What a DHCP client needs beyond sockets: interface-bound UDP ports and ARP probes. */
    public AutoconfSupport autoconf() {
        return autoconf;
    }

    /** Administration and diagnostics. */
    public NetworkAdmin admin() {
        return admin;
    }

    /**
     * The unrecoverable error (such as OutOfMemoryError) thrown while a received frame was processed
     * or a loop task (a timer) ran, or null while the stack runs. A failed stack receives nothing
     * more; close it.
     */
    public Throwable failure() {
        return failure;
    }

    /** Current tunables. */
    public StackSettings settings() {
        return settings;
    }

    /** Changes tunables at runtime. */
    public void settings(StackSettings s) {
        stackLoop.locked(() -> {
            settings = s;
            ethernet.arp().settings(s.arp());
            reassembler.settings(s.reassemblyTimeoutMillis(), s.reassemblyMaxBytes(), s.reassemblyLowBytes());
            icmpErrorSender.rate(s.icmpErrorsPerSecond(), s.icmpErrorBurst());
            sockets.table().resize(s.maxSockets());
            quotas.resolver(s::ownerQuota);
            sockets.somaxconn(s.somaxconn());
        });
        warmup.request(); // turned on now: warms what is still cold
    }

    /**
     * Waits until the warm-up of the protocols and drivers added so far has finished
     * ({@link StackSettings#warmUp()}): true at once when there is none (off, a simulated loop,
     * already warm in this JVM), false when {@code millis} passed first. The stack works meanwhile;
     * this only tells when its first packets stop paying for cold code.
     */
    public boolean awaitWarmUp(long millis) throws InterruptedException {
        return warmup.await(millis);
    }

    /** Detaches every protocol, closes every link, stops an owned loop. */
    @Override
    public void close() {
        stackLoop.locked(() -> {
            for (TransportProtocol p : protocols.active().keySet()) {
                detach(p);
            }
            interfaces.closeAll();
        });
        if (ownsLoop) {
            ((RealTimeLoop) stackLoop.loop()).close();
        }
    }

    /** Removes {@code p} and detaches its sockets. Caller holds the stack lock. */
    private void detach(TransportProtocol p) {
        ProtocolInstance inst = protocols.remove(p);
        if (inst != null) {
            sockets.detachSocketsOf(inst);
            inst.detach();
            events.protocol(p, false);
            TransportProtocol standby = protocols.activeFor(p);
            if (standby != null) {
                events.protocol(standby, true); // it took over the triple
            }
        }
    }

    /**
     * Registers a listener of this stack's {@link netkit.api.admin.NetworkEvent}s (also
     * {@link NetworkAdmin#addListener}): called on the stack's loop, without the stack lock.
     */
    public void addListener(netkit.api.admin.NetworkListener listener) {
        events.add(listener);
    }

    /** Removes a listener; returns whether it was registered. */
    public boolean removeListener(netkit.api.admin.NetworkListener listener) {
        return events.remove(listener);
    }

    /**
     * The interfaces may have changed: queues the events of what changed since the last look.
     * Caller holds the stack lock.
     */
    void observed() {
        events.observe(interfaces.snapshot(), stackLoop.nanoTime());
    }

    // ---- package collaborators (StackAdmin, tests) ----

    ReentrantLock lock() {
        return stackLoop.lock();
    }

    EventLoop loop() {
        return stackLoop.loop();
    }

    /** The driver called {@code driverName}, or null (for {@link Warmup}). */
    LinkDriver driver(String driverName) {
        return stackLoop.locked(() -> interfaces.driver(driverName));
    }

    /** The transport protocols attached now (for {@link Warmup}). */
    java.util.Set<TransportProtocol> protocolsNow() {
        return stackLoop.locked(() -> protocols.active().keySet());
    }

    /** How many times the socket layer signalled readiness to accept and select waiters (tests). */
    long readinessSignals() {
        return stackLoop.locked(() -> {
            return sockets.readinessSignals();
        });
    }

    /**
     * Receive batches of interface {@code ifaceName} so far, drained by the loop, by socket calls'
     * threads and by the link's receive thread ({@link RxQueue#batches}); null without a link. Takes
     * the stack lock.
     */
    long[] receiveBatches(String ifaceName) {
        return stackLoop.locked(() -> {
            RxQueue q = interfaces.queue(ifaceName);
            return q == null ? null : q.batches();
        });
    }

    Reassembler reassembler() {
        return reassembler;
    }

    /** The counters of the layers below the protocols: IP, ARP and the IP layer's ICMP errors. */
    StackStatistics layerStatistics() {
        return StackStatistics.of(ipCounters.snapshot(), arpCounters.snapshot(), icmpCounters.snapshot());
    }

    // ---- upward calls, resolved when called (see the constructor) ----

    private RxQueue receiverFor(NetInterface iface) {
        RxQueue q = new RxQueue(iface, ethernet::input, stackLoop.loop(), stackLoop.lock(),
                () -> settings.rxQueueFrames(), new RxQueue.Faults() {
                    @Override
                    public void contained(Throwable t) {
                        ipCounters.inc(IpCounter.RX_FAULTS);
                    }

                    @Override
                    public void fatal(Error e) {
                        fail(e);
                    }
                }, callerDrains());
        if (failure != null) {
            q.stop(); // a link (re)opened on a failed stack
        }
        return q;
    }

    /**
     * Whether socket calls' threads may drain this stack's receive queues ({@code RxQueue}, README
     * "Threading"): on a real-time loop unless the system property {@code netkit.callerDrain} is
     * {@code false} (read when a link opens); never on a simulated loop, which drains every frame
     * itself so runs replay exactly.
     */
    private boolean callerDrains() {
        return stackLoop.loop() instanceof RealTimeLoop && !"false".equals(System.getProperty("netkit.callerDrain"));
    }

    /**
     * An unrecoverable error (in a received frame's processing or a loop task such as a timer): the
     * stack stops receiving on every interface. Caller holds the stack lock.
     */
    private void fail(Error e) {
        if (failure == null) {
            failure = e;
        }
        interfaces.stopReceiving();
    }

    private void receiveIp(NetInterface iface, PacketBuffer packet, boolean linkBroadcast, boolean noChecksum) {
        ipInput.input(iface, packet, linkBroadcast, noChecksum);
    }

    private ProtocolInstance protocol(int ipProtocolNumber) {
        return protocols.byIpNumber(ipProtocolNumber);
    }

    private ProtocolInstance rawProtocol(int ipProtocolNumber) {
        return protocols.rawByIpNumber(ipProtocolNumber);
    }

    private void readinessChanged() {
        sockets.readinessChanged();
    }

    @Override
    public String toString() {
        return "Stack[" + name + "]";
    }
}
