package netkit.stack.util;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A named group of counters in a fixed display order (RFC 4293 names where they exist). */
public final class Counters {
    private final Map<String, LongAdder> values = new LinkedHashMap<>();

    /** A group with these counters, all zero. */
    public Counters(String... names) {
        for (String n : names) {
            values.put(n, new LongAdder());
        }
    }

    /** Adds one to {@code name}. */
    public void inc(String name) {
        add(name, 1);
    }

    /** Adds {@code n} to {@code name}. */
    public void add(String name, long n) {
        LongAdder a = values.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown counter " + name);
        }
        a.add(n);
    }

    /** The current value of {@code name}. */
    public long get(String name) {
        LongAdder a = values.get(name);
        return a == null ? 0 : a.sum();
    }

    /** A snapshot in display order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, v.sum()));
        return Collections.unmodifiableMap(m);
    }
}
