package netkit.api.wire;

/** A view over an ICMP message header (RFC 792): type, code, checksum and the 32-bit rest. */
public final class IcmpHeader {
    /** Header length. */
    public static final int LEN = 8;
    /** Echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Destination unreachable. */
    public static final int DEST_UNREACHABLE = 3;
    /** Source quench (deprecated, RFC 6633). */
    public static final int SOURCE_QUENCH = 4;
    /** Redirect. */
    public static final int REDIRECT = 5;
    /** Echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Time exceeded. */
    public static final int TIME_EXCEEDED = 11;
    /** Parameter problem. */
    public static final int PARAMETER_PROBLEM = 12;

    private byte[] b;
    private int off;

    /** Points the view at a message; false when shorter than a header. */
    public boolean wrap(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        return length >= LEN;
    }

    /** Type. */
    public int type() {
        return b[off] & 0xff;
    }

    /** Code. */
    public int code() {
        return b[off + 1] & 0xff;
    }

    /** Checksum field. */
    public int checksum() {
        return Bytes.get16(b, off + 2);
    }

    /** Echo identifier (bytes 4-5). */
    public int identifier() {
        return Bytes.get16(b, off + 4);
    }

    /** Echo sequence number (bytes 6-7). */
    public int sequence() {
        return Bytes.get16(b, off + 6);
    }

    /** Next-hop MTU of "fragmentation needed" (RFC 1191: bytes 6-7). */
    public int nextHopMtu() {
        return Bytes.get16(b, off + 6);
    }

    /** Whether the type is an error message (RFC 1122 §3.2.2). */
    public static boolean isError(int type) {
        return type == DEST_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROBLEM;
    }

    /** Sets type and identifier and recomputes the checksum over {@code length} bytes. */
    public static void finishEcho(byte[] buf, int offset, int length, int type, int identifier) {
        buf[offset] = (byte) type;
        buf[offset + 1] = 0;
        Bytes.put16(buf, offset + 4, identifier);
        Bytes.put16(buf, offset + 2, 0);
        Bytes.put16(buf, offset + 2, Checksum.of(buf, offset, length));
    }
}
