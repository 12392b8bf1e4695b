package netkit.dns;

import java.util.List;

/**
 * What one name and type resolved to: the canonical name at the end of the CNAME chain, the names
 * passed through on the way, and the data (addresses of A records, or names of PTR records).
 *
 * @param canonical the owner of the data
 * @param aliases the chain's names before it, in order
 * @param addresses A record addresses (host order)
 * @param names PTR targets
 * @param ttlSeconds how long it may be kept: the least TTL of the records used
 */
record Answer(String canonical, List<String> aliases, List<Integer> addresses, List<String> names, long ttlSeconds) {
    Answer {
        aliases = List.copyOf(aliases);
        addresses = List.copyOf(addresses);
        names = List.copyOf(names);
    }
}
