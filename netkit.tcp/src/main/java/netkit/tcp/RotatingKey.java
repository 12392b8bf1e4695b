package netkit.tcp;

import java.security.SecureRandom;

/**
 * A {@link KeyedHash} whose key is replaced every interval of loop time by a fresh one from the
 * stack's {@link SecureRandom}, keeping the one before it: RFC 6528's secret key and the SYN-cookie
 * secret (RFC 4987 §3.6) rotated, so a key that leaked stops being useful. Rotation is lazy (when
 * the key is next used), so an idle stack runs no timer; after a gap of two intervals or more the
 * previous key is dropped too. Stack lock held.
 */
final class RotatingKey {
    private final SecureRandom secrets;
    private KeyedHash current;
    private KeyedHash previous;
    private long since;

    RotatingKey(SecureRandom secrets, long nowNanos) {
        this.secrets = secrets;
        this.current = new KeyedHash(secrets);
        this.since = nowNanos;
    }

    /** The key in force at {@code nowNanos}, rotated first when {@code intervalNanos} (0: never) has passed. */
    KeyedHash current(long nowNanos, long intervalNanos) {
        if (intervalNanos > 0 && nowNanos - since >= intervalNanos) {
            long periods = (nowNanos - since) / intervalNanos;
            previous = periods == 1 ? current : null;
            current = new KeyedHash(secrets);
            since += periods * intervalNanos;
        }
        return current;
    }

    /** The key before the current one, or null (never rotated, or rotated twice since). */
    KeyedHash previous() {
        return previous;
    }
}
