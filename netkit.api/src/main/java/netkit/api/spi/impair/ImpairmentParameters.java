package netkit.api.spi.impair;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The interface parameters that impair any link, read by the stack besides the driver's own:
 * {@code loss}, {@code duplicate}, {@code reorder}, {@code corrupt} (probabilities, or percentages
 * like {@code 5%}), {@code delay}, {@code jitter} (µs), {@code rate} (bit/s), {@code seed} (the
 * random seed; the caller supplies a default so runs repeat), and {@code direction}: {@code out}
 * (frames sent, the default), {@code in} (frames received) or {@code both}.
 *
 * @param transmit what happens to frames the link sends
 * @param receive  what happens to frames the link receives
 */
public record ImpairmentParameters(Impairment transmit, Impairment receive) {
    /** Every impairment key. */
    public static final Set<String> KEYS = Set.of("loss", "duplicate", "reorder", "corrupt", "delay", "jitter", "rate",
            "seed", "direction");

    /**
     * Reads the impairment keys of {@code p}; null when none is present. The receive direction uses
     * the complement of the seed, so with {@code both} the two directions lose different frames.
     *
     * @throws IllegalArgumentException for a malformed or out-of-range value
     */
    public static ImpairmentParameters parse(Map<String, String> p, long defaultSeed) {
        if (p == null || p.keySet().stream().noneMatch(KEYS::contains)) {
            return null;
        }
        long seed = p.containsKey("seed") ? number(p, "seed") : defaultSeed;
        Impairment im = new Impairment(probability(p, "loss"), probability(p, "duplicate"),
                probability(p, "reorder"), probability(p, "corrupt"), number(p, "delay"), number(p, "jitter"),
                number(p, "rate"), seed).validate();
        String direction = p.getOrDefault("direction", "out").trim();
        return switch (direction) {
            case "out" -> new ImpairmentParameters(im, Impairment.NONE);
            case "in" -> new ImpairmentParameters(Impairment.NONE, im.withSeed(~seed));
            case "both" -> new ImpairmentParameters(im, im.withSeed(~seed));
            default -> throw new IllegalArgumentException("direction must be out, in or both, not '" + direction + "'");
        };
    }

    /** {@code p} without the impairment keys: what the driver itself reads. */
    public static Map<String, String> driverParameters(Map<String, String> p) {
        Map<String, String> rest = new HashMap<>(p == null ? Map.of() : p);
        rest.keySet().removeAll(KEYS);
        return Map.copyOf(rest);
    }

    /**
     * Checks that every key of {@code p} is one of {@code driverKeys} or an impairment key.
     *
     * @throws IllegalArgumentException naming the first unknown key and every valid one
     */
    public static void checkKeys(String driver, Set<String> driverKeys, Map<String, String> p) {
        if (p == null) {
            return;
        }
        for (String key : new TreeSet<>(p.keySet())) {
            if (!driverKeys.contains(key) && !KEYS.contains(key)) {
                Set<String> valid = new TreeSet<>(driverKeys);
                valid.addAll(KEYS);
                throw new IllegalArgumentException("unknown parameter '" + key + "' for driver " + driver
                        + "; valid keys: " + String.join(", ", valid));
            }
        }
    }

    private static double probability(Map<String, String> p, String k) {
        String v = p.get(k);
        if (v == null || v.isBlank()) {
            return 0;
        }
        v = v.trim();
        return v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v);
    }

    private static long number(Map<String, String> p, String k) {
        String v = p.get(k);
        return v == null || v.isBlank() ? 0 : Long.parseLong(v.trim());
    }
}
