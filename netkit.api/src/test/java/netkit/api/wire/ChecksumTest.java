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

    /** The implementation before the native-order sum (big-endian 8-byte loads, no fold): the oracle. */
    private static long oldAdd(long sum, byte[] b, int off, int len) {
        while (len >= 8) {
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = v << 8 | (b[off + k] & 0xff);
            }
            sum += (v >>> 32) + (v & 0xffffffffL);
            off += 8;
            len -= 8;
        }
        while (len >= 2) {
            sum += ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
            off += 2;
            len -= 2;
        }
        if (len == 1) {
            sum += (b[off] & 0xff) << 8;
        }
        return sum;
    }

    @Test
    void propertyNativeOrderSumEqualsTheOldBigEndianSum() {
        Random r = new Random(1071);
        byte[] b = new byte[70_000];
        for (int round = 0; round < 20_000; round++) {
            if (round % 1000 == 0) {
                r.nextBytes(b);
                if (round % 3000 == 0) {
                    java.util.Arrays.fill(b, (byte) (round % 2 == 0 ? 0xff : 0)); // carries, and all zero
                }
            }
            int len = round % 10 == 0 ? r.nextInt(b.length / 2) : r.nextInt(200);
            int off = r.nextInt(b.length - len);
            long start = r.nextInt(4) == 0 ? 0 : r.nextLong() >>> 20; // a running sum carried in
            int src = r.nextInt();
            int dst = r.nextInt();
            long expected = oldAdd(Checksum.addPseudoHeader(start, src, dst, 6, len), b, off, len);
            long actual = Checksum.add(Checksum.addPseudoHeader(start, src, dst, 6, len), b, off, len);
            assertEquals(Checksum.finish(expected), Checksum.finish(actual), "len " + len + " off " + off);
            // chained: an even first piece, then the rest
            int split = len < 2 ? 0 : r.nextInt(len / 2) * 2;
            long chained = Checksum.add(Checksum.add(start, b, off, split), b, off + split, len - split);
            assertEquals(Checksum.finish(oldAdd(start, b, off, len)), Checksum.finish(chained), "chained " + len);
        }
    }

    @Test
    void propertyEveryLengthUpTo2000AtOddAndEvenOffsetsMatchesTheReference() {
        // #13: the sum runs in two accumulators over a JIT-unrolled loop; every length, offset
        // parity and odd tail must give the plain RFC 1071 result, also with a running sum carried in.
        Random r = new Random(13);
        byte[] b = new byte[4100];
        for (int round = 0; round < 40_000; round++) {
            if (round % 500 == 0) {
                r.nextBytes(b);
                if (round % 5000 == 0) {
                    java.util.Arrays.fill(b, (byte) (round % 10_000 == 0 ? 0xff : 0));
                }
            }
            int len = round < 2001 ? round : r.nextInt(2001);
            int off = r.nextInt(b.length - len - 1);
            off = round % 2 == 0 ? off & ~1 : off | 1; // even and odd offsets alike
            assertEquals(reference(b, off, len), Checksum.of(b, off, len), "len " + len + " off " + off);
            long start = r.nextLong() >>> 24;
            assertEquals(Checksum.finish(oldAdd(start, b, off, len)), Checksum.finish(Checksum.add(start, b, off, len)),
                    "carried in, len " + len + " off " + off);
        }
    }
}
