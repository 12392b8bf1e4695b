package netkit.dhcp;

import java.util.List;
import netkit.api.netdb.ResolverConfiguration;

/**
 * A lease as acknowledged (RFC 2131 §4.3.1; options RFC 2132). Times are on the stack's loop clock,
 * counted from when the acknowledged DHCPREQUEST was sent (RFC 2131 §4.4.1).
 *
 * @param iface         the interface
 * @param address       leased address (yiaddr)
 * @param prefix        prefix length from the subnet mask (option 1; the classful one when absent)
 * @param router        first router (option 3) on the leased subnet, 0 for none
 * @param nameServers   DNS servers (option 6)
 * @param domainName    domain name (option 15), null for none
 * @param mtu           interface MTU (option 26), 0 for none
 * @param server        server identifier (option 54)
 * @param startNanos    when the DHCPREQUEST was sent
 * @param renewNanos    T1
 * @param rebindNanos   T2
 * @param expiresNanos  end of the lease
 */
public record DhcpLease(String iface, int address, int prefix, int router, List<Integer> nameServers,
        String domainName, int mtu, int server, long startNanos, long renewNanos, long rebindNanos,
        long expiresNanos) {

    /** What the resolver takes from the lease: origin {@code dhcp IFACE}, name servers, search domain. */
    public ResolverConfiguration resolverConfiguration() {
        return new ResolverConfiguration("dhcp " + iface, nameServers,
                domainName == null ? List.of() : List.of(domainName));
    }
}
