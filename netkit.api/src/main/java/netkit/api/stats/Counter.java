package netkit.api.stats;

/** A counter constant of a protocol's counter enum: what statistics output calls it. */
public interface Counter {
    /** The display name, e.g. {@code InReceives} (the MIB object's name without its table prefix). */
    String displayName();
}
