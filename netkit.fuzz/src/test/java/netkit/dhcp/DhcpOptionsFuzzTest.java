package netkit.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The DHCP reply parser (RFC 2131 §2, options RFC 2132, overload §9.3, concatenation RFC 3396) on
 * hostile bytes: it never throws, returns null or a message whose options all came from the input
 * (their total no larger than it), and every accessor the client uses is total. In package
 * netkit.dhcp (the parser is package-private); it runs from this test module only.
 */
class DhcpOptionsFuzzTest {
    @FuzzTest
    void replies(FuzzedDataProvider data) {
        byte[] b = data.consumeRemainingAsBytes();
        if (b.length >= DhcpMessage.FIXED + 4 && b.length % 3 == 0) {
            // steer toward the interesting part: a valid BOOTREPLY header and magic cookie
            b[0] = 2;
            b[1] = 1;
            b[2] = 6;
            b[DhcpMessage.FIXED] = 99;
            b[DhcpMessage.FIXED + 1] = (byte) 130;
            b[DhcpMessage.FIXED + 2] = 83;
            b[DhcpMessage.FIXED + 3] = 99;
        }
        DhcpMessage m = DhcpMessage.parse(b, 0, b.length);
        if (m == null) {
            return;
        }
        assertTrue(m.type() > 0 && m.type() < 256);
        long total = 0;
        for (byte[] o : m.options) {
            total += o == null ? 0 : o.length;
        }
        assertTrue(total <= b.length, "options " + total + " from " + b.length + " bytes");
        assertEquals(null, m.options[DhcpMessage.OPT_OVERLOAD], "overload is consumed, never kept");
        for (int code = 0; code < 256; code++) {
            m.int32(code, 0);
            m.int16(code, 0);
            m.addresses(code);
            m.text(code);
        }
        DhcpMessage again = DhcpMessage.parse(b, 0, b.length);
        assertEquals(m.type(), again.type(), "deterministic");
    }
}
