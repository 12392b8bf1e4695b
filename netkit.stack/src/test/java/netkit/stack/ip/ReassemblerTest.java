package netkit.stack.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    }, counters, 30_000, 200_000);
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
    void overlapsKeepTheFirstBytes() {
        byte[] first = new byte[32];
        Arrays.fill(first, (byte) 'A');
        byte[] second = new byte[32];
        Arrays.fill(second, (byte) 'B');
        assertNull(add(frag(3, first, 0, 16, true)));
        assertNull(add(frag(3, second, 8, 16, true))); // overlaps bytes 8..15
        PacketBuffer whole = add(frag(3, second, 24, 8, false));
        byte[] p = payload(whole);
        byte[] expected = new byte[32];
        Arrays.fill(expected, 0, 16, (byte) 'A');
        Arrays.fill(expected, 16, 32, (byte) 'B');
        assertArrayEquals(expected, p);
        PacketBuffer dup = frag(4, first, 0, 32, false);
        assertNotNull(add(dup), "an unfragmented-looking last fragment at 0 completes at once");
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
        assertEquals(28, timeExceeded.get(0).length, "header + 8 bytes");
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
}
