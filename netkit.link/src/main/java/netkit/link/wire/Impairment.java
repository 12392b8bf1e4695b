package netkit.link.wire;

import java.util.Map;

/**
 * What a wire does to frames, applied independently to each frame a port sends, from a seeded
 * random source so every failure is reproducible.
 *
 * @param loss          probability a frame is dropped
 * @param duplicate     probability a frame is delivered twice
 * @param reorder       probability a frame is held back and delivered after the next one
 * @param corrupt       probability one bit past the Ethernet header is flipped
 * @param delayMicros   fixed one-way delay
 * @param jitterMicros  uniform extra delay 0..jitter (which may also reorder)
 * @param rateBitsPerSecond serialisation rate, 0 for unlimited
 * @param seed          random seed
 */
public record Impairment(double loss, double duplicate, double reorder, double corrupt, long delayMicros,
        long jitterMicros, long rateBitsPerSecond, long seed) {

    /** A perfect wire. */
    public static final Impairment NONE = new Impairment(0, 0, 0, 0, 0, 0, 0, 1);

    /** Checks ranges; returns this. */
    public Impairment validate() {
        for (double p : new double[] {loss, duplicate, reorder, corrupt}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be 0..1");
            }
        }
        if (delayMicros < 0 || jitterMicros < 0 || rateBitsPerSecond < 0) {
            throw new IllegalArgumentException("delay, jitter and rate must be >= 0");
        }
        return this;
    }

    /** Whether frames may be delivered at once on the sender's thread. */
    public boolean immediate() {
        return delayMicros == 0 && jitterMicros == 0 && rateBitsPerSecond == 0 && reorder == 0;
    }

    /** A copy with loss probability {@code p}. */
    public Impairment withLoss(double p) {
        return new Impairment(p, duplicate, reorder, corrupt, delayMicros, jitterMicros, rateBitsPerSecond, seed);
    }

    /** A copy with another seed. */
    public Impairment withSeed(long s) {
        return new Impairment(loss, duplicate, reorder, corrupt, delayMicros, jitterMicros, rateBitsPerSecond, s);
    }

    /**
     * Reads {@code loss, duplicate, reorder, corrupt} (probabilities or percentages like
     * {@code 5%}), {@code delay, jitter} (µs), {@code rate} (bit/s) and {@code seed}; null when none
     * of them is present.
     */
    public static Impairment fromParameters(Map<String, String> p) {
        if (p == null || p.keySet().stream().noneMatch(k -> k.matches("loss|duplicate|reorder|corrupt|delay|jitter|rate|seed"))) {
            return null;
        }
        return new Impairment(prob(p, "loss"), prob(p, "duplicate"), prob(p, "reorder"), prob(p, "corrupt"),
                num(p, "delay"), num(p, "jitter"), num(p, "rate"), p.containsKey("seed") ? num(p, "seed") : 1)
                .validate();
    }

    private static double prob(Map<String, String> p, String k) {
        String v = p.get(k);
        if (v == null || v.isBlank()) {
            return 0;
        }
        v = v.trim();
        return v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v);
    }

    private static long num(Map<String, String> p, String k) {
        String v = p.get(k);
        return v == null || v.isBlank() ? 0 : Long.parseLong(v.trim());
    }
}
