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

    /** The run of held bytes {@code [start, end)} holding byte {@code seq}. */
    private static long[] runHolding(boolean[] held, long seq) {
        int i = (int) seq;
        int j = i;
        while (i > 0 && held[i - 1]) {
            i--;
        }
        while (j < held.length && held[j]) {
            j++;
        }
        return new long[] {i, j};
    }

    /**
     * The expected blocks (RFC 2018 §4, kept as Linux keeps {@code selective_acks}): maximal runs of
     * bytes held beyond {@code rcvNxt}; first the runs holding the {@code recent} arrivals (latest first),
     * else the lowest run, then the others from the highest down, at most {@code max}.
     */
    private static int[] expected(boolean[] held, long rcvNxt, List<Long> recent, int max) {
        List<long[]> runs = new ArrayList<>();
        for (int i = (int) rcvNxt; i < held.length; i++) {
            if (held[i] && (i == rcvNxt || !held[i - 1])) {
                runs.add(runHolding(held, i));
            }
        }
        if (runs.isEmpty()) {
            return new int[0];
        }
        List<long[]> order = new ArrayList<>();
        for (long s : recent) {
            order.add(runHolding(held, s));
        }
        if (order.isEmpty()) {
            order.add(runs.get(0));
        }
        for (int k = runs.size() - 1; k >= 0; k--) {
            order.add(runs.get(k));
        }
        List<Integer> out = new ArrayList<>();
        for (long[] run : order) {
            if (out.size() < 2 * max && !out.contains((int) run[0])) {
                out.add((int) run[0]);
                out.add((int) run[1]);
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
            List<Long> recent = new ArrayList<>(); // arrivals of out-of-order segments, one per run, latest first
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
                if (outOfOrder) { // RFC 2018 §4: the first block holds the segment that triggered the ACK
                    long run = runHolding(held, seq)[0];
                    List<Long> next = new ArrayList<>(List.of(seq));
                    for (long s : recent) {
                        if (runHolding(held, s)[0] != run && next.size() < OutOfOrderBlocks.RECENT) {
                            next.add(s);
                        }
                    }
                    recent = next;
                }
                final long nxt = rcvNxt;
                recent.removeIf(s -> s < nxt); // its run went in order
                for (int max = 1; max <= 4; max++) {
                    int[] got = new int[8];
                    rb.duplicate(0, 0); // no D-SACK: only the out-of-order blocks
                    int n = rb.sackBlocks(got, max);
                    int[] want = expected(held, rcvNxt, recent, max);
                    assertArrayEquals(want, Arrays.copyOf(got, 2 * n),
                            "trial " + trial + " step " + step + " max " + max + " recent " + recent + " seg " + seq + "+" + len
                            + " rcvNxt " + rcvNxt + " got " + Arrays.toString(Arrays.copyOf(got, 2 * n)) + " want " + Arrays.toString(want));
                }
            }
            rb.clear();
        }
    }

    /**
     * RFC 2018 §4: after the block of the segment that triggered the ACK come the blocks reported
     * first most recently, not the highest: segments arriving at 500, 300, 100 (three holes) give
     * 100, 300, 500; one more at 520 puts 500's block first again, then 100's and 300's.
     */
    @Test
    void blocksFollowTheOrderSegmentsArrivedIn() {
        ReceiveBuffer rb = new ReceiveBuffer(1 << 20, new MemoryAccount(64L << 20));
        for (long seq : new long[] {500, 300, 100}) {
            PacketBuffer b = segment(20);
            rb.accept(0, seq, b, b.offset(), 20);
        }
        int[] out = new int[8];
        assertEquals(3, rb.sackBlocks(out, 4));
        assertArrayEquals(new int[] {100, 120, 300, 320, 500, 520}, Arrays.copyOf(out, 6));
        PacketBuffer b = segment(20);
        rb.accept(0, 520, b, b.offset(), 20);
        assertEquals(3, rb.sackBlocks(out, 4));
        assertArrayEquals(new int[] {500, 540, 100, 120, 300, 320}, Arrays.copyOf(out, 6));
        assertEquals(2, rb.sackBlocks(out, 2), "with room for two, the two latest");
        assertArrayEquals(new int[] {500, 540, 100, 120}, Arrays.copyOf(out, 4));
        rb.clear();
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
