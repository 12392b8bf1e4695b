package netkit.api.wire;

/**
 * A view over an ICMP message header (RFC 792): type, code, checksum and the 32-bit rest, and the
 * one place that names ICMP types and codes. Type constants carry no prefix (as in RFC 792's
 * message names); codes are prefixed {@code CODE_} and belong to the type named in their Javadoc.
 */
public final class IcmpHeader {
    /** Header length. */
    public static final int LEN = 8;

    /** Type: echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Type: destination unreachable. */
    public static final int DEST_UNREACHABLE = 3;
    /** Type: source quench (deprecated, RFC 6633). */
    public static final int SOURCE_QUENCH = 4;
    /** Type: redirect. */
    public static final int REDIRECT = 5;
    /** Type: echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Type: time exceeded. */
    public static final int TIME_EXCEEDED = 11;
    /** Type: parameter problem. */
    public static final int PARAMETER_PROBLEM = 12;
    /** Type: timestamp request. */
    public static final int TIMESTAMP = 13;
    /** Type: timestamp reply. */
    public static final int TIMESTAMP_REPLY = 14;
    /** Type: information request (obsolete). */
    public static final int INFO_REQUEST = 15;
    /** Type: information reply (obsolete). */
    public static final int INFO_REPLY = 16;
    /** Type: address mask request (RFC 950). */
    public static final int ADDRESS_MASK_REQUEST = 17;
    /** Type: address mask reply (RFC 950). */
    public static final int ADDRESS_MASK_REPLY = 18;

    /** Destination unreachable code: net unreachable. */
    public static final int CODE_NET_UNREACHABLE = 0;
    /** Destination unreachable code: host unreachable. */
    public static final int CODE_HOST_UNREACHABLE = 1;
    /** Destination unreachable code: protocol unreachable. */
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    /** Destination unreachable code: port unreachable. */
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable code: fragmentation needed and DF set (RFC 1191: next-hop MTU). */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /** Destination unreachable code: source route failed. */
    public static final int CODE_SOURCE_ROUTE_FAILED = 5;
    /** Destination unreachable code: destination network unknown (RFC 1122 §3.2.2.1). */
    public static final int CODE_NET_UNKNOWN = 6;
    /** Destination unreachable code: destination host unknown (RFC 1122 §3.2.2.1). */
    public static final int CODE_HOST_UNKNOWN = 7;
    /** Destination unreachable code: communication with the network prohibited (RFC 1122 §3.2.2.1). */
    public static final int CODE_NET_PROHIBITED = 9;
    /** Destination unreachable code: network unreachable for the type of service (RFC 1122 §3.2.2.1). */
    public static final int CODE_NET_UNREACHABLE_FOR_TOS = 11;
    /** Time exceeded code: fragment reassembly time exceeded. */
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

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

    /** Whether the type is a query or a query's reply, which an ICMP error may be about (RFC 1122 §3.2.2). */
    public static boolean isQuery(int type) {
        return type == ECHO_REPLY || type == ECHO_REQUEST || type >= TIMESTAMP && type <= ADDRESS_MASK_REPLY;
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
