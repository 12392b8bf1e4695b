package netkit.stack.osgi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.admin.ArpEntry;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.stats.StackStatistics;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.arp.ArpSettings;
import netkit.stack.iface.InterfaceConfig;
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
@Component(configurationPid = "netkit.stack", service = {StackHolder.class, NetworkAdmin.class}, immediate = true)
@Designate(ocd = StackComponent.Config.class)
public final class StackComponent implements StackHolder, NetworkAdmin {

    /** Tunables of the stack (PID {@code netkit.stack}). */
    @ObjectClassDefinition(name = "netkit stack", description = "The IPv4 socket manager")
    public @interface Config {
        /** Stack name. */
        @AttributeDefinition(description = "Name shown by the console")
        String name() default "netkit";

        /** Socket table bound. */
        @AttributeDefinition(description = "Sockets open at once before EMFILE", min = "1")
        int maxSockets() default 4096;

        /** Whether lo0 is created. */
        @AttributeDefinition(description = "Create lo0 127.0.0.1/8 on the loopback driver")
        boolean loopback() default true;

        /** ARP reachable time. */
        @AttributeDefinition(description = "Seconds an ARP entry stays REACHABLE", min = "1")
        int arpReachableSeconds() default 30;

        /** Reassembly timeout. */
        @AttributeDefinition(description = "Seconds to wait for missing fragments (RFC 1122 3.3.2)", min = "1")
        int reassemblyTimeoutSeconds() default 30;

        /** Reassembly memory high threshold (Linux ipfrag_high_thresh). */
        @AttributeDefinition(description = "KiB all incomplete datagrams may hold; past it the oldest are evicted",
                min = "64")
        int reassemblyMaxKiB() default 4096;

        /** Reassembly memory low threshold (Linux ipfrag_low_thresh). */
        @AttributeDefinition(description = "KiB eviction brings reassembly memory under; -1: 3/4 of reassemblyMaxKiB",
                min = "-1")
        int reassemblyLowKiB() default -1;

        /** ICMP error rate. */
        @AttributeDefinition(description = "ICMP errors per second (rate limit)", min = "1")
        int icmpErrorsPerSecond() default 100;
    }

    private final List<TransportProtocol> protocols = new CopyOnWriteArrayList<>();
    private final List<LinkDriver> drivers = new CopyOnWriteArrayList<>();
    private volatile Stack stack;

    @Activate
    void activate(Config config) {
        Stack s = new Stack(config.name(), null, settings(config), System.nanoTime());
        synchronized (this) {
            drivers.forEach(s::addDriver);
            protocols.forEach(s::addProtocol);
            stack = s;
        }
        if (config.loopback()) {
            s.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        }
    }

    @Modified
    void modified(Config config) {
        stack.settings(settings(config));
    }

    @Deactivate
    void deactivate() {
        Stack s = stack;
        stack = null;
        if (s != null) {
            s.close();
        }
    }

    private static StackSettings settings(Config c) {
        return StackSettings.builder()
                .maxSockets(c.maxSockets())
                .arp(ArpSettings.builder().reachable(c.arpReachableSeconds() * 1000L).build())
                .reassemblyTimeout(c.reassemblyTimeoutSeconds() * 1000L)
                .reassemblyMaxBytes(c.reassemblyMaxKiB() * 1024)
                .reassemblyLowBytes(c.reassemblyLowKiB() < 0 ? -1 : c.reassemblyLowKiB() * 1024)
                .icmpErrorsPerSecond(c.icmpErrorsPerSecond())
                .build();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addProtocol(TransportProtocol p) {
        protocols.add(p);
        if (stack != null) {
            stack.addProtocol(p);
        }
    }

    synchronized void removeProtocol(TransportProtocol p) {
        protocols.remove(p);
        if (stack != null) {
            stack.removeProtocol(p);
        }
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
    public StackStatistics statistics() {
        return stack.admin().statistics();
    }
}
