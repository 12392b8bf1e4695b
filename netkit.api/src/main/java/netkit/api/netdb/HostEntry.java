package netkit.api.netdb;

import java.util.List;

/**
 * A host as {@code gethostbyname}/{@code gethostbyaddr} return it (C's {@code struct hostent} for
 * {@code AF_INET}).
 *
 * @param name the official (canonical) name: the end of a CNAME chain (RFC 1034 §3.6.2), or the
 *             name a PTR record gave
 * @param aliases other names of the host: the names a CNAME chain passed through, or further PTR
 *                targets
 * @param addresses IPv4 addresses, host order (as {@link netkit.api.SockAddr}), in the order received
 */
public record HostEntry(String name, List<String> aliases, List<Integer> addresses) {
    /** Copies the lists; rejects nulls. */
    public HostEntry {
        if (name == null) {
            throw new IllegalArgumentException("name is null");
        }
        aliases = List.copyOf(aliases);
        addresses = List.copyOf(addresses);
    }
}
