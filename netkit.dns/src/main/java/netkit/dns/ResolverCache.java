package netkit.dns;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import netkit.api.netdb.HostError;
import netkit.api.netdb.ResolverCounter;
import netkit.api.stats.CounterSet;

/**
 * Answers by name and type for as long as their TTL allows (RFC 1035 §7.4), and negative answers
 * (NXDOMAIN, NODATA) for as long as RFC 2308 §5 allows: the least of the SOA record's TTL and its
 * MINIMUM, and only when the response carried the SOA. TTLs are capped at a day (positive) and three
 * hours (negative, RFC 2308 §5); a TTL of 0 is not cached. At most {@code capacity} entries: the least
 * recently used goes first. Time is the stack's loop clock, in nanoseconds. Thread-safe.
 */
final class ResolverCache {
    static final long MAX_POSITIVE_SECONDS = 86_400;
    static final long MAX_NEGATIVE_SECONDS = 10_800;

    /** A cached result: an answer or a negative error, valid until {@code expires}. */
    record Entry(Answer answer, HostError negative, long expires) {
    }

    private final CounterSet<ResolverCounter> counters;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private int capacity;

    ResolverCache(int capacity, CounterSet<ResolverCounter> counters) {
        this.capacity = capacity;
        this.counters = counters;
    }

    private static String key(String name, int type) {
        return type + " " + DnsName.key(name);
    }

    /** The live entry for {@code name}/{@code type}, or null; counts the hit. */
    synchronized Entry get(String name, int type, long now) {
        String key = key(name, type);
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (now - e.expires() >= 0) {
            entries.remove(key);
            return null;
        }
        counters.inc(e.answer() != null ? ResolverCounter.CACHE_HITS : ResolverCounter.NEGATIVE_CACHE_HITS);
        return e;
    }

    /** Keeps a positive answer for its TTL. */
    synchronized void put(String name, int type, Answer answer, long now) {
        long ttl = Math.min(answer.ttlSeconds(), MAX_POSITIVE_SECONDS);
        if (ttl > 0) {
            store(key(name, type), new Entry(answer, null, now + ttl * 1_000_000_000L));
        }
    }

    /** Keeps a negative answer for {@code ttlSeconds} (already the RFC 2308 value; negative: not cached). */
    synchronized void putNegative(String name, int type, HostError error, long ttlSeconds, long now) {
        long ttl = Math.min(ttlSeconds, MAX_NEGATIVE_SECONDS);
        if (ttl > 0) {
            store(key(name, type), new Entry(null, error, now + ttl * 1_000_000_000L));
        }
    }

    private void store(String key, Entry e) {
        entries.put(key, e);
        if (entries.size() > capacity) {
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            while (entries.size() > capacity && it.hasNext()) {
                it.next();
                it.remove();
                counters.inc(ResolverCounter.CACHE_EVICTIONS);
            }
        }
    }

    /** Changes the bound (evicting at the next store). */
    synchronized void capacity(int n) {
        capacity = n;
    }

    /** Forgets everything (name servers changed). */
    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }
}
