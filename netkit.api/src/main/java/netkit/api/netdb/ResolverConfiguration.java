package netkit.api.netdb;

import java.util.List;

/**
 * Name servers and search domains that a source other than the resolver's own configuration
 * supplies, such as a DHCP lease (RFC 2132 §3.8 Domain Name Server, §3.17 Domain Name). A DHCP
 * client registers one as an OSGi service per leased interface and unregisters it when the lease
 * ends or changes (then registers the new one); the resolver uses its own configured name servers
 * first, then those of every registered source in service ranking order. In plain Java the same
 * object is handed to the resolver directly.
 *
 * @param origin what supplied it, for diagnostics, e.g. {@code "dhcp vx0"}
 * @param nameServers IPv4 addresses of name servers, host order (as {@link netkit.api.SockAddr})
 * @param searchDomains domain names for the search list, most preferred first
 */
public record ResolverConfiguration(String origin, List<Integer> nameServers, List<String> searchDomains) {
    /** Copies the lists; rejects nulls. */
    public ResolverConfiguration {
        if (origin == null) {
            throw new IllegalArgumentException("origin is null");
        }
        nameServers = List.copyOf(nameServers);
        searchDomains = List.copyOf(searchDomains);
    }
}
