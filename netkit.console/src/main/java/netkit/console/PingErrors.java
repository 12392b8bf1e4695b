package netkit.console;

import netkit.api.SockAddr;
import netkit.api.wire.Bytes;
import netkit.api.wire.IcmpHeader;

/**
 * The lines Linux ping (iputils) prints for ICMP errors about its requests, read from the error
 * message an ICMP socket receives with {@link netkit.api.Net#IP_RECVERR}: "From A.B.C.D icmp_seq=N
 * Destination Host Unreachable".
 */
public final class PingErrors {
    private PingErrors() {
    }

    /**
     * The line for the ICMP error {@code m[0..len)} from {@code reporter}, or null when it is no
     * error message or quotes no echo request.
     */
    public static String describe(byte[] m, int len, int reporter) {
        int seq = quotedSequence(m, len);
        if (seq < 0) {
            return null;
        }
        return "From " + SockAddr.formatAddress(reporter) + " icmp_seq=" + seq + " "
                + text(m[0] & 0xff, m[1] & 0xff, Bytes.get16(m, 6));
    }

    /**
     * The sequence number of the echo request that ICMP error {@code m[0..len)} quotes, or -1 when
     * it is no error message or quotes no echo request.
     */
    public static int quotedSequence(byte[] m, int len) {
        if (len < IcmpHeader.LEN + 20 + 8) {
            return -1;
        }
        int type = m[0] & 0xff;
        if (type != IcmpHeader.DEST_UNREACHABLE && type != IcmpHeader.TIME_EXCEEDED) {
            return -1;
        }
        int echo = IcmpHeader.LEN + (m[IcmpHeader.LEN] & 0x0f) * 4;
        if (echo + 8 > len || (m[echo] & 0xff) != IcmpHeader.ECHO_REQUEST) {
            return -1;
        }
        return Bytes.get16(m, echo + 6);
    }

    /** iputils' wording (ping4_common.c, pr_icmph). */
    private static String text(int type, int code, int mtu) {
        if (type == IcmpHeader.TIME_EXCEEDED) {
            return code == 0 ? "Time to live exceeded" : code == 1 ? "Frag reassembly time exceeded"
                    : "Time exceeded, Bad Code: " + code;
        }
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 2 -> "Destination Protocol Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed and DF set (mtu = " + mtu + ")";
            case 5 -> "Source Route Failed";
            case 6 -> "Destination Net Unknown";
            case 7 -> "Destination Host Unknown";
            case 8 -> "Source Host Isolated";
            case 9 -> "Destination Net Prohibited";
            case 10 -> "Destination Host Prohibited";
            case 11 -> "Destination Net Unreachable for Type of Service";
            case 12 -> "Destination Host Unreachable for Type of Service";
            case 13 -> "Packet filtered";
            case 14 -> "Precedence Violation";
            case 15 -> "Precedence Cutoff";
            default -> "Dest Unreachable, Bad Code: " + code;
        };
    }
}
