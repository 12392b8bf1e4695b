package netkit.api.wire;

/**
 * IPv4 options (RFC 791 §3.1) in a header: finding one, and Record Route (type 7), where each host
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

    /** Where option {@code type} starts in the header {@code h[at..at+headerLength)}, or -1. */
    public static int find(byte[] h, int at, int headerLength, int type) {
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
            if (i + 1 >= end) {
                return -1;
            }
            int len = h[i + 1] & 0xff;
            if (len < 2 || i + len > end) {
                return -1;
            }
            if (t == type) {
                return i;
            }
            i += len;
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
