package netkit.stack.osgi;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.admin.ArpEntry;
import netkit.api.admin.DynamicAddress;
import netkit.api.admin.InterfaceStatus;
import netkit.api.spi.autoconf.ArpProbe;
import netkit.api.spi.autoconf.AutoconfSupport;
import netkit.api.spi.autoconf.InterfacePort;
import netkit.api.spi.protocol.StackContext;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.spi.support.SettingsUpdate;
import netkit.api.stats.StackStatistics;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The socket manager as a Declarative Services component: runs one {@link Stack} and feeds it the
 * transport protocols and link drivers that come and go as services. A thin wrapper: all logic
 * lives in the plain-Java stack.
 */
@Component(configurationPid = "netkit.stack", service = {StackHolder.class, NetworkAdmin.class, AutoconfSupport.class},
        immediate = true)
@Designate(ocd = StackComponent.Config.class)
public final class StackComponent implements StackHolder, NetworkAdmin, AutoconfSupport {

    /** Tunables of the stack (PID {@code netkit.stack}). */
    @ObjectClassDefinition(name = "netkit stack", description = "The IPv4 socket manager: socket table and quotas, ARP, IPv4 reassembly, ICMP errors (PID netkit.stack; file etc/netkit.stack.cfg)")
    public @interface Config {
        /** Stack name. */
        @AttributeDefinition(name = "Stack name", description = "Name shown by the console")
        String name() default "netkit";

        /** Socket table bound. */
        @AttributeDefinition(name = "Maximum sockets", description = "Sockets open at once before EMFILE", min = "1")
        int maxSockets() default 4096;

        /** Whether lo0 is created. */
        @AttributeDefinition(name = "Create lo0", description = "Create lo0 127.0.0.1/8 on the loopback driver")
        boolean loopback() default true;

        /** Default socket quota of a bundle. */
        @AttributeDefinition(name = "Sockets per bundle", description = "Sockets one bundle may hold before EMFILE "
                + "(-1: a quarter of maxSockets); factory PID netkit.quota overrides it for one bundle", min = "-1")
        int socketsPerBundle() default -1;

        /** Default buffer quota of a bundle. */
        @AttributeDefinition(name = "Buffer KiB per bundle", description = "KiB of socket buffers (SO_SNDBUF + "
                + "SO_RCVBUF) one bundle may reserve before ENOBUFS (-1: 512 KiB for each socket of its socket quota)",
                min = "-1")
        int bufferKiBPerBundle() default -1;

        /** ARP reachable time. */
        @AttributeDefinition(name = "ARP reachable time (s)", description = "Seconds an ARP entry stays REACHABLE", min = "1")
        int arpReachableSeconds() default 30;

        /** ARP queue per neighbour (Linux unres_qlen_bytes). */
        @AttributeDefinition(name = "ARP queue per neighbour (KiB)",
                description = "KiB of packets queued per unresolved neighbour (Linux unres_qlen_bytes)", min = "0")
        int arpQueueKiBPerNeighbour() default 208;

        /** ARP queue across neighbours. */
        @AttributeDefinition(name = "ARP queue total (KiB)",
                description = "KiB of packets queued across all unresolved neighbours", min = "0")
        int arpQueueKiBTotal() default 4096;

        /** Reassembly timeout. */
        @AttributeDefinition(name = "Reassembly timeout (s)", description = "Seconds to wait for missing fragments (RFC 1122 3.3.2)", min = "1")
        int reassemblyTimeoutSeconds() default 30;

        /** Reassembly memory high threshold (Linux ipfrag_high_thresh). */
        @AttributeDefinition(name = "Reassembly memory (KiB)", description = "KiB all incomplete datagrams may hold; past it the oldest are evicted",
                min = "64")
        int reassemblyMaxKiB() default 4096;

        /** Reassembly memory low threshold (Linux ipfrag_low_thresh). */
        @AttributeDefinition(name = "Reassembly low mark (KiB)", description = "KiB eviction brings reassembly memory under; -1: 3/4 of reassemblyMaxKiB",
                min = "-1")
        int reassemblyLowKiB() default -1;

        /** ICMP error rate. */
        @AttributeDefinition(name = "ICMP errors per second", description = "ICMP errors per second (rate limit)", min = "1")
        int icmpErrorsPerSecond() default 100;

        /** Listen backlog ceiling. */
        @AttributeDefinition(name = "Listen backlog ceiling (somaxconn)", description = "Largest listen backlog; larger ones are clamped to it "
                + "(Linux net.core.somaxconn)", min = "1")
        int somaxconn() default 4096;

        /** Warm-up of the cold paths at start. */
        @AttributeDefinition(name = "Warm up at start", description = "Load and run the ICMP echo, UDP and TCP code "
                + "once at start on a private throw-away stack in the background, so the first packets do not pay "
                + "for class loading (the first ping of 127.0.0.1 in under 1 ms instead of tens)")
        boolean warmUp() default true;
    }

    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(StackComponent.class);

    private final List<TransportProtocol> protocols = new CopyOnWriteArrayList<>();
    private final List<LinkDriver> drivers = new CopyOnWriteArrayList<>();
    private volatile Stack stack;
    private SocketManagerService sockets; // guarded by this

    @Activate
    void activate(Config config, Map<String, Object> properties, BundleContext context) {
        String name = value(config::name, "netkit");
        Stack s = new Stack(name, null, settings(StackSettings.defaults(), config, properties), System.nanoTime());
        byte[] key = InstallationKey.of(context);
        if (key != null) {
            s.macKey(key);
        }
        synchronized (this) {
            drivers.forEach(s::addDriver);
            protocols.forEach(s::addProtocol);
            stack = s;
        }
        if (value(config::loopback, true)) {
            s.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        }
        if (context != null) { // null in plain-Java tests of the settings
            synchronized (this) {
                sockets = SocketManagerService.register(context, s, protocolNames(null));
            }
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        stack.settings(settings(stack.settings(), config, properties));
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (sockets != null) {
                sockets.unregister();
                sockets = null;
            }
        }
        Stack s = stack;
        stack = null;
        if (s != null) {
            s.close();
        }
    }

    /**
     * {@code previous} changed by the configuration; a value that cannot be read or that the
     * settings builders refuse is logged and keeps its previous value.
     */
    private static StackSettings settings(StackSettings previous, Config c, Map<String, Object> properties) {
        return new SettingsUpdate<>("netkit.stack", previous, StackSettings::toBuilder, StackSettings.Builder::build,
                properties, LOG)
                .set("maxSockets", c::maxSockets, StackSettings.Builder::maxSockets)
                .set("socketsPerBundle", c::socketsPerBundle, StackSettings.Builder::socketsPerOwner)
                .set("bufferKiBPerBundle", c::bufferKiBPerBundle,
                        (b, kib) -> b.bufferBytesPerOwner(kib == -1 ? -1 : kib * 1024L))
                .set("arpReachableSeconds", c::arpReachableSeconds,
                        (b, sec) -> b.arp(a -> a.reachable(sec * 1000L)))
                .set("arpQueueKiBPerNeighbour", c::arpQueueKiBPerNeighbour,
                        (b, kib) -> b.arp(a -> a.queueBytesPerNeighbour(Math.multiplyExact(kib, 1024))))
                .set("arpQueueKiBTotal", c::arpQueueKiBTotal,
                        (b, kib) -> b.arp(a -> a.queueBytesTotal(Math.multiplyExact(kib, 1024))))
                .set("reassemblyTimeoutSeconds", c::reassemblyTimeoutSeconds,
                        (b, sec) -> b.reassemblyTimeout(sec * 1000L))
                .set("reassemblyMaxKiB", c::reassemblyMaxKiB,
                        (b, kib) -> b.reassemblyMaxBytes(Math.multiplyExact(kib, 1024)))
                .set("reassemblyLowKiB", c::reassemblyLowKiB,
                        (b, kib) -> b.reassemblyLowBytes(kib < 0 ? -1 : Math.multiplyExact(kib, 1024)))
                .set("icmpErrorsPerSecond", c::icmpErrorsPerSecond, (b, rate) -> b.icmpErrorsPerSecond(rate))
                .set("somaxconn", c::somaxconn, StackSettings.Builder::somaxconn)
                .set("warmUp", c::warmUp, StackSettings.Builder::warmUp)
                .apply();
    }

    /** A property that cannot go wrong in practice (a string, a boolean), guarded all the same. */
    private static <T> T value(Supplier<T> property, T fallback) {
        try {
            return property.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration netkit.stack: " + e.getMessage() + "; using " + fallback);
            return fallback;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addProtocol(TransportProtocol p) {
        protocols.add(p);
        if (stack != null) {
            stack.addProtocol(p);
        }
        if (sockets != null) {
            sockets.protocols(protocolNames(null)); // after the stack has it: a consumer bound now can use it
        }
    }

    synchronized void removeProtocol(TransportProtocol p) {
        if (sockets != null) {
            sockets.protocols(protocolNames(p)); // before the stack loses it: its consumers leave first
        }
        protocols.remove(p);
        if (stack != null) {
            stack.removeProtocol(p);
        }
    }

    /** The names of the protocols present, less {@code leaving}. */
    private List<String> protocolNames(TransportProtocol leaving) {
        return protocols.stream().filter(p -> p != leaving).map(TransportProtocol::name).distinct().toList();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addDriver(LinkDriver d) {
        drivers.add(d);
        if (stack != null) {
            stack.addDriver(d);
        }
    }

    synchronized void removeDriver(LinkDriver d) {
        drivers.remove(d);
        if (stack != null) {
            stack.removeDriver(d);
        }
    }

    @Override
    public Stack stack() {
        return stack;
    }

    // ---- NetworkAdmin by delegation ----

    @Override
    public String stackName() {
        return stack.admin().stackName();
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        return stack.admin().interfaces();
    }

    @Override
    public List<RouteEntry> routes() {
        return stack.admin().routes();
    }

    @Override
    public void addRoute(int destination, int prefix, int gateway, String iface, int metric) throws ErrnoException {
        stack.admin().addRoute(destination, prefix, gateway, iface, metric);
    }

    @Override
    public void deleteRoute(int destination, int prefix) throws ErrnoException {
        stack.admin().deleteRoute(destination, prefix);
    }

    @Override
    public void setDynamicAddress(String iface, DynamicAddress address) throws ErrnoException {
        stack.admin().setDynamicAddress(iface, address);
    }

    @Override
    public boolean clearDynamicAddress(String iface) {
        return stack.admin().clearDynamicAddress(iface);
    }

    @Override
    public StackContext context() {
        return stack.autoconf().context();
    }

    @Override
    public InterfacePort bind(String iface, int port, DatagramHandler handler) throws ErrnoException {
        return stack.autoconf().bind(iface, port, handler);
    }

    @Override
    public ArpProbe probe(String iface, int address, ConflictHandler handler) throws ErrnoException {
        return stack.autoconf().probe(iface, address, handler);
    }

    @Override
    public void addListener(netkit.api.admin.NetworkListener listener) {
        stack.admin().addListener(listener);
    }

    @Override
    public boolean removeListener(netkit.api.admin.NetworkListener listener) {
        return stack.admin().removeListener(listener);
    }

    @Override
    public List<ArpEntry> arp() {
        return stack.admin().arp();
    }

    @Override
    public int flushArp(String iface) {
        return stack.admin().flushArp(iface);
    }

    @Override
    public void attachTap(String iface, netkit.api.admin.FrameTap tap) throws ErrnoException {
        stack.admin().attachTap(iface, tap);
    }

    @Override
    public netkit.api.admin.FrameTap detachTap(String iface) {
        return stack.admin().detachTap(iface);
    }

    @Override
    public List<SocketStatus> sockets() {
        return stack.admin().sockets();
    }

    @Override
    public List<netkit.api.admin.OwnerUsage> owners() {
        return stack.admin().owners();
    }

    @Override
    public StackStatistics statistics() {
        return stack.admin().statistics();
    }
}
