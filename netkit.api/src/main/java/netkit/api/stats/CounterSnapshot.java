package netkit.api.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of one protocol's counters at one moment. Immutable.
 *
 * @param <E> the protocol's counter enum
 */
public final class CounterSnapshot<E extends Enum<E> & Counter> {
    private final Class<E> type;
    private final long[] values;

    /** Takes ownership of {@code values}, indexed by ordinal. */
    CounterSnapshot(Class<E> type, long[] values) {
        this.type = type;
        this.values = values;
    }

    /** Every counter of {@code type} at zero: the statistics of a protocol that is not there. */
    public static <E extends Enum<E> & Counter> CounterSnapshot<E> empty(Class<E> type) {
        return new CounterSnapshot<>(type, new long[type.getEnumConstants().length]);
    }

    /** The counter enum. */
    public Class<E> type() {
        return type;
    }

    /** The value of {@code counter}. */
    public long get(E counter) {
        return values[counter.ordinal()];
    }

    /** This snapshot with {@code counter} set to {@code value}: how gauges join the counts. */
    public CounterSnapshot<E> with(E counter, long value) {
        long[] v = values.clone();
        v[counter.ordinal()] = value;
        return new CounterSnapshot<>(type, v);
    }

    /** The sum of this snapshot and {@code other}, counter by counter. */
    public CounterSnapshot<E> plus(CounterSnapshot<E> other) {
        long[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += other.values[i];
        }
        return new CounterSnapshot<>(type, v);
    }

    /** Display name to value, in the enum's order: what statistics output prints. */
    public Map<String, Long> byName() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (E c : type.getEnumConstants()) {
            m.put(c.displayName(), values[c.ordinal()]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return type.getSimpleName() + byName();
    }
}
