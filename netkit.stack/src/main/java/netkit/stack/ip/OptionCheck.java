package netkit.stack.ip;

import netkit.api.wire.Ipv4Packet;

/**
 * The well-formedness of a received header's options (RFC 791 §3.1): after End of Option List the
 * rest is padding; No Operation is one octet; every other option has a length octet of at least 2
 * that keeps it inside the header. Record Route (type 7) also needs a length of at least 3 and a
 * pointer of at least 4 (RFC 791 §3.1; the Parameter Problem pointer as Linux's
 * {@code ip_options_compile} sets it). Work is bounded by the
 * header's 40 option octets.
 */
final class OptionCheck {
    private static final int END = 0;
    private static final int NOP = 1;
    private static final int RECORD_ROUTE = 7;

    private OptionCheck() {
    }

    /**
     * The offset from the header's start of the first octet of the first malformed option (the
     * Parameter Problem pointer), or -1 when the options are well formed or there are none.
     */
    static int firstMalformed(byte[] h, int at, int headerLength) {
        int end = at + headerLength;
        for (int i = at + Ipv4Packet.MIN_HEADER_LEN; i < end;) {
            int type = h[i] & 0xff;
            if (type == END) {
                return -1;
            }
            if (type == NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return i - at; // no room for the length octet
            }
            int len = h[i + 1] & 0xff;
            if (len < 2 || i + len > end) {
                return i - at;
            }
            if (type == RECORD_ROUTE && len < 3) {
                return i + 1 - at; // Linux points at the length here
            }
            if (type == RECORD_ROUTE && (h[i + 2] & 0xff) < 4) {
                return i + 2 - at; // and at the pointer here
            }
            i += len;
        }
        return -1;
    }
}
