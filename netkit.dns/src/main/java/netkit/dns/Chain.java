package netkit.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * What a response's answer section says about one name and type (RFC 1034 §3.6.2, §5.3.3): the
 * CNAME chain from the name, at most {@code maxAliases} links, and the data of the chain's end.
 * Only class IN records owned by the name being followed count; others are ignored (RFC 5452 §6,
 * nothing out of the chain is believed).
 *
 * @param end the last name of the chain (the name itself when there is no CNAME)
 * @param aliases the names before it
 * @param addresses A data of the end
 * @param names PTR data of the end
 * @param ttl least TTL of the records used; {@code Long.MAX_VALUE} when none was
 * @param tooLong whether the chain went on past {@code maxAliases}
 */
record Chain(String end, List<String> aliases, List<Integer> addresses, List<String> names, long ttl,
        boolean tooLong) {

    boolean hasData() {
        return !addresses.isEmpty() || !names.isEmpty();
    }

    static Chain follow(DnsMessage r, String name, int type, int maxAliases) {
        String current = name;
        List<String> aliases = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        while (true) {
            List<Integer> addresses = new ArrayList<>();
            List<String> names = new ArrayList<>();
            ResourceRecord cname = null;
            long dataTtl = Long.MAX_VALUE;
            for (ResourceRecord rr : r.answers()) {
                if (rr.rclass() != DnsMessage.CLASS_IN || !DnsName.same(rr.name(), current)) {
                    continue;
                }
                if (rr.type() == type && type == DnsMessage.TYPE_A) {
                    if (!addresses.contains(rr.address())) {
                        addresses.add(rr.address());
                    }
                    dataTtl = Math.min(dataTtl, rr.ttl());
                } else if (rr.type() == type && type == DnsMessage.TYPE_PTR) {
                    if (!names.contains(rr.target())) {
                        names.add(rr.target());
                    }
                    dataTtl = Math.min(dataTtl, rr.ttl());
                } else if (rr.type() == DnsMessage.TYPE_CNAME && cname == null) {
                    cname = rr;
                }
            }
            if (!addresses.isEmpty() || !names.isEmpty()) {
                return new Chain(current, aliases, addresses, names, Math.min(ttl, dataTtl), false);
            }
            if (cname == null) {
                return new Chain(current, aliases, List.of(), List.of(), ttl, false);
            }
            if (aliases.size() >= maxAliases) {
                return new Chain(current, aliases, List.of(), List.of(), ttl, true);
            }
            aliases.add(current);
            ttl = Math.min(ttl, cname.ttl());
            current = cname.target();
        }
    }
}
