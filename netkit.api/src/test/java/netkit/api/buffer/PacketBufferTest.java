package netkit.api.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
