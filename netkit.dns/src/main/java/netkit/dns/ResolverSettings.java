package netkit.dns;

import java.util.ArrayList;
import java.util.List;
import netkit.api.SockAddr;
import netkit.api.netdb.ServiceEntry;

/**
 * The resolver's settings (resolv.conf's, and the tables'), immutable; {@link Builder#build()}
 * refuses values out of range.
 *
 * @param nameServers IPv4 addresses (host order) asked in this order, at most {@value #MAX_SERVERS}
 * @param search search domains, at most {@value #MAX_SEARCH}
 * @param ndots a name with at least this many dots is tried as it is before the search list (0..15)
 * @param timeoutMillis how long one try waits for one server (1..60000)
 * @param attempts rounds over all servers (1..5)
 * @param rotate whether each query starts at the next server (round robin) instead of the first
 * @param hostname this host's name; empty: the stack's name
 * @param hosts hosts table entries
 * @param services services table entries (before the built-in ones)
 * @param cacheEntries most names (and types) the cache holds (1..65536)
 */
public record ResolverSettings(List<Integer> nameServers, List<String> search, int ndots, int timeoutMillis,
        int attempts, boolean rotate, String hostname, List<HostsTable.Entry> hosts, List<ServiceEntry> services,
        int cacheEntries) {
    /** Most name servers (resolv.conf's MAXNS is 3; DHCP may add more after the configured ones). */
    public static final int MAX_SERVERS = 8;
    /** Most search domains (resolv.conf's historical MAXDNSRCH). */
    public static final int MAX_SEARCH = 6;

    /** Copies the lists. */
    public ResolverSettings {
        nameServers = List.copyOf(nameServers);
        search = List.copyOf(search);
        hosts = List.copyOf(hosts);
        services = List.copyOf(services);
    }

    /** Linux's defaults: no server, no search list, ndots 1, 5 s, 2 attempts, no rotation; 512 cache entries. */
    public static ResolverSettings defaults() {
        return new ResolverSettings(List.of(), List.of(), 1, 5000, 2, false, "", List.of(), List.of(), 512);
    }

    /** A builder starting from defaults. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds checked settings. */
    public static final class Builder {
        private List<Integer> nameServers;
        private List<String> search;
        private int ndots;
        private int timeoutMillis;
        private int attempts;
        private boolean rotate;
        private String hostname;
        private List<HostsTable.Entry> hosts;
        private List<ServiceEntry> services;
        private int cacheEntries;

        private Builder(ResolverSettings s) {
            nameServers = s.nameServers;
            search = s.search;
            ndots = s.ndots;
            timeoutMillis = s.timeoutMillis;
            attempts = s.attempts;
            rotate = s.rotate;
            hostname = s.hostname;
            hosts = s.hosts;
            services = s.services;
            cacheEntries = s.cacheEntries;
        }

        /** Name servers as dotted quads. */
        public Builder nameServers(String... addresses) {
            List<Integer> l = new ArrayList<>();
            for (String a : addresses) {
                l.add(SockAddr.parseAddress(a.trim()));
            }
            return nameServers(l);
        }

        /** Name servers, host order. */
        public Builder nameServers(List<Integer> addresses) {
            if (addresses.size() > MAX_SERVERS) {
                throw new IllegalArgumentException("at most " + MAX_SERVERS + " name servers, got " + addresses.size());
            }
            nameServers = List.copyOf(addresses);
            return this;
        }

        /** Search domains (a trailing dot is dropped). */
        public Builder search(String... domains) {
            if (domains.length > MAX_SEARCH) {
                throw new IllegalArgumentException("at most " + MAX_SEARCH + " search domains, got " + domains.length);
            }
            List<String> l = new ArrayList<>();
            for (String d : domains) {
                String name = d.trim().endsWith(".") ? d.trim().substring(0, d.trim().length() - 1) : d.trim();
                if (!DnsName.valid(name)) {
                    throw new IllegalArgumentException("'" + d + "' is not a domain name");
                }
                l.add(name);
            }
            search = List.copyOf(l);
            return this;
        }

        /** resolv.conf's ndots, 0..15. */
        public Builder ndots(int n) {
            if (n < 0 || n > 15) {
                throw new IllegalArgumentException("ndots must be 0..15, got " + n);
            }
            ndots = n;
            return this;
        }

        /** Milliseconds one try waits, 1..60000. */
        public Builder timeoutMillis(int ms) {
            if (ms < 1 || ms > 60_000) {
                throw new IllegalArgumentException("timeoutMillis must be 1..60000, got " + ms);
            }
            timeoutMillis = ms;
            return this;
        }

        /** Rounds over the servers, 1..5. */
        public Builder attempts(int n) {
            if (n < 1 || n > 5) {
                throw new IllegalArgumentException("attempts must be 1..5, got " + n);
            }
            attempts = n;
            return this;
        }

        /** Round robin over the servers. */
        public Builder rotate(boolean on) {
            rotate = on;
            return this;
        }

        /** This host's name; empty for the stack's name. */
        public Builder hostname(String name) {
            if (!name.isEmpty() && !DnsName.valid(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a host name");
            }
            hostname = name;
            return this;
        }

        /** Hosts entries, {@code "ADDRESS NAME [ALIAS...]"} each. */
        public Builder hosts(String... lines) {
            List<HostsTable.Entry> l = new ArrayList<>();
            for (String line : lines) {
                l.add(HostsTable.Entry.parse(line));
            }
            hosts = List.copyOf(l);
            return this;
        }

        /** Services entries, {@code "NAME PORT/PROTOCOL [ALIAS...]"} each. */
        public Builder services(String... lines) {
            List<ServiceEntry> l = new ArrayList<>();
            for (String line : lines) {
                l.add(ServicesTable.parse(line));
            }
            services = List.copyOf(l);
            return this;
        }

        /** Cache bound, 1..65536 entries. */
        public Builder cacheEntries(int n) {
            if (n < 1 || n > 65_536) {
                throw new IllegalArgumentException("cacheEntries must be 1..65536, got " + n);
            }
            cacheEntries = n;
            return this;
        }

        /** The settings. */
        public ResolverSettings build() {
            return new ResolverSettings(nameServers, search, ndots, timeoutMillis, attempts, rotate, hostname, hosts,
                    services, cacheEntries);
        }
    }
}
