package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SendRingsTest {
    private final MemoryAccount memory = new MemoryAccount(64L << 20);
    private final SendRings rings = new SendRings(memory);

    @Test
    void ringsArePowersOfTwoFromFourKibibytes() {
        assertEquals(4096, rings.take(1).length);
        assertEquals(4096, rings.take(4096).length);
        assertEquals(8192, rings.take(4097).length);
        assertEquals(1 << 18, rings.take(212_992).length);
        assertEquals(4096 + 4096 + 8192 + (1 << 18), memory.used(), "charged while held");
        assertThrows(IllegalArgumentException.class, () -> rings.take(Integer.MAX_VALUE));
    }

    @Test
    void aGivenBackRingIsTheNextOneOfItsLength() {
        byte[] a = rings.take(10_000);
        rings.give(a);
        assertEquals(0, memory.used(), "a spare ring is not charged");
        assertEquals(a.length, rings.spareBytes());
        assertSame(a, rings.take(9_000));
        assertEquals(0, rings.spareBytes());
        assertNotSame(a, rings.take(9_000), "one spare, taken once");
    }

    @Test
    void spareRingsAreBounded() {
        byte[][] held = new byte[8][];
        for (int i = 0; i < held.length; i++) {
            held[i] = rings.take(1 << 20);
        }
        for (byte[] r : held) {
            rings.give(r);
        }
        assertEquals(SendRings.MAX_SPARE_BYTES, rings.spareBytes());
        assertEquals(0, memory.used());
    }

    @Test
    void noSpareIsKeptUnderMemoryPressure() {
        MemoryAccount tight = new MemoryAccount(8192);
        SendRings r = new SendRings(tight);
        byte[] a = r.take(8192);
        byte[] b = r.take(8192);
        r.give(a); // 8192 still used by b: at the limit, not over it
        assertEquals(8192, r.spareBytes());
        byte[] c = r.take(8192);
        byte[] d = r.take(4096); // 8192 + 8192 + 4096 > 8192: pressure
        r.give(d);
        assertEquals(0, r.spareBytes(), "under pressure a given-back ring is dropped");
        r.give(b);
        r.give(c);
    }

    @Test
    void aBulkSenderThatDrainsItsRingReusesIt() {
        SendBuffer sb = new SendBuffer(1 << 16, rings);
        byte[] chunk = new byte[50_000];
        sb.append(chunk, 0, chunk.length);
        sb.consume(chunk.length);
        long spare = rings.spareBytes();
        assertEquals(1 << 16, spare, "the drained ring went back");
        sb.append(chunk, 0, chunk.length);
        assertEquals(0, rings.spareBytes(), "and came back for the next burst");
        assertEquals(1 << 16, memory.used());
    }

    @Test
    void aLargeRingGivenBackDisplacesSmallerSpares() {
        byte[][] small = new byte[7][];
        for (int i = 0; i < small.length; i++) {
            small[i] = rings.take(1 << 20);
        }
        byte[] large = rings.take(4 << 20);
        for (byte[] r : small) {
            rings.give(r);
        }
        assertEquals(7L << 20, rings.spareBytes());
        rings.give(large);
        assertEquals(SendRings.MAX_SPARE_BYTES, rings.spareBytes(), "three 1 MiB rings made room for it");
        assertSame(large, rings.takeSpare(4 << 20));
        assertEquals(null, rings.takeSpare(4 << 20), "takeSpare never allocates");
    }

    @Test
    void aDrainedLargeBufferTakesItsRingBackInsteadOfGrowingAgain() {
        SendBuffer sb = new SendBuffer(4 << 20, rings);
        byte[] chunk = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
            assertEquals(chunk.length, sb.append(chunk, 0, chunk.length));
        }
        sb.consume(4 << 20);
        assertEquals(0, memory.used());
        long spare = rings.spareBytes();
        sb.append(chunk, 0, chunk.length);
        assertEquals(4 << 20, memory.used(), "the 4 MiB ring at once, not a 64 KiB one doubled again");
        assertEquals(spare - (4 << 20), rings.spareBytes(), "taken from the spares, not allocated");
    }
}
