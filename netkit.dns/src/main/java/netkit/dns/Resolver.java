package netkit.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.HostError;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverConfiguration;
import netkit.api.netdb.ResolverCounter;
import netkit.api.netdb.ServiceEntry;
import netkit.api.stats.CounterSet;
import netkit.api.stats.CounterSnapshot;

/**
 * A stub resolver (RFC 1035 §7, RFC 1123 §6.1) with the hosts and services tables: the plain-Java
 * {@link NetDb}. Host lookups go to the hosts table, then the cache, then the name servers: the
 * configured ones, then those of {@linkplain #sources other sources} (DHCP leases). Each try of a
 * query waits {@code timeoutMillis} for one server, then the next server is tried; {@code attempts}
 * rounds over all servers are made (resolv.conf's {@code timeout}, {@code attempts}; {@code rotate}
 * starts each query at the next server). A truncated UDP response is asked again over TCP (RFC 1123
 * §6.1.3.2). A CNAME chain is followed through the answer and, where it ends without the data, by
 * asking for its end, at most {@value #MAX_CNAMES} names in all. Query IDs come from the random
 * generator given (the stack's secrets in a runtime); every try uses a socket of its own, so its
 * source port is a fresh random ephemeral port (RFC 5452 §9.2). Time is the stack's loop clock.
 */
public final class Resolver implements NetDb {
    /** Longest CNAME chain followed (names after the one asked for). */
    static final int MAX_CNAMES = 8;

    private final SocketManager sockets;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final Supplier<List<Integer>> localAddresses;
    private final String defaultHostname;
    private final CounterSet<ResolverCounter> counters = new CounterSet<>(ResolverCounter.class);
    private final Exchange exchange;
    private final ResolverCache cache;
    private final AtomicInteger rotation = new AtomicInteger();
    private volatile ResolverSettings settings;
    private volatile List<ResolverConfiguration> sources = List.of();
    private volatile String hostname;
    private volatile HostsTable hosts;
    private volatile ServicesTable services;

    /**
     * @param sockets the socket API the queries go through
     * @param clock the stack's loop clock, nanoseconds
     * @param random where query IDs come from (a {@code SecureRandom}; seeded in tests)
     * @param localAddresses this host's interface addresses other than loopback (the hosts table's
     *                       answer for its own name)
     * @param defaultHostname the host's name when the settings name none (the stack's name)
     * @param settings the settings
     */
    public Resolver(SocketManager sockets, LongSupplier clock, RandomGenerator random,
            Supplier<List<Integer>> localAddresses, String defaultHostname, ResolverSettings settings) {
        this.sockets = sockets;
        this.clock = clock;
        this.random = random;
        this.localAddresses = localAddresses;
        this.defaultHostname = defaultHostname;
        this.exchange = new Exchange(sockets, clock, counters);
        this.cache = new ResolverCache(settings.cacheEntries(), counters);
        settings(settings);
    }

    /** New settings; the host name returns to the configured one, the cache is emptied when the servers changed. */
    public synchronized void settings(ResolverSettings s) {
        ResolverSettings old = settings;
        settings = s;
        hostname = s.hostname().isEmpty() ? defaultHostname : s.hostname();
        hosts = new HostsTable(s.hosts(), hostname, localAddresses);
        services = new ServicesTable(s.services());
        cache.capacity(s.cacheEntries());
        if (old != null && !old.nameServers().equals(s.nameServers())) {
            cache.clear();
        }
    }

    /** The settings in force. */
    public ResolverSettings settings() {
        return settings;
    }

    /** Name servers and search domains from other sources (DHCP), most preferred first; used after the configured ones. */
    public void sources(List<ResolverConfiguration> others) {
        sources = List.copyOf(others);
    }

    @Override
    public ResolverConfiguration configuration() {
        ResolverSettings s = settings;
        Set<Integer> servers = new LinkedHashSet<>(s.nameServers());
        Set<String> search = new LinkedHashSet<>(s.search());
        for (ResolverConfiguration c : sources) {
            servers.addAll(c.nameServers());
            search.addAll(c.searchDomains());
        }
        return new ResolverConfiguration("effective",
                servers.stream().limit(ResolverSettings.MAX_SERVERS).toList(),
                search.stream().filter(DnsName::valid).limit(ResolverSettings.MAX_SEARCH).toList());
    }

    @Override
    public HostEntry gethostbyname(String name) throws NetDbException {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty()) {
            throw new NetDbException(HostError.HOST_NOT_FOUND, "empty host name");
        }
        try {
            return new HostEntry(n, List.of(), List.of(SockAddr.parseAddress(n)));
        } catch (IllegalArgumentException notAQuad) {
            // a name
        }
        boolean absolute = n.endsWith(".");
        String bare = absolute ? n.substring(0, n.length() - 1) : n;
        HostEntry local = hosts.byName(bare);
        if (local != null) {
            counters.inc(ResolverCounter.HOSTS_HITS);
            return local;
        }
        if (!DnsName.valid(bare)) {
            throw new NetDbException(HostError.NO_RECOVERY, "'" + name + "' is not a valid domain name");
        }
        ResolverConfiguration config = configuration();
        NetDbException failure = null;
        for (String candidate : candidates(bare, absolute, config.searchDomains())) {
            try {
                Answer a = lookup(candidate, DnsMessage.TYPE_A, config);
                return new HostEntry(a.canonical(), a.aliases(), a.addresses());
            } catch (NetDbException e) {
                failure = worse(failure, e);
            }
        }
        throw failure;
    }

    /**
     * The names to try, in order (resolv.conf semantics): an absolute name alone; a name with at
     * least {@code ndots} dots as it is, then with each search domain; another with each search
     * domain, then as it is (RFC 1123 §6.1.4.3 leaves the rule to the implementation).
     */
    List<String> candidates(String name, boolean absolute, List<String> search) {
        List<String> out = new ArrayList<>();
        if (absolute) {
            out.add(name);
            return out;
        }
        long dots = name.chars().filter(c -> c == '.').count();
        boolean asIsFirst = dots >= settings.ndots();
        if (asIsFirst) {
            out.add(name);
        }
        for (String domain : search) {
            String full = name + "." + domain;
            if (DnsName.valid(full)) {
                out.add(full);
            }
        }
        if (!asIsFirst) {
            out.add(name);
        }
        return out;
    }

    /** Which failure a search reports (as glibc): NO_DATA over TRY_AGAIN over NO_RECOVERY over HOST_NOT_FOUND. */
    private static NetDbException worse(NetDbException a, NetDbException b) {
        return a == null || rank(b.error()) > rank(a.error()) ? b : a;
    }

    private static int rank(HostError e) {
        return switch (e) {
            case HOST_NOT_FOUND -> 0;
            case NO_RECOVERY -> 1;
            case TRY_AGAIN -> 2;
            case NO_DATA -> 3;
        };
    }

    @Override
    public HostEntry gethostbyaddr(int address) throws NetDbException {
        HostEntry local = hosts.byAddress(address);
        if (local != null) {
            counters.inc(ResolverCounter.HOSTS_HITS);
            return local;
        }
        Answer a = lookup(DnsName.reverse(address), DnsMessage.TYPE_PTR, configuration());
        List<String> names = a.names();
        return new HostEntry(names.get(0), names.subList(1, names.size()), List.of(address));
    }

    /** One absolute name and type: from the cache, else from the name servers (then cached). */
    private Answer lookup(String name, int type, ResolverConfiguration config) throws NetDbException {
        ResolverCache.Entry cached = cache.get(name, type, clock.getAsLong());
        if (cached != null) {
            if (cached.answer() != null) {
                return cached.answer();
            }
            throw new NetDbException(cached.negative(), describe(name, cached.negative()) + " (cached)");
        }
        List<String> aliases = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        String current = name;
        while (true) {
            DnsMessage r = ask(current, type, config);
            Chain c = Chain.follow(r, current, type, MAX_CNAMES - aliases.size());
            aliases.addAll(c.aliases());
            ttl = Math.min(ttl, c.ttl());
            if (c.hasData()) {
                Answer a = new Answer(c.end(), aliases, c.addresses(), c.names(), ttl);
                cache.put(name, type, a, clock.getAsLong());
                return a;
            }
            if (c.tooLong()) {
                throw new NetDbException(HostError.NO_RECOVERY, name + ": CNAME chain longer than " + MAX_CNAMES);
            }
            if (r.rcode() == DnsMessage.NXDOMAIN || c.aliases().isEmpty()) {
                // the chain's end does not exist (RFC 6604: the RCODE is about the last name), or has no such data
                HostError e = r.rcode() == DnsMessage.NXDOMAIN ? HostError.HOST_NOT_FOUND : HostError.NO_DATA;
                long negative = negativeTtl(r);
                cache.putNegative(name, type, e, negative < 0 ? -1 : Math.min(negative, ttl), clock.getAsLong());
                throw new NetDbException(e, describe(name, e));
            }
            if (!DnsName.valid(c.end())) {
                throw new NetDbException(HostError.NO_RECOVERY, name + ": CNAME to '" + c.end() + "', not a host name");
            }
            current = c.end(); // the chain ended at a name whose data the response did not carry: ask for it
        }
    }

    /** RFC 2308 §5: the SOA's TTL or MINIMUM, whichever is less; -1 (not cached) without an SOA. */
    private static long negativeTtl(DnsMessage r) {
        for (ResourceRecord rr : r.authority()) {
            if (rr.type() == DnsMessage.TYPE_SOA) {
                return Math.min(rr.ttl(), rr.soaMinimum());
            }
        }
        return -1;
    }

    private static String describe(String name, HostError e) {
        return switch (e) {
            case HOST_NOT_FOUND -> name + ": no such name (NXDOMAIN)";
            case NO_DATA -> name + ": the name has no record of the type asked for";
            case TRY_AGAIN -> name + ": no name server answered";
            case NO_RECOVERY -> name + ": the name servers refused";
        };
    }

    /**
     * Asks the name servers: {@code attempts} rounds over them, each try waiting {@code timeoutMillis}.
     * Returns the first NOERROR or NXDOMAIN response (asked again over TCP when truncated).
     */
    private DnsMessage ask(String name, int type, ResolverConfiguration config) throws NetDbException {
        ResolverSettings s = settings;
        List<Integer> servers = config.nameServers();
        if (servers.isEmpty()) {
            throw new NetDbException(HostError.TRY_AGAIN, name + ": no name server is configured");
        }
        int n = servers.size();
        int start = s.rotate() ? Math.floorMod(rotation.getAndIncrement(), n) : 0;
        long timeout = s.timeoutMillis() * 1_000_000L;
        boolean onlyRefusals = true;
        for (int attempt = 0; attempt < s.attempts(); attempt++) {
            for (int k = 0; k < n; k++) {
                int server = servers.get((start + k) % n);
                byte[] query = DnsMessage.query(random.nextInt(0x10000), name, type);
                DnsMessage r;
                try {
                    r = exchange.udp(query, name, type, server, timeout);
                    if (r != null && r.truncated()) {
                        counters.inc(ResolverCounter.TRUNCATED);
                        r = exchange.tcp(DnsMessage.query(random.nextInt(0x10000), name, type), name, type, server,
                                timeout);
                    }
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EINTR) {
                        Thread.currentThread().interrupt();
                        throw new NetDbException(HostError.TRY_AGAIN, name + ": interrupted");
                    }
                    onlyRefusals = false;
                    continue;
                }
                if (r == null) {
                    onlyRefusals = false;
                    continue;
                }
                int rcode = r.rcode();
                if (rcode == DnsMessage.NOERROR || rcode == DnsMessage.NXDOMAIN) {
                    return r;
                }
                counters.inc(ResolverCounter.SERVER_FAILURES);
                if (rcode == DnsMessage.SERVFAIL) {
                    onlyRefusals = false;
                }
            }
        }
        HostError e = onlyRefusals ? HostError.NO_RECOVERY : HostError.TRY_AGAIN;
        throw new NetDbException(e, describe(name, e));
    }

    @Override
    public String gethostname() {
        return hostname;
    }

    @Override
    public synchronized void sethostname(String name) throws ErrnoException {
        if (name == null || !DnsName.valid(name)) {
            throw new ErrnoException(Errno.EINVAL, "not a host name: '" + name + "'");
        }
        hostname = name;
        hosts = new HostsTable(settings.hosts(), name, localAddresses);
    }

    @Override
    public Optional<ServiceEntry> getservbyname(String name, String protocol) {
        return services.byName(name, protocol);
    }

    @Override
    public Optional<ServiceEntry> getservbyport(int port, String protocol) {
        return services.byPort(port, protocol);
    }

    @Override
    public CounterSnapshot<ResolverCounter> statistics() {
        return counters.snapshot();
    }

    /** Entries in the cache (for tests). */
    int cached() {
        return cache.size();
    }
}
