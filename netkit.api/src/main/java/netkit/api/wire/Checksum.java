package netkit.api.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071), summed 8 bytes at a time with deferred carries (RFC 1071 §2:
 * the one's complement sum may be computed on wider words and folded at the end).
 */
public final class Checksum {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Adds {@code b[off..off+len)} to a running sum. When chaining, every piece but the last must
     * have an even length so 16-bit words stay aligned.
     */
    public static long add(long sum, byte[] b, int off, int len) {
        while (len >= 8) {
            long v = (long) LONG.get(b, off);
            sum += (v >>> 32) + (v & 0xffffffffL);
            off += 8;
            len -= 8;
        }
        while (len >= 2) {
            sum += ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
            off += 2;
            len -= 2;
        }
        if (len == 1) {
            sum += (b[off] & 0xff) << 8; // RFC 1071: pad the odd byte with zero
        }
        return sum;
    }

    /** Adds the TCP/UDP pseudo-header (RFC 768, RFC 9293 §3.1) to a running sum. */
    public static long addPseudoHeader(long sum, int src, int dst, int protocol, int length) {
        return sum + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
    }

    /** Folds a running sum into 16 bits, complemented: the value to put in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code b[off..off+len)}. */
    public static int of(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }

    /** Whether data that includes its own checksum field verifies (sums to all ones). */
    public static boolean verifies(long sum) {
        return finish(sum) == 0;
    }
}
