package netkit.dns;

/**
 * A resource record of a response (RFC 1035 §4.1.3), with the RDATA the resolver uses decoded.
 *
 * @param name owner name
 * @param type {@link DnsMessage#TYPE_A} and so on
 * @param rclass {@link DnsMessage#CLASS_IN} normally
 * @param ttl seconds; 0 for values with the top bit set (RFC 2181 §8)
 * @param address the IPv4 address of an A record (host order), else 0
 * @param target the domain name of a CNAME, PTR or NS record, or the MNAME of an SOA, else null
 * @param soaMinimum the MINIMUM of an SOA record (the negative-caching TTL, RFC 2308 §4), else 0
 */
public record ResourceRecord(String name, int type, int rclass, long ttl, int address, String target,
        long soaMinimum) {
}
