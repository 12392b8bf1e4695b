package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import org.junit.jupiter.api.Test;

/** SACK blocks from the kept block index against blocks computed byte by byte (RFC 2018 §4 order). */
class OutOfOrderBlocksTest {
    private static final int SPAN = 4000;
    private final PacketPool pool = PacketPool.forEthernet();

    private PacketBuffer segment(int len) {
        PacketBuffer b = pool.acquire(len);
        b.append(len);
        return b;
    }

    /**
     * The expected blocks: maximal runs of bytes held beyond {@code rcvNxt}; first the run holding
     * {@code latest} (else the lowest), then the others from the highest down, at most {@code max}.
     */
    private static int[] expected(boolean[] held, long rcvNxt, long latest, int max) {
        List<long[]> runs = new ArrayList<>();
        for (int i = (int) rcvNxt; i < held.length; i++) {
            if (held[i] && (i == rcvNxt || !held[i - 1])) {
                int j = i;
                while (j < held.length && held[j]) {
                    j++;
                }
                runs.add(new long[] {i, j});
            }
        }
        if (runs.isEmpty()) {
            return new int[0];
        }
        long[] first = runs.get(0);
        for (long[] r : runs) {
            if (r[0] <= latest && latest < r[1]) {
                first = r;
            }
        }
        List<Integer> out = new ArrayList<>(List.of((int) first[0], (int) first[1]));
        for (int k = runs.size() - 1; k >= 0 && out.size() < 2 * max; k--) {
            if (runs.get(k) != first) {
                out.add((int) runs.get(k)[0]);
                out.add((int) runs.get(k)[1]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void randomArrivalsGiveTheBlocksABytewiseAccountGives() {
        Random r = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            ReceiveBuffer rb = new ReceiveBuffer(1 << 20, new MemoryAccount(64L << 20));
            boolean[] held = new boolean[SPAN + 200];
            long rcvNxt = 0;
            long latest = -1;
            for (int step = 0; step < 300; step++) {
                long seq = rcvNxt + r.nextInt(r.nextBoolean() ? 40 : 600);
                int len = 1 + r.nextInt(r.nextBoolean() ? 8 : 120);
                if (seq + len > SPAN) {
                    break;
                }
                PacketBuffer b = segment(len);
                long advanced = rb.accept(rcvNxt, seq, b, b.offset(), len);
                if (!rb.keptLast()) {
                    b.release();
                }
                boolean outOfOrder = seq > rcvNxt;
                for (long i = seq; i < seq + len; i++) {
                    held[(int) i] = true;
                }
                long expectNext = rcvNxt;
                while (held[(int) expectNext]) {
                    expectNext++;
                }
                assertEquals(expectNext - rcvNxt, advanced, "RCV.NXT advance at step " + step);
                rcvNxt = expectNext;
                if (outOfOrder) {
                    latest = seq; // RFC 2018 §4: the first block holds the segment that triggered the ACK
                }
                for (int max = 1; max <= 4; max++) {
                    int[] got = new int[8];
                    rb.duplicate(0, 0); // no D-SACK: only the out-of-order blocks
                    int n = rb.sackBlocks(got, max);
                    int[] want = expected(held, rcvNxt, latest, max);
                    assertArrayEquals(want, Arrays.copyOf(got, 2 * n),
                            "trial " + trial + " step " + step + " max " + max + " latest " + latest + " seg " + seq + "+" + len
                            + " rcvNxt " + rcvNxt + " got " + Arrays.toString(Arrays.copyOf(got, 2 * n)) + " want " + Arrays.toString(want));
                }
            }
            rb.clear();
        }
    }

    @Test
    void aHoleBeforeManySegmentsIsOneBlockFoundWithoutAWalk() {
        ReceiveBuffer rb = new ReceiveBuffer(16 << 20, new MemoryAccount(64L << 20));
        for (int i = 1; i <= 2000; i++) { // segment 0 lost; 2,000 follow, each acknowledged with SACK
            PacketBuffer b = segment(100);
            rb.accept(0, i * 100L, b, b.offset(), 100);
        }
        int[] out = new int[8];
        assertEquals(1, rb.sackBlocks(out, 4));
        assertEquals(100, out[0]);
        assertEquals(200_100, out[1]);
        PacketBuffer b = segment(100);
        assertEquals(200_100, rb.accept(0, 0, b, b.offset(), 100), "the hole filled: all of it in order");
        assertTrue(!rb.sackDue());
        rb.clear();
    }
}
