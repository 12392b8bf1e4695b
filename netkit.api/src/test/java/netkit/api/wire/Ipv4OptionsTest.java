package netkit.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One walk of the options serves both the input check (RFC 791 §3.1) and {@link Ipv4Options#find}. */
class Ipv4OptionsTest {
    /** A header at offset 2 of a larger array, with {@code options} (padded to 4 octets by zeros). */
    private static byte[] header(int... options) {
        byte[] h = new byte[2 + 20 + ((options.length + 3) & ~3)];
        for (int i = 0; i < options.length; i++) {
            h[2 + 20 + i] = (byte) options[i];
        }
        return h;
    }

    private static int hl(byte[] h) {
        return h.length - 2;
    }

    @Test
    void wellFormedOptionsAreFound() {
        byte[] h = header(1, 1, 7, 7, 4, 0, 0, 0, 0, 0);
        assertEquals(-1, Ipv4Options.firstMalformed(h, 2, hl(h)));
        assertEquals(24, Ipv4Options.find(h, 2, hl(h), Ipv4Options.RECORD_ROUTE));
        assertEquals(-1, Ipv4Options.find(h, 2, hl(h), 68));
        assertEquals(-1, Ipv4Options.firstMalformed(h, 2, 20));
    }

    @Test
    void afterEndOfListIsPadding() {
        byte[] h = header(0, 7, 1, 0);
        assertEquals(-1, Ipv4Options.firstMalformed(h, 2, hl(h)));
        assertEquals(-1, Ipv4Options.find(h, 2, hl(h), Ipv4Options.RECORD_ROUTE));
    }

    @Test
    void theParameterProblemPointerIsLinuxs() {
        byte[] noLength = header(1, 1, 1, 68);
        assertEquals(23, Ipv4Options.firstMalformed(noLength, 2, hl(noLength)));
        byte[] tooLong = header(68, 9, 0, 0);
        assertEquals(20, Ipv4Options.firstMalformed(tooLong, 2, hl(tooLong)));
        byte[] lengthOne = header(1, 68, 1, 0);
        assertEquals(21, Ipv4Options.firstMalformed(lengthOne, 2, hl(lengthOne)));
        byte[] shortRecordRoute = header(7, 2, 1, 0);
        assertEquals(21, Ipv4Options.firstMalformed(shortRecordRoute, 2, hl(shortRecordRoute)));
        byte[] lowPointer = header(7, 7, 3, 0, 0, 0, 0);
        assertEquals(22, Ipv4Options.firstMalformed(lowPointer, 2, hl(lowPointer)));
        assertEquals(-1, Ipv4Options.find(lowPointer, 2, hl(lowPointer), Ipv4Options.RECORD_ROUTE));
        assertEquals(-1, Ipv4Options.find(tooLong, 2, hl(tooLong), 68));
    }
}
