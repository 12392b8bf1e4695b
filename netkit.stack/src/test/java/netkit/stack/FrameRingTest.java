package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FrameRingTest {
    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        assertEquals(1, new FrameRing<Integer>(1).capacity());
        assertEquals(8, new FrameRing<Integer>(5).capacity());
        assertEquals(8, new FrameRing<Integer>(8).capacity());
        assertEquals(8192, new FrameRing<Integer>(8192).capacity());
        assertThrows(IllegalArgumentException.class, () -> new FrameRing<Integer>(0));
        assertThrows(NullPointerException.class, () -> new FrameRing<Integer>(4).offer(null, 4));
    }

    @Test
    void emptyRingPollsNull() {
        FrameRing<Integer> r = new FrameRing<>(4);
        assertTrue(r.isEmpty());
        assertEquals(0, r.size());
        assertNull(r.poll());
        assertTrue(r.offer(1, 4));
        assertFalse(r.isEmpty());
        assertEquals(1, r.poll());
        assertNull(r.poll());
        assertTrue(r.isEmpty());
    }

    @Test
    void fullRingRefusesUntilPolled() {
        FrameRing<Integer> r = new FrameRing<>(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(r.offer(i, Integer.MAX_VALUE)); // a limit above the size is the size
        }
        assertEquals(4, r.size());
        assertFalse(r.offer(99, Integer.MAX_VALUE));
        assertEquals(0, r.poll());
        assertTrue(r.offer(4, Integer.MAX_VALUE));
        assertFalse(r.offer(99, Integer.MAX_VALUE));
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, r.poll()); // FIFO across the refused offers
        }
        assertNull(r.poll());
    }

    @Test
    void limitBelowTheSizeBoundsIt() {
        FrameRing<Integer> r = new FrameRing<>(8);
        assertTrue(r.offer(1, 2));
        assertTrue(r.offer(2, 2));
        assertFalse(r.offer(3, 2));
        assertTrue(r.offer(3, 3)); // the limit is read on every offer (settings may change)
        assertFalse(r.offer(4, 1));
        assertEquals(3, r.size());
        assertEquals(1, r.poll());
        assertEquals(2, r.poll());
        assertEquals(3, r.poll());
    }

    @Test
    void wrapsManyTimesInOrder() {
        FrameRing<Integer> r = new FrameRing<>(4);
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 1000; round++) {
            int n = 1 + round % 4; // fill to various depths so the indices cross the end at every slot
            for (int i = 0; i < n; i++) {
                assertTrue(r.offer(next++, 4));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(expected++, r.poll());
            }
            assertNull(r.poll());
        }
        assertEquals(next, expected);
    }

    /** Several producers race a consumer through a small ring: nothing lost, duplicated or reordered per producer. */
    @Test
    void concurrentProducersLoseNothing() throws Exception {
        int producers = 4;
        int each = 200_000;
        FrameRing<long[]> r = new FrameRing<>(64);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    long[] e = {id, i};
                    while (!r.offer(e, 64)) {
                        refused.incrementAndGet();
                        Thread.yield();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        int[] nextOf = new int[producers];
        start.countDown();
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int got = 0; got < producers * each;) {
            long[] e = r.poll();
            if (e == null) {
                assertTrue(System.nanoTime() < deadline, "stalled after " + got);
                Thread.onSpinWait();
                continue;
            }
            int id = (int) e[0];
            assertEquals(nextOf[id], (int) e[1], "producer " + id + " out of order");
            nextOf[id]++;
            got++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(r.poll());
        assertTrue(r.isEmpty());
        for (int p = 0; p < producers; p++) {
            assertEquals(each, nextOf[p]);
        }
    }
}
