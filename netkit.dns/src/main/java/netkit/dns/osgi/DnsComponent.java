package netkit.dns.osgi;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import netkit.api.ErrnoException;
import netkit.api.SocketManager;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.netdb.ResolverCounter;
import netkit.api.netdb.ServiceEntry;
import netkit.api.spi.support.SettingsUpdate;
import netkit.api.stats.CounterSnapshot;
import netkit.dns.Resolver;
import netkit.dns.ResolverSettings;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The resolver as the {@link NetDb} service (PID {@code netkit.dns}): a thin wrapper around
 * {@link Resolver}. It also tracks {@link ResolverConfiguration} services (a DHCP client registers
 * one per leased interface) and uses their name servers and search domains after its own, in
 * service ranking order.
 */
@Component(service = NetDb.class, configurationPid = "netkit.dns")
@Designate(ocd = DnsComponent.Config.class)
public final class DnsComponent implements NetDb {
    /** Resolver settings. */
    @ObjectClassDefinition(name = "netkit resolver", description = "Host and service names: hosts table, "
            + "services table and a DNS stub resolver (RFC 1035, RFC 1123 6.1)")
    public @interface Config {
        /** Name servers. */
        @AttributeDefinition(name = "Name servers", description = "IPv4 addresses of name servers (port 53), asked "
                + "in this order before those a DHCP lease brings (at most 8)")
        String[] nameservers() default {};

        /** Search list. */
        @AttributeDefinition(name = "Search domains", description = "Domains appended to names with fewer than "
                + "ndots dots (tried first) or more (tried after the name as it is); at most 6")
        String[] search() default {};

        /** ndots. */
        @AttributeDefinition(name = "ndots", description = "Dots a name needs to be tried as it is before the search list (0..15)",
                min = "0", max = "15")
        int ndots() default 1;

        /** Per-try timeout. */
        @AttributeDefinition(name = "Timeout (ms)", description = "How long one try waits for one name server "
                + "(1..60000)", min = "1", max = "60000")
        int timeoutMillis() default 5000;

        /** Attempts. */
        @AttributeDefinition(name = "Attempts", description = "Rounds over all name servers before a lookup fails with TRY_AGAIN (1..5)",
                min = "1", max = "5")
        int attempts() default 2;

        /** Rotation. */
        @AttributeDefinition(name = "Rotate", description = "Start each query at the next name server (round robin) instead of the "
                + "first")
        boolean rotate() default false;

        /** Host name. */
        @AttributeDefinition(name = "Host name", description = "This host's name (gethostname; the hosts table maps "
                + "it to the interfaces' addresses); empty: the stack's name")
        String hostname() default "";

        /** Hosts entries. */
        @AttributeDefinition(name = "Hosts entries", description = "Static hosts table lines, "
                + "'ADDRESS NAME [ALIAS...]' each, consulted before DNS")
        String[] hosts() default {};

        /** Services entries. */
        @AttributeDefinition(name = "Services entries", description = "Services table lines, "
                + "'NAME PORT/PROTOCOL [ALIAS...]' each, before the built-in /etc/services subset")
        String[] services() default {};

        /** Cache bound. */
        @AttributeDefinition(name = "Cache entries", description = "Names (per record type) the cache holds at most; "
                + "the least recently used go first (1..65536)", min = "1", max = "65536")
        int cacheEntries() default 512;
    }

    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(DnsComponent.class);

    private final Map<ServiceReference<?>, ResolverConfiguration> sources =
            new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a)); // highest ranking first
    private final Resolver resolver;

    @Activate
    public DnsComponent(@Reference SocketManager sockets, @Reference NetworkAdmin admin, Config config,
            Map<String, Object> properties) {
        this.resolver = new Resolver(sockets, System::nanoTime, new SecureRandom(), () -> ownAddresses(admin),
                admin.stackName(), settings(ResolverSettings.defaults(), config, properties));
        resolver.sources(List.copyOf(sources.values()));
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        resolver.settings(settings(resolver.settings(), config, properties));
    }

    /** {@code previous} changed by the configuration; a bad value is logged in one line and keeps its previous value. */
    static ResolverSettings settings(ResolverSettings previous, Config c, Map<String, Object> properties) {
        return new SettingsUpdate<>("netkit.dns", previous, ResolverSettings::toBuilder, ResolverSettings.Builder::build,
                properties, LOG)
                .set("nameservers", () -> split(c.nameservers(), "[,\\s]+"), ResolverSettings.Builder::nameServers)
                .set("search", () -> split(c.search(), "[,\\s]+"), ResolverSettings.Builder::search)
                .set("ndots", c::ndots, ResolverSettings.Builder::ndots)
                .set("timeoutMillis", c::timeoutMillis, ResolverSettings.Builder::timeoutMillis)
                .set("attempts", c::attempts, ResolverSettings.Builder::attempts)
                .set("rotate", c::rotate, ResolverSettings.Builder::rotate)
                .set("hostname", c::hostname, ResolverSettings.Builder::hostname)
                .set("hosts", () -> split(c.hosts(), ","), ResolverSettings.Builder::hosts)
                .set("services", () -> split(c.services(), ","), ResolverSettings.Builder::services)
                .set("cacheEntries", c::cacheEntries, ResolverSettings.Builder::cacheEntries)
                .apply();
    }

    /**
     * A .cfg file (FileInstall) gives one string where Config Admin could give an array: several
     * values in one string are separated by {@code separator} (commas; also spaces for addresses and
     * domains). Empty pieces are dropped.
     */
    private static String[] split(String[] values, String separator) {
        return java.util.Arrays.stream(values).flatMap(v -> java.util.Arrays.stream(v.split(separator)))
                .map(String::trim).filter(v -> !v.isEmpty()).toArray(String[]::new);
    }

    private static List<Integer> ownAddresses(NetworkAdmin admin) {
        return admin.interfaces().stream()
                .filter(i -> i.up() && i.address() != 0 && i.linkKind() != InterfaceStatus.LinkKind.LOOPBACK)
                .map(InterfaceStatus::address).toList();
    }

    // the constructor runs before any bind: sources bound earlier are handed over there
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(ResolverConfiguration c, ServiceReference<ResolverConfiguration> ref) {
        sources.put(ref, c);
        update();
    }

    void removeSource(ResolverConfiguration c, ServiceReference<ResolverConfiguration> ref) {
        sources.remove(ref);
        update();
    }

    void updatedSource(ResolverConfiguration c, ServiceReference<ResolverConfiguration> ref) {
        sources.put(ref, c);
        update();
    }

    private void update() {
        Resolver r = resolver;
        if (r != null) {
            r.sources(List.copyOf(sources.values()));
        }
    }

    @Override
    public HostEntry gethostbyname(String name) throws NetDbException {
        return resolver.gethostbyname(name);
    }

    @Override
    public HostEntry gethostbyaddr(int address) throws NetDbException {
        return resolver.gethostbyaddr(address);
    }

    @Override
    public String gethostname() {
        return resolver.gethostname();
    }

    @Override
    public void sethostname(String name) throws ErrnoException {
        resolver.sethostname(name);
    }

    @Override
    public Optional<ServiceEntry> getservbyname(String name, String protocol) {
        return resolver.getservbyname(name, protocol);
    }

    @Override
    public Optional<ServiceEntry> getservbyport(int port, String protocol) {
        return resolver.getservbyport(port, protocol);
    }

    @Override
    public ResolverConfiguration configuration() {
        return resolver.configuration();
    }

    @Override
    public CounterSnapshot<ResolverCounter> statistics() {
        return resolver.statistics();
    }
}
