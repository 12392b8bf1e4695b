package netkit.tcp;

/**
 * SYN cookies (RFC 4987 §3.6): when the SYN queue is full, the SYN-ACK's ISN encodes a 5-bit
 * time counter (64 s steps), a 3-bit MSS index and a 24-bit keyed hash of the 4-tuple, so the
 * final ACK rebuilds the connection without state. Window scale, SACK and timestamps are not
 * encoded and are off for such connections. The hash's key serves cookies only.
 */
final class SynCookies {
    private static final int[] MSS_TABLE = {536, 1200, 1360, 1400, 1440, 1452, 1460, 8960};
    private final KeyedHash hash;

    SynCookies(KeyedHash hash) {
        this.hash = hash;
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
        return (t << 27) | (idx << 24) | (hash(k, clientIsn, t, idx) & 0xffffff);
    }

    /** The MSS encoded in a valid cookie ({@code ack − 1}), or -1 when it is not one of ours or too old. */
    int decode(ConnectionKey k, int clientIsn, int cookie, long nowNanos) {
        int t = (cookie >>> 27) & 0x1f;
        int idx = (cookie >>> 24) & 0x7;
        int age = (counter(nowNanos) - t) & 0x1f;
        if (age > 1) {
            return -1; // at most two 64-second periods old
        }
        return (hash(k, clientIsn, t, idx) & 0xffffff) == (cookie & 0xffffff) ? MSS_TABLE[idx] : -1;
    }

    private static int counter(long nowNanos) {
        return (int) ((nowNanos / 64_000_000_000L) & 0x1f);
    }

    private int hash(ConnectionKey k, int clientIsn, int t, int idx) {
        return hash.hash(k, clientIsn, t << 3 | idx);
    }
}
