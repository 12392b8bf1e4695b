package netkit.tcp;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a clock ticking every 4 µs, F a keyed hash whose key only this generator holds, so
 * an off-path attacker can neither predict the ISN of a connection nor learn it from another one.
 */
final class IsnGenerator {
    private final KeyedHash f;

    IsnGenerator(KeyedHash f) {
        this.f = f;
    }

    /** The ISN for a connection with {@code key} opened at {@code nowNanos}. */
    int isn(ConnectionKey key, long nowNanos) {
        return (int) (nowNanos / 4000) + f.hash(key, 0, 0);
    }
}
