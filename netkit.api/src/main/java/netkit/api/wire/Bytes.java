package netkit.api.wire;

/** Big-endian (network order) field access in byte arrays. */
public final class Bytes {
    private Bytes() {
    }

    /** Unsigned 16-bit at {@code off}. */
    public static int get16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** 32-bit at {@code off}. */
    public static int get32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** 48-bit (a MAC address) at {@code off}. */
    public static long get48(byte[] b, int off) {
        return ((long) get16(b, off) << 32) | (get32(b, off + 2) & 0xffffffffL);
    }

    /** Writes the low 16 bits of {@code v} at {@code off}. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** Writes {@code v} at {@code off}. */
    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Writes the low 48 bits of {@code v} at {@code off}. */
    public static void put48(byte[] b, int off, long v) {
        put16(b, off, (int) (v >>> 32));
        put32(b, off + 2, (int) v);
    }
}
