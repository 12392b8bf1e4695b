package netkit.stack.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import netkit.api.buffer.PacketBuffer;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.api.time.SimulatedLoop;
import netkit.api.time.Timer;
import netkit.api.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    private static final int HIGH = 200_000;
    private static final int LOW = 150_000;
    private final SimulatedLoop loop = new SimulatedLoop();
    private final CounterSet<IpCounter> counters = new CounterSet<>(IpCounter.class);
    private final List<byte[]> timeExceeded = new ArrayList<>();
    private final Reassembler r = new Reassembler(new Reassembler.Port() {
        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            return loop.schedule(delayNanos, task);
        }

        @Override
        public void timedOut(byte[] first, int length) {
            timeExceeded.add(Arrays.copyOf(first, length));
        }
    }, counters, 30_000, HIGH, LOW);
    private final Ipv4Packet view = new Ipv4Packet();

    private PacketBuffer frag(int id, byte[] data, int off, int len, boolean more) {
        PacketBuffer b = PacketBuffer.allocate(64, 20 + len);
        int at = b.append(20 + len);
        Ipv4Packet.emit(b.array(), at, 0, 20 + len, id, (more ? Ipv4Packet.FLAG_MF : 0) | (off / 8), 64, 17, 1, 2);
        System.arraycopy(data, off, b.array(), at + 20, len);
        return b;
    }

    private PacketBuffer add(PacketBuffer f) {
        return r.add(view.wrap(f.array(), f.offset(), f.length()), f);
    }

    private static byte[] payload(PacketBuffer whole) {
        Ipv4Packet ip = new Ipv4Packet().wrap(whole.array(), whole.offset(), whole.length());
        assertNull(ip.check(true), "reassembled header is valid");
        assertEquals(false, ip.isFragment());
        return Arrays.copyOfRange(whole.array(), ip.payloadOffset(), ip.payloadOffset() + ip.payloadLength());
    }

    private List<PacketBuffer> split(int id, byte[] data, int size) {
        List<PacketBuffer> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += size) {
            int n = Math.min(size, data.length - off);
            out.add(frag(id, data, off, n, off + n < data.length));
        }
        return out;
    }

    @Test
    void inOrderAndShuffled() {
        byte[] data = new byte[10_000];
        new Random(1).nextBytes(data);
        List<PacketBuffer> frags = split(1, data, 1480);
        PacketBuffer whole = null;
        for (PacketBuffer f : frags) {
            whole = add(f);
        }
        assertArrayEquals(data, payload(whole));
        for (long seed = 0; seed < 20; seed++) {
            List<PacketBuffer> shuffled = split(2, data, 1480);
            Collections.shuffle(shuffled, new Random(seed));
            PacketBuffer w = null;
            for (int i = 0; i < shuffled.size(); i++) {
                w = add(shuffled.get(i));
                if (i < shuffled.size() - 1) {
                    assertNull(w);
                }
            }
            assertArrayEquals(data, payload(w));
        }
        assertEquals(0, r.heldBytes());
    }

    @Test
    void overlappingFragmentDropsTheWholeDatagram() {
        byte[] first = new byte[32];
        Arrays.fill(first, (byte) 'A');
        byte[] second = new byte[32];
        Arrays.fill(second, (byte) 'B');
        assertNull(add(frag(3, first, 0, 16, true)));
        assertNull(add(frag(3, second, 8, 16, true))); // overlaps bytes 8..15
        assertEquals(0, r.pendingCount(), "RFC 5722 rule: the whole datagram is discarded");
        assertEquals(0, r.heldBytes());
        assertEquals(1, counters.get(IpCounter.REASM_OVERLAPS));
        assertEquals(1, counters.get(IpCounter.REASM_FAILS));
        assertNull(add(frag(3, second, 24, 8, false)), "the rest starts a new, incomplete datagram");
        assertEquals(1, r.pendingCount());
    }

    @Test
    void fragmentSpanningTwoReceivedOnesIsAnOverlap() {
        byte[] data = new byte[32];
        assertNull(add(frag(4, data, 0, 8, true)));
        assertNull(add(frag(4, data, 8, 8, true)));
        assertNull(add(frag(4, data, 0, 16, true)), "not inside a single received fragment");
        assertEquals(0, r.pendingCount());
        assertEquals(1, counters.get(IpCounter.REASM_OVERLAPS));
        assertEquals(1, counters.get(IpCounter.REASM_FAILS));
    }

    @Test
    void duplicatesAreIgnored() {
        byte[] data = new byte[32];
        new Random(4).nextBytes(data);
        assertNull(add(frag(5, data, 0, 16, true)));
        assertNull(add(frag(5, data, 0, 16, true)), "exact duplicate");
        assertNull(add(frag(5, data, 8, 8, true)), "inside a received fragment");
        PacketBuffer whole = add(frag(5, data, 16, 16, false));
        assertArrayEquals(data, payload(whole));
        assertEquals(0, counters.get(IpCounter.REASM_FAILS));
        assertEquals(0, counters.get(IpCounter.REASM_OVERLAPS));
        assertEquals(1, counters.get(IpCounter.REASM_OKS));
        assertNotNull(add(frag(6, data, 0, 32, false)), "an unfragmented-looking last fragment at 0 completes at once");
    }

    @Test
    void missingFragmentTimesOutWithTimeExceeded() {
        byte[] data = new byte[3000];
        List<PacketBuffer> frags = split(5, data, 1000);
        add(frags.get(0));
        add(frags.get(2));
        assertEquals(1, r.pendingCount());
        loop.advance(Duration.ofSeconds(29));
        assertEquals(1, r.pendingCount());
        loop.advance(Duration.ofSeconds(2));
        assertEquals(0, r.pendingCount());
        assertEquals(0, r.heldBytes());
        assertEquals(1, counters.get(IpCounter.REASM_TIMEOUT));
        assertEquals(1, timeExceeded.size(), "fragment zero arrived: ICMP time exceeded");
        assertEquals(576 - 28, timeExceeded.get(0).length,
                "as much of fragment zero as fits in a 576-byte ICMP datagram (RFC 1812 §4.3.2.3), as Linux quotes it");
    }

    @Test
    void timeExceededQuotesFragmentZeroOnly() {
        byte[] data = new byte[64];
        new Random(3).nextBytes(data);
        add(frag(7, data, 0, 24, true));
        add(frag(7, data, 24, 16, true)); // contiguous with fragment zero, but not part of it
        loop.advance(Duration.ofSeconds(31));
        assertEquals(1, timeExceeded.size());
        byte[] q = timeExceeded.get(0);
        assertEquals(20 + 24, q.length, "fragment zero's header and its 24 bytes of data, as Linux (differential test)");
        assertArrayEquals(Arrays.copyOf(data, 24), Arrays.copyOfRange(q, 20, q.length));
    }

    @Test
    void noTimeExceededWithoutFragmentZero() {
        byte[] data = new byte[3000];
        add(split(6, data, 1000).get(1));
        loop.advance(Duration.ofSeconds(31));
        assertEquals(0, timeExceeded.size());
    }

    @Test
    void malformedFragmentsFailTheDatagram() {
        byte[] data = new byte[70_000];
        assertNull(add(frag(7, data, 0, 12, true)), "MF with a length not a multiple of 8");
        assertEquals(1, counters.get(IpCounter.REASM_FAILS));
        assertNull(add(frag(8, data, 65_512, 8, false)), "ends beyond 65535 (ping of death)");
        assertEquals(2, counters.get(IpCounter.REASM_FAILS));
        add(frag(9, data, 0, 16, true));
        add(frag(9, data, 16, 8, false));
        assertEquals(0, r.pendingCount());
        add(frag(10, data, 0, 16, true));
        add(frag(10, data, 40, 8, false));
        assertNull(add(frag(10, data, 16, 8, false)), "two different ends");
        assertEquals(0, r.pendingCount());
    }

    @Test
    void completionReleasesTheMemoryAtOnce() {
        byte[] data = new byte[3000];
        List<PacketBuffer> frags = split(40, data, 1000);
        add(frags.get(0));
        add(frags.get(1));
        assertTrue(r.heldBytes() >= Reassembler.DATAGRAM_OVERHEAD + 2000, "held " + r.heldBytes());
        assertNotNull(add(frags.get(2)));
        assertEquals(0, r.heldBytes());
        add(split(41, data, 1000).get(0));
        assertNull(add(frag(41, data, 992, 16, true)), "overlap");
        assertEquals(0, r.heldBytes());
    }

    @Test
    void memoryBoundDropsOldestDatagrams() {
        byte[] data = new byte[60_000];
        for (int id = 20; id < 30; id++) {
            add(frag(id, data, 0, 1480, true));
            add(frag(id, data, 50_000, 1480, true));
        }
        assertEquals(true, r.heldBytes() <= 200_000, "held " + r.heldBytes());
        assertEquals(true, r.pendingCount() < 10);
        assertEquals(true, counters.get(IpCounter.REASM_FAILS) > 0);
    }

    @Test
    void floodOfTinyFirstFragmentsKeepsMemoryBounded() {
        byte[] data = new byte[4000];
        new Random(7).nextBytes(data);
        int flood = 100_000;
        int lowest = Integer.MAX_VALUE;
        for (int i = 0; i < flood; i++) {
            int before = r.heldBytes();
            add(frag(i, data, 0, 8, true));
            assertTrue(r.heldBytes() <= HIGH, "held " + r.heldBytes());
            if (r.heldBytes() < before) {
                lowest = Math.min(lowest, r.heldBytes());
            }
        }
        assertTrue(lowest <= LOW, "eviction goes down to the low threshold: " + lowest);
        // Each datagram holds far more than its 8 bytes of payload: the charge includes the bookkeeping.
        assertTrue(r.pendingCount() <= HIGH / Reassembler.DATAGRAM_OVERHEAD, "pending " + r.pendingCount());
        assertTrue(r.pendingCount() > 0);
        assertEquals(flood - r.pendingCount(), counters.get(IpCounter.REASM_EVICTIONS));
        assertEquals(flood - r.pendingCount(), counters.get(IpCounter.REASM_FAILS));
        loop.advance(Duration.ofSeconds(31));
        assertEquals(0, r.pendingCount(), "the survivors time out");
        assertEquals(0, r.heldBytes());
        for (int i = 0; i < flood; i++) {
            add(frag(i, data, 0, 8, true));
        }
        List<PacketBuffer> frags = split(flood, data, 1000);
        PacketBuffer whole = null;
        for (PacketBuffer f : frags) {
            whole = add(f);
        }
        assertNotNull(whole, "a legitimate datagram after the flood is reassembled");
        assertArrayEquals(data, payload(whole));
        assertTrue(r.heldBytes() <= HIGH);
    }

    @Test
    void timerTasksDoNotKeepDatagramsReachable() {
        // A timer queue may hold a cancelled task until its deadline: the task must not pin the datagram.
        List<Runnable> tasks = new ArrayList<>();
        Reassembler held = new Reassembler(new Reassembler.Port() {
            @Override
            public Timer schedule(long delayNanos, Runnable task) {
                tasks.add(task);
                return loop.schedule(delayNanos, task);
            }

            @Override
            public void timedOut(byte[] first, int length) {
            }
        }, counters, 30_000, HIGH, LOW);
        byte[] data = new byte[65_000];
        for (int id = 0; id < 20; id++) {
            PacketBuffer f = frag(id, data, 64_000, 8, true); // a 64 KiB array for 8 bytes
            held.add(view.wrap(f.array(), f.offset(), f.length()), f);
        }
        assertEquals(20, tasks.size());
        assertTrue(held.pendingCount() < 20, "evicted");
        for (Runnable task : tasks) {
            for (java.lang.reflect.Field field : task.getClass().getDeclaredFields()) {
                Class<?> type = field.getType();
                assertTrue(type == Reassembler.class || type == long.class || type.getSimpleName().equals("Key"),
                        "the task holds only the reassembler, the key and a serial: " + field);
            }
        }
    }
}
