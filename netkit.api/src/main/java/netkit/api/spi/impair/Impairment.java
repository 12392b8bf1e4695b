package netkit.api.spi.impair;

/**
 * What happens to frames going one way through a {@link FaultInjector}: each frame meets the
 * probabilities independently, drawn from a random source seeded with {@code seed}, so every
 * failure is reproducible.
 *
 * @param loss          probability a frame is dropped
 * @param duplicate     probability a frame is delivered twice
 * @param reorder       probability a frame is held back and delivered after the next one
 * @param corrupt       probability one bit past the link header is flipped
 * @param delayMicros   fixed one-way delay
 * @param jitterMicros  uniform extra delay 0..jitter (which may also reorder)
 * @param rateBitsPerSecond serialisation rate, 0 for unlimited
 * @param seed          random seed
 */
public record Impairment(double loss, double duplicate, double reorder, double corrupt, long delayMicros,
        long jitterMicros, long rateBitsPerSecond, long seed) {

    /** A perfect link. */
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
}
