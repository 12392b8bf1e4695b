package netkit.tcp;

import java.util.function.LongSupplier;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a clock ticking every 4 µs, F a keyed hash whose key only this generator holds, so
 * an off-path attacker can neither predict the ISN of a connection nor learn it from another one.
 *
 * <p>The key is replaced every {@code isnKeyRotationMinutes} ({@link RotatingKey}), which is safe
 * because a connection uses F once, when it is created: established and half-open connections keep
 * their ISS, and nothing later compares ISNs made under two keys except a peer's TIME_WAIT check of
 * a new SYN for the same 4-tuple (RFC 9293 §3.4.1, RFC 6191). Across a rotation the new ISN may lie
 * below the old incarnation's sequence numbers; the timestamps still grow, since their offsets
 * come from a separate key that is never rotated (RFC 7323 §5.4) and the clock only advances, so
 * the peer accepts the SYN by its timestamp (RFC 6191 §2) and PAWS holds. Only a peer without
 * timestamps may then take the SYN for an old duplicate until its TIME_WAIT ends, as it would
 * after the 4 µs clock wraps (every 4.8 hours) anyway.
 */
final class IsnGenerator {
    private final RotatingKey f;
    private final LongSupplier rotationNanos;

    /** ISNs under {@code f}, rotated every {@code rotationNanos} (0: never). */
    IsnGenerator(RotatingKey f, LongSupplier rotationNanos) {
        this.f = f;
        this.rotationNanos = rotationNanos;
    }

    /** The ISN for a connection with {@code key} opened at {@code nowNanos}. */
    int isn(ConnectionKey key, long nowNanos) {
        return (int) (nowNanos / 4000) + f.current(nowNanos, rotationNanos.getAsLong()).hash(key, 0, 0);
    }
}
