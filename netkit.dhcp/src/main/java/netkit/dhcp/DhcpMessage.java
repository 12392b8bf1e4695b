package netkit.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A DHCP message (RFC 2131 §2, options RFC 2132): {@link #parse} reads a server's reply with every
 * length checked, {@link Builder} writes a client's message. Parsing never throws on hostile input:
 * it returns null for anything that is not a well-formed BOOTREPLY with a message type.
 *
 * <p>Options are read from the options field, then, when option 52 (overload, RFC 2132 §9.3) says
 * so, from {@code file} and then {@code sname} (RFC 2131 §4.1); an overload option inside those
 * fields is ignored, so overloading cannot loop. Pad (0) is skipped, End (255) stops a field; an
 * option whose length runs past its field ends the parse (null). An option that appears more than
 * once is concatenated (RFC 3396), bounded by the message size.
 */
public final class DhcpMessage {
    /** The fixed BOOTP header before the magic cookie (RFC 2131 §2). */
    static final int FIXED = 236;
    /** The magic cookie 99.130.83.99 (RFC 2131 §3). */
    static final int MAGIC = 0x63825363;
    /** Smallest message a client must accept and the size clients send (RFC 2131 §2). */
    static final int MIN_SIZE = 300;

    static final int OP_REQUEST = 1;
    static final int OP_REPLY = 2;
    static final int FLAG_BROADCAST = 0x8000;

    /** Message types (option 53, RFC 2132 §9.6). */
    static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7;

    /** Option codes (RFC 2132). */
    static final int OPT_PAD = 0, OPT_SUBNET_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_DOMAIN_NAME = 15,
            OPT_MTU = 26, OPT_REQUESTED_IP = 50, OPT_LEASE_TIME = 51, OPT_OVERLOAD = 52, OPT_MESSAGE_TYPE = 53,
            OPT_SERVER_ID = 54, OPT_PARAMETER_REQUEST = 55, OPT_MESSAGE = 56, OPT_MAX_SIZE = 57, OPT_T1 = 58,
            OPT_T2 = 59, OPT_CLIENT_ID = 61, OPT_END = 255;

    int op;
    int xid;
    int secs;
    int flags;
    int ciaddr;
    int yiaddr;
    int siaddr;
    int giaddr;
    /** The first six bytes of chaddr (Ethernet, htype 1, hlen 6). */
    long chaddr;
    int htype;
    int hlen;
    /** Option values by code; null when absent. */
    final byte[][] options = new byte[256][];

    /** The message type (option 53), 0 when absent or malformed. */
    int type() {
        byte[] v = options[OPT_MESSAGE_TYPE];
        return v != null && v.length == 1 ? v[0] & 0xff : 0;
    }

    /** A 4-byte option as an int (addresses, times), or {@code absent} when missing or of another length. */
    int int32(int code, int absent) {
        byte[] v = options[code];
        return v != null && v.length == 4 ? get32(v, 0) : absent;
    }

    /** A 2-byte option, or {@code absent}. */
    int int16(int code, int absent) {
        byte[] v = options[code];
        return v != null && v.length == 2 ? (v[0] & 0xff) << 8 | v[1] & 0xff : absent;
    }

    /** A list-of-addresses option (length a non-zero multiple of 4); empty when absent or malformed. */
    List<Integer> addresses(int code) {
        byte[] v = options[code];
        List<Integer> out = new ArrayList<>();
        if (v != null && v.length > 0 && v.length % 4 == 0) {
            for (int i = 0; i < v.length; i += 4) {
                out.add(get32(v, i));
            }
        }
        return out;
    }

    /** A text option (NVT ASCII, a trailing NUL dropped; other control bytes refuse it), or null. */
    String text(int code) {
        byte[] v = options[code];
        if (v == null) {
            return null;
        }
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (v[i] < 0x20 || v[i] == 0x7f) {
                return null;
            }
        }
        return n == 0 ? null : new String(v, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * Parses {@code a[off..off+len)} as a BOOTREPLY; null when it is not a well-formed one (too
     * short, wrong op, hardware type or length, magic cookie, malformed options, no message type).
     */
    static DhcpMessage parse(byte[] a, int off, int len) {
        return parse(a, off, len, OP_REPLY);
    }

    /** Parses a message of BOOTP op {@code op} (a server's view of a client's message: tests). */
    static DhcpMessage parse(byte[] a, int off, int len, int expectedOp) {
        if (len < FIXED + 4 || off < 0 || off + len > a.length) {
            return null;
        }
        DhcpMessage m = new DhcpMessage();
        m.op = a[off] & 0xff;
        m.htype = a[off + 1] & 0xff;
        m.hlen = a[off + 2] & 0xff;
        if (m.op != expectedOp || m.htype != 1 || m.hlen != 6 || get32(a, off + FIXED) != MAGIC) {
            return null;
        }
        m.xid = get32(a, off + 4);
        m.secs = get16(a, off + 8);
        m.flags = get16(a, off + 10);
        m.ciaddr = get32(a, off + 12);
        m.yiaddr = get32(a, off + 16);
        m.siaddr = get32(a, off + 20);
        m.giaddr = get32(a, off + 24);
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (a[off + 28 + i] & 0xff);
        }
        m.chaddr = mac;
        ByteArrayOutputStream[] acc = new ByteArrayOutputStream[256];
        int end = off + len;
        if (!readOptions(a, off + FIXED + 4, end, acc, true)) {
            return null;
        }
        int overload = acc[OPT_OVERLOAD] != null && acc[OPT_OVERLOAD].size() == 1
                ? acc[OPT_OVERLOAD].toByteArray()[0] & 0xff : 0;
        acc[OPT_OVERLOAD] = null;
        // RFC 2131 §4.1: options, then file (overload 1 or 3), then sname (2 or 3); none of these may overload again.
        if ((overload == 1 || overload == 3) && !readOptions(a, off + 108, off + 236, acc, false)) {
            return null;
        }
        if ((overload == 2 || overload == 3) && !readOptions(a, off + 44, off + 108, acc, false)) {
            return null;
        }
        for (int c = 1; c < 255; c++) {
            if (acc[c] != null) {
                m.options[c] = acc[c].toByteArray();
            }
        }
        return m.type() == 0 ? null : m;
    }

    /** Reads options of {@code a[from..to)} into {@code acc}; false when an option runs past {@code to}. */
    private static boolean readOptions(byte[] a, int from, int to, ByteArrayOutputStream[] acc, boolean mayOverload) {
        int i = from;
        while (i < to) {
            int code = a[i] & 0xff;
            if (code == OPT_END) {
                return true;
            }
            if (code == OPT_PAD) {
                i++;
                continue;
            }
            if (i + 1 >= to) {
                return false;
            }
            int n = a[i + 1] & 0xff;
            if (i + 2 + n > to) {
                return false;
            }
            if (code != OPT_OVERLOAD || mayOverload) {
                if (acc[code] == null) {
                    acc[code] = new ByteArrayOutputStream(n);
                }
                acc[code].write(a, i + 2, n); // RFC 3396: repeated options concatenate
            }
            i += 2 + n;
        }
        return true; // no End: the field ended (tolerated, as most clients do)
    }

    static int get32(byte[] a, int i) {
        return (a[i] & 0xff) << 24 | (a[i + 1] & 0xff) << 16 | (a[i + 2] & 0xff) << 8 | a[i + 3] & 0xff;
    }

    static int get16(byte[] a, int i) {
        return (a[i] & 0xff) << 8 | a[i + 1] & 0xff;
    }

    /** Writes a client message (BOOTREQUEST, Ethernet). */
    static final class Builder {
        private final byte[] b = new byte[576];
        private int at = FIXED + 4;

        Builder(int type, int xid, int secs, int flags, int ciaddr, long mac) {
            b[0] = OP_REQUEST;
            b[1] = 1;
            b[2] = 6;
            put32(4, xid);
            b[8] = (byte) (secs >>> 8);
            b[9] = (byte) secs;
            b[10] = (byte) (flags >>> 8);
            b[11] = (byte) flags;
            put32(12, ciaddr);
            for (int i = 0; i < 6; i++) {
                b[28 + i] = (byte) (mac >>> (40 - 8 * i));
            }
            put32(FIXED, MAGIC);
            option(OPT_MESSAGE_TYPE, new byte[] {(byte) type});
            byte[] id = new byte[7]; // client identifier: htype + MAC (RFC 2132 §9.14)
            id[0] = 1;
            System.arraycopy(b, 28, id, 1, 6);
            option(OPT_CLIENT_ID, id);
        }

        Builder option(int code, byte[] value) {
            b[at++] = (byte) code;
            b[at++] = (byte) value.length;
            System.arraycopy(value, 0, b, at, value.length);
            at += value.length;
            return this;
        }

        Builder address(int code, int address) {
            return option(code, new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
                (byte) address});
        }

        /** The message, End-terminated and padded to the BOOTP minimum of 300 bytes. */
        byte[] build() {
            b[at++] = (byte) OPT_END;
            return java.util.Arrays.copyOf(b, Math.max(at, MIN_SIZE));
        }

        private void put32(int i, int v) {
            b[i] = (byte) (v >>> 24);
            b[i + 1] = (byte) (v >>> 16);
            b[i + 2] = (byte) (v >>> 8);
            b[i + 3] = (byte) v;
        }
    }
}
