package netkit.api.netdb;

import netkit.api.stats.Counter;

/** What a resolver counts ({@link NetDb#statistics()}). */
public enum ResolverCounter implements Counter {
    /** Queries sent, over UDP or TCP, first tries and retries. */
    QUERIES("Queries"),
    /** Responses accepted (matching ID, question and server, RFC 5452 §9.1). */
    RESPONSES("Responses"),
    /** Tries that got no acceptable response before their timeout. */
    TIMEOUTS("Timeouts"),
    /** Responses with TC set, retried over TCP (RFC 1123 §6.1.3.2). */
    TRUNCATED("Truncated"),
    /** Responses dropped for another query ID (RFC 5452 §4.3). */
    WRONG_ID("WrongId"),
    /** Responses dropped for another source address or port than the server queried (RFC 5452 §4.3). */
    WRONG_SOURCE("WrongSource"),
    /** Responses dropped for another question than the one asked (RFC 5452 §4.2). */
    WRONG_QUESTION("WrongQuestion"),
    /** Responses that cannot be parsed (RFC 1035 §4): dropped. */
    MALFORMED("Malformed"),
    /** Responses with RCODE SERVFAIL, NOTIMP, REFUSED or FORMERR: the next server is tried. */
    SERVER_FAILURES("ServerFailures"),
    /** Lookups answered by the hosts table. */
    HOSTS_HITS("HostsHits"),
    /** Queries answered from the cache, positive answers. */
    CACHE_HITS("CacheHits"),
    /** Queries answered from the cache, negative answers (RFC 2308). */
    NEGATIVE_CACHE_HITS("NegativeCacheHits"),
    /** Cache entries evicted to stay within the cache's bound. */
    CACHE_EVICTIONS("CacheEvictions");

    private final String displayName;

    ResolverCounter(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String displayName() {
        return displayName;
    }
}
