package netkit.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.netdb.HostEntry;

/**
 * The hosts table, consulted before any name server: the configured entries (in order, as
 * {@code /etc/hosts}), then {@code localhost} and names under {@code .localhost} (127.0.0.1, RFC 6761
 * §6.3), then this host's own name with the addresses of its interfaces (127.0.0.1 when it has none).
 */
public final class HostsTable {
    /**
     * A configured line: {@code ADDRESS NAME [ALIAS...]}.
     *
     * @param address IPv4, host order
     * @param name the canonical name
     * @param aliases other names
     */
    public record Entry(int address, String name, List<String> aliases) {
        /** Copies the aliases. */
        public Entry {
            aliases = List.copyOf(aliases);
        }

        /**
         * Parses {@code "ADDRESS NAME [ALIAS...]"}.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static Entry parse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                throw new IllegalArgumentException("hosts entry '" + line + "' is not 'ADDRESS NAME [ALIAS...]'");
            }
            int address = SockAddr.parseAddress(f[0]);
            for (int i = 1; i < f.length; i++) {
                if (!DnsName.valid(f[i])) {
                    throw new IllegalArgumentException("hosts entry '" + line + "': '" + f[i] + "' is not a host name");
                }
            }
            return new Entry(address, f[1], List.of(f).subList(2, f.length));
        }

        @Override
        public String toString() {
            return SockAddr.formatAddress(address) + " " + name + (aliases.isEmpty() ? "" : " " + String.join(" ", aliases));
        }
    }

    private static final String LOCALHOST = "localhost";
    private final List<Entry> entries;
    private final String hostname;
    private final Supplier<List<Integer>> localAddresses;

    /**
     * @param entries configured entries
     * @param hostname this host's name
     * @param localAddresses this host's interface addresses other than loopback, asked at each lookup
     */
    public HostsTable(List<Entry> entries, String hostname, Supplier<List<Integer>> localAddresses) {
        this.entries = List.copyOf(entries);
        this.hostname = hostname;
        this.localAddresses = localAddresses;
    }

    /** The entry for {@code name} (no trailing dot), or null when the table does not know it. */
    public HostEntry byName(String name) {
        String canonical = null;
        List<String> aliases = new ArrayList<>();
        List<Integer> addresses = new ArrayList<>();
        for (Entry e : entries) {
            if (DnsName.same(e.name(), name) || e.aliases().stream().anyMatch(a -> DnsName.same(a, name))) {
                if (canonical == null) {
                    canonical = e.name();
                    aliases.addAll(e.aliases());
                }
                if (!addresses.contains(e.address())) {
                    addresses.add(e.address());
                }
            }
        }
        if (canonical != null) {
            return new HostEntry(canonical, aliases, addresses);
        }
        String key = DnsName.key(name);
        if (key.equals(LOCALHOST) || key.endsWith("." + LOCALHOST)) {
            return new HostEntry(key, List.of(), List.of(Net.INADDR_LOOPBACK));
        }
        if (DnsName.same(name, hostname)) {
            List<Integer> own = localAddresses.get();
            return new HostEntry(hostname, List.of(), own.isEmpty() ? List.of(Net.INADDR_LOOPBACK) : own);
        }
        return null;
    }

    /** The entry for {@code address}, or null when the table does not know it. */
    public HostEntry byAddress(int address) {
        for (Entry e : entries) {
            if (e.address() == address) {
                return new HostEntry(e.name(), e.aliases(), List.of(address));
            }
        }
        if (address == Net.INADDR_LOOPBACK) {
            return new HostEntry(LOCALHOST, List.of(), List.of(address));
        }
        if (localAddresses.get().contains(address)) {
            return new HostEntry(hostname, List.of(), List.of(address));
        }
        return null;
    }
}
