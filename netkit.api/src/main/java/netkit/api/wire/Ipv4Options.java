package netkit.api.wire;

/**
 * IPv4 options (RFC 791 §3.1) in a header: checking them, finding one, and Record Route (type 7), where each host
 * writes its address at the pointer while there is room. Linux records on input (the address the
 * datagram arrived for) and on output (the source), so a ping to a neighbour shows four hops.
 */
public final class Ipv4Options {
    /** Record Route, RFC 791. */
    public static final int RECORD_ROUTE = 7;
    /** End of option list. */
    private static final int END = 0;
    /** No operation. */
    private static final int NOP = 1;

    private Ipv4Options() {
    }

    /**
     * Where option {@code type} starts in the header {@code h[at..at+headerLength)}, or -1 (also when
     * a malformed option, see {@link #firstMalformed}, comes first or is the one).
     */
    public static int find(byte[] h, int at, int headerLength, int type) {
        int i = walk(h, at, headerLength, type);
        return i >= 0 && problem(h, i, at + headerLength) < 0 ? i : -1;
    }

    /**
     * The well-formedness of a received header's options (RFC 791 §3.1): after End of Option List
     * the rest is padding; No Operation is one octet; every other option has a length octet of at
     * least 2 that keeps it inside the header. Record Route also needs a length of at least 3 and a
     * pointer of at least 4. Returns the offset from the header's start of the first bad octet of
     * the first malformed option (the Parameter Problem pointer, as Linux's
     * {@code ip_options_compile} sets it: the option, or Record Route's length or pointer), or -1
     * when the options are well formed or there are none. Work is bounded by the header's 40 option
     * octets.
     */
    public static int firstMalformed(byte[] h, int at, int headerLength) {
        int i = walk(h, at, headerLength, -1);
        return i < 0 ? -1 : problem(h, i, at + headerLength) - at;
    }

    /** The first option of {@code type} or the first malformed one, whichever comes first: its index, or -1. */
    private static int walk(byte[] h, int at, int headerLength, int type) {
        int end = at + headerLength;
        for (int i = at + Ipv4Packet.MIN_HEADER_LEN; i < end;) {
            int t = h[i] & 0xff;
            if (t == END) {
                return -1;
            }
            if (t == NOP) {
                i++;
                continue;
            }
            if (t == type || problem(h, i, end) >= 0) {
                return i;
            }
            i += h[i + 1] & 0xff;
        }
        return -1;
    }

    /** The index of the first bad octet of the option at {@code i} (not END or NOP), or -1 when it is well formed. */
    private static int problem(byte[] h, int i, int end) {
        if (i + 1 >= end) {
            return i; // no room for the length octet
        }
        int len = h[i + 1] & 0xff;
        if (len < 2 || i + len > end) {
            return i;
        }
        if ((h[i] & 0xff) == RECORD_ROUTE && len < 3) {
            return i + 1; // Linux points at the length here
        }
        if ((h[i] & 0xff) == RECORD_ROUTE && (h[i + 2] & 0xff) < 4) {
            return i + 2; // and at the pointer here
        }
        return -1;
    }

    /**
     * Writes {@code address} into the Record Route option at {@code rr} when it has room (pointer
     * at least 4 and a whole address left) and advances the pointer; whether it did.
     */
    public static boolean record(byte[] h, int rr, int address) {
        int len = h[rr + 1] & 0xff;
        int ptr = h[rr + 2] & 0xff;
        if (len < 3 || ptr < 4 || ptr + 3 > len) {
            return false;
        }
        Bytes.put32(h, rr + ptr - 1, address);
        h[rr + 2] = (byte) (ptr + 4);
        return true;
    }

    /** Records {@code address} in the header's Record Route, if any, and fixes the header checksum. */
    public static void recordRoute(byte[] h, int at, int headerLength, int address) {
        if (headerLength <= Ipv4Packet.MIN_HEADER_LEN) {
            return;
        }
        int rr = find(h, at, headerLength, RECORD_ROUTE);
        if (rr >= 0 && record(h, rr, address)) {
            Bytes.put16(h, at + 10, 0);
            Bytes.put16(h, at + 10, Checksum.of(h, at, headerLength));
        }
    }
}
