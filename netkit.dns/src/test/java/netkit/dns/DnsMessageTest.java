package netkit.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The response parser against hostile messages (RFC 1035 §4.1): every bad one refused, with bounded work. */
class DnsMessageTest {
    private static final DnsServer.Query Q = new DnsServer.Query(0x1234, "www.example", DnsMessage.TYPE_A, null,
            false, 0);

    private static void refused(byte[] b) {
        assertThrows(MalformedMessageException.class, () -> DnsMessage.parse(b, b.length));
    }

    @Test
    void aCompressedResponseParses() throws Exception {
        // dig-style: the answer's owner is a pointer to the question name at offset 12
        byte[] b = HexFormat.of().parseHex("12348180000100010000000003777777076578616d706c650000010001"
                + "c00c000100010000012c0004c0000201");
        DnsMessage m = DnsMessage.parse(b, b.length);
        assertTrue(m.response());
        assertTrue(m.answers("WWW.example", DnsMessage.TYPE_A));
        assertEquals("www.example", m.answers().get(0).name());
        assertEquals(0xc0000201, m.answers().get(0).address());
        assertEquals(300, m.answers().get(0).ttl());
    }

    @Test
    void aPointerToItselfOrForwardIsRefused() {
        byte[] good = Reply.to(Q).a("www.example", 300, 1).bytes();
        byte[] self = good.clone();
        self[12] = (byte) 0xc0;
        self[13] = 12;
        refused(self);
        byte[] forward = good.clone();
        forward[12] = (byte) 0xc0;
        forward[13] = 40;
        refused(forward);
        byte[] intoHeader = good.clone();
        intoHeader[12] = (byte) 0xc0;
        intoHeader[13] = 2;
        refused(intoHeader);
    }

    @Test
    void aLoopOfTwoPointersIsRefused() {
        // question name at 12 = label "a" + pointer to 17; at 17 a pointer back to 12
        byte[] b = HexFormat.of().parseHex("1234818000010000000000000161c011c00c00010001");
        refused(b);
    }

    @Test
    void everyCutOfAValidResponseIsRefused() throws Exception {
        byte[] good = Reply.to(Q).cname("www.example", 60, "a.example").a("a.example", 300, 1).soa("example", 5, 5)
                .bytes();
        DnsMessage.parse(good, good.length);
        for (int n = 0; n < good.length; n++) {
            refused(Arrays.copyOf(good, n));
        }
    }

    @Test
    void absurdCountsAreRefusedBeforeAnythingIsRead() {
        byte[] b = Reply.to(Q).a("www.example", 300, 1).bytes();
        b[6] = (byte) 0xff;
        b[7] = (byte) 0xff;
        refused(b);
        byte[] qd = Reply.to(Q).bytes();
        qd[4] = (byte) 0xff;
        refused(qd);
    }

    @Test
    void wrongRdataLengthsAndLabelTypesAreRefused() {
        byte[] a = Reply.to(Q).a("www.example", 300, 1).bytes();
        a[a.length - 5] = 5; // RDLENGTH 5 for an A record that has 4 bytes (runs past the end)
        refused(a);
        byte[] cname = Reply.to(Q).cname("www.example", 300, "x.example").bytes();
        cname[cname.length - 12] = 3; // RDLENGTH shorter than the name inside
        refused(cname);
        byte[] extended = Reply.to(Q).bytes();
        extended[12] = 0x41; // label type 01 (RFC 6891 made it obsolete)
        refused(extended);
    }

    @Test
    void aNameOver255OctetsIsRefused() {
        StringBuilder b = new StringBuilder("1234818000010000000000");
        b.append("00"); // ARCOUNT low byte ends the header
        for (int i = 0; i < 5; i++) {
            b.append("3f").append("61".repeat(63)); // 5 labels of 63: 320 octets
        }
        b.append("0000010001");
        refused(HexFormat.of().parseHex(b.toString()));
    }

    @Test
    void oddBytesInNamesAreEscapedAsDigDoes() throws Exception {
        byte[] b = HexFormat.of().parseHex("123481800001000000000000" + "03612e00" + "0000010001");
        assertEquals("a\\046\\000", DnsMessage.parse(b, b.length).questions().get(0).name());
    }

    @Test
    void aQueryIsWhatRfc1035Says() {
        assertEquals("abcd01000001000000000000047465737407657861" + "6d706c650000010001",
                HexFormat.of().formatHex(DnsMessage.query(0xabcd, "test.example", DnsMessage.TYPE_A)));
    }
}
