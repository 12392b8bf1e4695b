package netkit.api.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one protocol, one per constant of {@code E}. Thread-safe: counting from
 * several threads never loses an increment, and a snapshot never blocks the counting threads.
 *
 * @param <E> the protocol's counter enum
 */
public final class CounterSet<E extends Enum<E> & Counter> {
    private final Class<E> type;
    private final LongAdder[] values;

    /** A set of every counter of {@code type}, all zero. */
    public CounterSet(Class<E> type) {
        this.type = type;
        this.values = new LongAdder[type.getEnumConstants().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = new LongAdder();
        }
    }

    /** Adds one to {@code counter}. */
    public void inc(E counter) {
        values[counter.ordinal()].increment();
    }

    /** Adds {@code n} to {@code counter}. */
    public void add(E counter, long n) {
        values[counter.ordinal()].add(n);
    }

    /** The current value of {@code counter}. */
    public long get(E counter) {
        return values[counter.ordinal()].sum();
    }

    /** The current values; counts made while it is taken may or may not be in it. */
    public CounterSnapshot<E> snapshot() {
        long[] now = new long[values.length];
        for (int i = 0; i < now.length; i++) {
            now[i] = values[i].sum();
        }
        return new CounterSnapshot<>(type, now);
    }
}
