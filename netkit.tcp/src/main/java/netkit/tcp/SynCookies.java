package netkit.tcp;

import java.util.function.LongSupplier;

/**
 * SYN cookies (RFC 4987 §3.6): when the SYN queue is full, the SYN-ACK's ISN encodes a 5-bit
 * time counter (64 s steps), a 3-bit MSS index and a 24-bit keyed hash of the 4-tuple, so the
 * final ACK rebuilds the connection without state. Window scale, SACK and timestamps are not
 * encoded and are off for such connections. The hash's key serves cookies only; it is rotated
 * with the ISN key ({@link RotatingKey}), and a cookie made under the current or the previous key
 * is accepted, so a handshake that spans a rotation completes, while a leaked key stops working
 * after two intervals.
 */
final class SynCookies {
    private static final int[] MSS_TABLE = {536, 1200, 1360, 1400, 1440, 1452, 1460, 8960};
    private final RotatingKey key;
    private final LongSupplier rotationNanos;

    /** Cookies under {@code key}, rotated every {@code rotationNanos} (0: never). */
    SynCookies(RotatingKey key, LongSupplier rotationNanos) {
        this.key = key;
        this.rotationNanos = rotationNanos;
    }

    /** The cookie ISN for a SYN with {@code mss}. */
    int encode(ConnectionKey k, int clientIsn, int mss, long nowNanos) {
        int t = counter(nowNanos);
        int idx = 0;
        for (int i = 0; i < MSS_TABLE.length; i++) {
            if (MSS_TABLE[i] <= mss) {
                idx = i;
            }
        }
        KeyedHash hash = key.current(nowNanos, rotationNanos.getAsLong());
        return (t << 27) | (idx << 24) | (hash(hash, k, clientIsn, t, idx) & 0xffffff);
    }

    /** The MSS encoded in a valid cookie ({@code ack − 1}), or -1 when it is not one of ours or too old. */
    int decode(ConnectionKey k, int clientIsn, int cookie, long nowNanos) {
        int t = (cookie >>> 27) & 0x1f;
        int idx = (cookie >>> 24) & 0x7;
        int age = (counter(nowNanos) - t) & 0x1f;
        if (age > 1) {
            return -1; // at most two 64-second periods old
        }
        KeyedHash current = key.current(nowNanos, rotationNanos.getAsLong());
        KeyedHash previous = key.previous();
        boolean ours = (hash(current, k, clientIsn, t, idx) & 0xffffff) == (cookie & 0xffffff)
                || previous != null && (hash(previous, k, clientIsn, t, idx) & 0xffffff) == (cookie & 0xffffff);
        return ours ? MSS_TABLE[idx] : -1;
    }

    private static int counter(long nowNanos) {
        return (int) ((nowNanos / 64_000_000_000L) & 0x1f);
    }

    private static int hash(KeyedHash hash, ConnectionKey k, int clientIsn, int t, int idx) {
        return hash.hash(k, clientIsn, t << 3 | idx);
    }
}
