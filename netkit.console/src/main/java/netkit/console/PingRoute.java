package netkit.console;

import java.util.Arrays;
import netkit.api.SockAddr;
import netkit.api.wire.Bytes;
import netkit.api.wire.Ipv4Options;

/**
 * What Linux ping {@code -R} (iputils, pr_options) prints after a reply that came back with a
 * Record Route option: "RR:" and one address per line, or "(same route)" when it repeats the last.
 */
public final class PingRoute {
    private byte[] last;

    /**
     * The text to print after a reply line for the reply's IP {@code options}: "" when there is no
     * Record Route, "\t(same route)" to append to the line, or the lines starting with a newline.
     */
    public String describe(byte[] options) {
        int rr = find(options);
        if (rr < 0) {
            return "";
        }
        int len = options[rr + 1] & 0xff;
        int used = Math.min(options[rr + 2] & 0xff, len) - 4;
        if (used <= 0) {
            return "";
        }
        byte[] route = Arrays.copyOfRange(options, rr + 3, rr + 3 + used);
        if (Arrays.equals(route, last)) {
            return "\t(same route)";
        }
        last = route;
        StringBuilder sb = new StringBuilder("\nRR: ");
        for (int i = 0; i + 4 <= route.length; i += 4) {
            sb.append(i == 0 ? "\t" : "\n\t").append(SockAddr.formatAddress(Bytes.get32(route, i)));
        }
        return sb.append('\n').toString();
    }

    /** Where the Record Route starts in the option bytes, or -1. */
    private static int find(byte[] o) {
        for (int i = 0; i + 2 < o.length;) {
            int t = o[i] & 0xff;
            if (t == 0) {
                return -1;
            }
            if (t == 1) {
                i++;
                continue;
            }
            int len = o[i + 1] & 0xff;
            if (len < 3 || i + len > o.length) {
                return -1;
            }
            if (t == Ipv4Options.RECORD_ROUTE) {
                return i;
            }
            i += len;
        }
        return -1;
    }
}
