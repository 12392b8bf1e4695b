package netkit.api.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketBufferTest {
    @Test
    void prependUsesHeaderRoomWithoutCopying() {
        PacketBuffer b = PacketBuffer.allocate(64, 100);
        b.append(new byte[] {1, 2, 3}, 0, 3);
        byte[] array = b.array();
        int at = b.prepend(20);
        assertSame(array, b.array(), "no copy while room is left");
        assertEquals(44, at);
        assertEquals(23, b.length());
        b.consume(20);
        assertArrayEquals(new byte[] {1, 2, 3}, b.toByteArray());
    }

    @Test
    void prependBeyondRoomMovesOnceAndKeepsData() {
        PacketBuffer b = PacketBuffer.allocate(4, 10);
        b.append(new byte[] {9, 8, 7}, 0, 3);
        b.prepend(10);
        assertEquals(13, b.length());
        b.consume(10);
        assertArrayEquals(new byte[] {9, 8, 7}, b.toByteArray());
    }

    @Test
    void boundsAreChecked() {
        PacketBuffer b = PacketBuffer.allocate(8, 8);
        b.append(4);
        assertThrows(IndexOutOfBoundsException.class, () -> b.consume(5));
        assertThrows(IndexOutOfBoundsException.class, () -> b.truncate(5));
        assertThrows(IndexOutOfBoundsException.class, () -> b.consume(-1));
        b.truncate(2);
        assertEquals(2, b.length());
    }

    @Test
    void poolRecyclesAndToleratesDoubleRelease() {
        PacketPool pool = new PacketPool(16, 64, 2);
        PacketBuffer a = pool.acquire(10);
        a.append(10);
        a.release();
        a.release();
        assertEquals(1, pool.idle());
        PacketBuffer b = pool.acquire(10);
        PacketBuffer c = pool.acquire(10);
        assertNotSame(b, c, "a double release must not hand one array out twice");
        assertEquals(0, b.length());
        assertEquals(16, b.headroom());
        PacketBuffer big = pool.acquire(1000);
        assertEquals(true, big.tailroom() >= 1000, "oversize requests get a fresh, large enough buffer");
        big.release();
        assertEquals(0, pool.idle());
    }

    @Test
    void poolKeepsAtMostItsBoundAndAllocatesNothingInSteadyState() {
        PacketPool pool = new PacketPool(16, 64, 40);
        PacketBuffer[] bs = new PacketBuffer[50];
        for (int i = 0; i < bs.length; i++) {
            bs[i] = pool.acquire(10);
        }
        for (PacketBuffer b : bs) {
            b.release();
        }
        assertEquals(40, pool.idle(), "idle up to the bound, no further");
        assertSame(bs[0], pool.acquire(10), "first in, first out");
        assertSame(bs[1], pool.acquire(10));
        assertEquals(38, pool.idle());
        assertEquals(50, pool.allocations());
        for (int i = 0; i < 1000; i++) {
            pool.acquire(10).release(); // steady state: no new arrays
        }
        assertEquals(50, pool.allocations());
    }

    @Test
    void poolNeverHandsOneBufferToTwoThreads() throws Exception {
        PacketPool pool = new PacketPool(16, 64, 64);
        java.util.Set<PacketBuffer> out = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 50_000 && failure.get() == null; i++) {
                    PacketBuffer a = pool.acquire(10);
                    PacketBuffer b = pool.acquire(10);
                    if (!out.add(a) || !out.add(b)) {
                        failure.set("a buffer was handed out while another thread held it");
                    }
                    out.remove(a);
                    out.remove(b);
                    a.release();
                    b.release();
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertEquals(0, pool.outstanding());
        assertTrue(pool.idle() <= 64, "never more idle than the bound");
        // a take may find the ring empty while a give is half done (then it allocates); once
        // the threads are gone the pool serves from what it keeps
        long before = pool.allocations();
        for (int i = 0; i < 1000; i++) {
            pool.acquire(10).release();
        }
        assertEquals(before, pool.allocations());
    }

    @Test
    void outstandingCountsPoolSizedBuffersUntilReleasedOnce() {
        PacketPool pool = new PacketPool(16, 64, 1);
        PacketBuffer a = pool.acquire(10);
        PacketBuffer b = pool.acquire(10);
        PacketBuffer big = pool.acquire(1000);
        assertEquals(2, pool.outstanding(), "oversize buffers are not the pool's");
        a.release();
        a.release();
        assertEquals(1, pool.outstanding(), "a double release counts once");
        b.release(); // beyond maxPooled: dropped, no longer outstanding either
        big.release();
        assertEquals(0, pool.outstanding());
        pool.acquire(10).copy().release();
        assertEquals(1, pool.outstanding(), "a copy is released, the original is not");
    }

    @Test
    void aPooledBufferThatGrewIsCountedBackButNotPooled() {
        PacketPool pool = new PacketPool(16, 64, 4);
        PacketBuffer a = pool.acquire(10);
        a.prepend(40); // beyond its 16 bytes of room: moved to a larger array
        a.release();
        assertEquals(0, pool.outstanding(), "released, whatever its size now");
        assertEquals(0, pool.idle(), "not the class's size any more: dropped");
    }

    @Test
    void largeClassesPoolUpTo64KiBWithinTheirByteBudget() {
        int cap64 = 16 + PacketPool.MAX_POOLED_PAYLOAD;
        PacketPool pool = new PacketPool(16, 2048, 4, 2L * cap64);
        PacketBuffer a = pool.acquire(65_000);
        PacketBuffer b = pool.acquire(65_535);
        PacketBuffer c = pool.acquire(40_000);
        assertEquals(cap64, a.capacity());
        assertEquals(3, pool.outstanding());
        a.release();
        b.release();
        c.release();
        assertEquals(0, pool.outstanding());
        assertEquals(2, pool.idle(), "the third would pass the byte budget");
        assertEquals(2L * cap64, pool.largeIdleBytes());
        PacketBuffer again = pool.acquire(50_000);
        assertTrue(again == a || again == b || again == c, "a pooled large buffer is reused");
        assertEquals(cap64, pool.largeIdleBytes());
        assertEquals(16, again.headroom());
        assertEquals(0, again.length());
        PacketBuffer mid = pool.acquire(3500);
        assertEquals(16 + 4096, mid.capacity(), "the smallest class that fits");
        PacketBuffer jumbo = pool.acquire(9000);
        assertEquals(16 + 12288, jumbo.capacity(), "classes 1.5 or 4/3 apart");
        mid.release();
        assertEquals(cap64 + 16 + 4096, pool.largeIdleBytes(), "budget counts bytes, not buffers");
        PacketBuffer huge = pool.acquire(PacketPool.MAX_POOLED_PAYLOAD + 1);
        assertEquals(2, pool.outstanding(), "beyond the largest class: allocated apart, not counted");
        huge.release();
        again.release();
        jumbo.release();
        assertEquals(0, pool.outstanding());
        assertTrue(pool.largeIdleBytes() <= 2L * cap64);
    }

    @Test
    void withoutABudgetNoLargeClass() {
        PacketPool pool = new PacketPool(16, 2048, 4);
        pool.acquire(4000).release();
        assertEquals(0, pool.idle());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void theStackPoolKeeps64KiBSegments() {
        PacketPool pool = PacketPool.forEthernet();
        PacketBuffer a = pool.acquire(65_495);
        a.release();
        assertSame(a, pool.acquire(65_495));
    }

    @Test
    void checksumOffloadMarkIsCopiedAndClearedOnReuse() {
        PacketPool pool = new PacketPool(16, 64, 4);
        PacketBuffer a = pool.acquire(10);
        a.append(10);
        a.checksumOffloaded(true);
        PacketBuffer c = a.copy();
        assertTrue(c.checksumOffloaded());
        c.release();
        a.release();
        assertFalse(pool.acquire(10).checksumOffloaded());
        assertFalse(pool.acquire(10).checksumOffloaded());
    }
}
