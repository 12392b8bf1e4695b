package netkit.api.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** The plain 16-bit definition from RFC 1071 §4.1, as a reference. */
    private static int reference(byte[] b, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            sum += (b[off + i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 -> checksum 220d.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, Checksum.of(b, 0, 8));
    }

    @Test
    void matchesReferenceForEveryLengthAndOffset() {
        Random r = new Random(7);
        byte[] b = new byte[3000];
        r.nextBytes(b);
        for (int len = 0; len < 300; len++) {
            for (int off = 0; off < 9; off++) {
                assertEquals(reference(b, off, len), Checksum.of(b, off, len), "len " + len + " off " + off);
            }
        }
        assertEquals(reference(b, 3, 2997), Checksum.of(b, 3, 2997));
    }

    @Test
    void dataWithItsChecksumVerifies() {
        byte[] b = new byte[64];
        new Random(3).nextBytes(b);
        b[10] = 0;
        b[11] = 0;
        int c = Checksum.of(b, 0, 64);
        Bytes.put16(b, 10, c);
        assertTrue(Checksum.verifies(Checksum.add(0, b, 0, 64)));
        b[20] ^= 1;
        assertEquals(false, Checksum.verifies(Checksum.add(0, b, 0, 64)));
    }

    @Test
    void allOnesDataDoesNotOverflow() {
        byte[] b = new byte[65536];
        java.util.Arrays.fill(b, (byte) 0xff);
        assertEquals(reference(b, 0, b.length), Checksum.of(b, 0, b.length));
    }
}
