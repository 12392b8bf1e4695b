package netkit.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import netkit.api.SockAddr;
import netkit.api.wire.Bytes;
import org.junit.jupiter.api.Test;

/** Linux ping's lines for ICMP errors (issue 11) and its statistics with errors. */
class PingErrorsTest {
    /** An error message of {@code type}/{@code code} quoting echo request {@code seq}. */
    private static byte[] error(int type, int code, int seq) {
        byte[] m = new byte[8 + 20 + 8];
        m[0] = (byte) type;
        m[1] = (byte) code;
        m[8] = 0x45;
        m[8 + 9] = 1;
        m[28] = 8;
        Bytes.put16(m, 28 + 6, seq);
        return m;
    }

    @Test
    void hostUnreachableReadsLikeLinuxPing() {
        int from = SockAddr.parseAddress("192.168.77.1");
        assertEquals("From 192.168.77.1 icmp_seq=3 Destination Host Unreachable",
                PingErrors.describe(error(3, 1, 3), 36, from));
        assertEquals("From 192.168.77.1 icmp_seq=7 Time to live exceeded", PingErrors.describe(error(11, 0, 7), 36, from));
        assertEquals("From 192.168.77.1 icmp_seq=1 Destination Net Unreachable", PingErrors.describe(error(3, 0, 1), 36, from));
        assertNull(PingErrors.describe(error(0, 0, 1), 36, from), "an echo reply is no error");
        assertNull(PingErrors.describe(error(3, 1, 1), 30, from), "too short to quote a request");
    }

    @Test
    void errorsAppearInTheStatisticsLine() {
        PingStats s = new PingStats();
        for (int i = 0; i < 3; i++) {
            s.sent();
            s.error();
        }
        assertEquals("--- 10.0.0.99 ping statistics ---\n3 packets transmitted, 0 received, +3 errors, 100% packet loss, "
                + "time 2003ms\n", s.summary("10.0.0.99", 2003));
    }
}
