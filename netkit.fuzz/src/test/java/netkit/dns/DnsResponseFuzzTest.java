package netkit.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * DNS responses (RFC 1035 §4.1) into the resolver's parser and CNAME-chain reader, as the resolver
 * runs them on every datagram that passes the ID and source checks: any bytes either parse or are
 * refused with {@link MalformedMessageException} (no other exception, no loop: compression pointers
 * must point strictly backwards), and what parses stays within the message's bounds: no more records
 * than the counts, names of at most 255 octets, a chain of at most {@link Resolver#MAX_CNAMES} names.
 * Inputs are whole messages; the saved ones are valid responses (A, CNAME chain, PTR, NXDOMAIN with
 * SOA) and hostile ones (a pointer loop, absurd counts), for the fuzzer to mutate.
 */
class DnsResponseFuzzTest {
    @FuzzTest
    void responses(byte[] message) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(message, message.length);
        } catch (MalformedMessageException refused) {
            return;
        }
        int answers = DnsMessage.u16(message, 6);
        int authority = DnsMessage.u16(message, 8);
        if (m.questions().size() != DnsMessage.u16(message, 4) || m.answers().size() != answers
                || m.authority().size() != authority) {
            throw new AssertionError("records parsed differ from the header's counts");
        }
        for (ResourceRecord rr : m.answers()) {
            check(rr.name());
            if (rr.target() != null) {
                check(rr.target());
            }
            if (rr.ttl() < 0 || rr.ttl() > Integer.MAX_VALUE) {
                throw new AssertionError("TTL out of RFC 2181 §8 range: " + rr.ttl());
            }
        }
        for (DnsMessage.Question q : m.questions()) {
            check(q.name());
            for (int type : new int[] {DnsMessage.TYPE_A, DnsMessage.TYPE_PTR}) {
                if (DnsName.valid(q.name())) {
                    Chain c = Chain.follow(m, q.name(), type, Resolver.MAX_CNAMES);
                    if (c.aliases().size() > Resolver.MAX_CNAMES) {
                        throw new AssertionError("chain of " + c.aliases().size() + " names");
                    }
                }
            }
        }
    }

    /** A decoded name: at most 255 octets, each shown as at most 4 characters (\DDD). */
    private static void check(String name) {
        if (name.length() > 255 * 4) {
            throw new AssertionError("name of " + name.length() + " characters");
        }
    }
}
