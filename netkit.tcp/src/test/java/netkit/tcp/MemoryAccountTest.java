package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netkit.api.buffer.PacketBuffer;
import netkit.api.buffer.PacketPool;
import org.junit.jupiter.api.Test;

/** The memory bound counts the buffers TCP holds, not the data bytes in them. */
class MemoryAccountTest {
    private final PacketPool pool = PacketPool.forEthernet();
    private final MemoryAccount memory = new MemoryAccount(1 << 20);

    private PacketBuffer segment(int len) {
        PacketBuffer b = pool.acquire(len);
        b.append(len);
        return b;
    }

    @Test
    void oneByteSegmentsHeldOutOfOrderCountTheirBuffers() {
        ReceiveBuffer rb = new ReceiveBuffer(65_536, memory);
        int capacity = segment(1).capacity();
        for (int i = 0; i < 100; i++) {
            PacketBuffer b = segment(1);
            assertEquals(0, rb.accept(1000, 1002 + 2 * i, b, b.offset(), 1), "a hole at 1000");
            assertTrue(rb.keptLast());
        }
        assertEquals(100, rb.outOfOrderBytes());
        assertEquals(100L * capacity, memory.used(), "100 bytes of data hold 100 buffers");
        rb.clear();
        assertEquals(0, memory.used());
    }

    @Test
    void inOrderBuffersAreUnchargedWhenFullyRead() {
        ReceiveBuffer rb = new ReceiveBuffer(65_536, memory);
        PacketBuffer b = segment(100);
        assertEquals(100, rb.accept(0, 0, b, b.offset(), 100));
        assertTrue(rb.keptLast());
        assertEquals(b.capacity(), memory.used());
        byte[] dst = new byte[100];
        rb.read(dst, 0, 99, false);
        assertEquals(b.capacity(), memory.used(), "a partly read buffer is still held");
        rb.read(dst, 0, 1, false);
        assertEquals(0, memory.used());
    }

    @Test
    void sendRingCountsItsLengthUntilEverythingIsAcknowledged() {
        SendBuffer sb = new SendBuffer(1 << 20, new SendRings(memory));
        assertEquals(0, memory.used(), "no ring before data");
        assertEquals(10, sb.append(new byte[10], 0, 10));
        assertEquals(4096, memory.used(), "10 bytes in a 4 KiB ring");
        sb.append(new byte[5000], 0, 5000);
        assertEquals(8192, memory.used());
        sb.consume(5009);
        assertEquals(8192, memory.used());
        sb.consume(1);
        assertEquals(0, memory.used(), "an emptied ring is given back");
    }
}
