package netkit.api.netdb;

import java.util.Optional;
import netkit.api.ErrnoException;
import netkit.api.stats.CounterSnapshot;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Network Kit's netdb calls: host names and addresses, the host's own name, and service names.
 * Host lookups consult the hosts table first ({@code localhost}, the host's own name, configured
 * entries), then the Domain Name System through a stub resolver (RFC 1035, RFC 1123 §6.1). The calls
 * block while name servers are asked and are safe from several threads.
 */
@ProviderType
public interface NetDb {
    /**
     * The IPv4 addresses of a host. A dotted quad is returned as it is; a name ending in a dot is
     * absolute; other names go through the search list (resolv.conf's {@code ndots} rule).
     *
     * @throws NetDbException HOST_NOT_FOUND, NO_DATA (the name has no address), TRY_AGAIN (no name
     *                        server answered), NO_RECOVERY (they refused, or the name is not a valid
     *                        domain name, RFC 1035 §2.3.4)
     */
    HostEntry gethostbyname(String name) throws NetDbException;

    /**
     * The names of an IPv4 address (host order): the hosts table, then a PTR query in
     * {@code in-addr.arpa} (RFC 1035 §3.5).
     *
     * @throws NetDbException as {@link #gethostbyname}
     */
    HostEntry gethostbyaddr(int address) throws NetDbException;

    /** This host's name. */
    String gethostname();

    /**
     * Sets this host's name until the next configuration change or restart.
     *
     * @throws ErrnoException EINVAL when {@code name} is not a host name (RFC 1123 §2.1: dot-separated
     *                        labels of letters, digits and hyphens, at most 63 characters each and
     *                        253 in all)
     */
    void sethostname(String name) throws ErrnoException;

    /**
     * A service by name or alias, case-insensitively.
     *
     * @param protocol {@code "tcp"}, {@code "udp"}, or null for either
     */
    Optional<ServiceEntry> getservbyname(String name, String protocol);

    /**
     * A service by port.
     *
     * @param protocol {@code "tcp"}, {@code "udp"}, or null for either
     */
    Optional<ServiceEntry> getservbyport(int port, String protocol);

    /** The name servers and search domains in use: the configured ones first, then those of other sources. */
    ResolverConfiguration configuration();

    /** The resolver's counters. */
    CounterSnapshot<ResolverCounter> statistics();
}
