package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import netkit.api.Net;
import netkit.api.spi.impair.Impairment;
import netkit.api.spi.protocol.SocketOptions;
import org.junit.jupiter.api.Test;

/** Send-buffer auto-tuning (Linux tcp_sndbuf_expand): grows while the window is open, never past its ceiling. */
class SendBufferTuningTest {
    /** The largest send-buffer capacity and congestion window of stack A's connection while a transfer ran. */
    private record Largest(int capacity, long cwnd) {
    }

    /** Runs {@code f} to its end (every byte checked), sampling stack A's connection at every step. */
    private static Largest run(TcpHarness h, TcpHarness.Flow f) {
        int[] capacity = {0};
        long[] cwnd = {0};
        boolean done = h.net.loop.runUntil(() -> {
            try {
                f.step();
            } catch (netkit.api.ErrnoException e) {
                throw new AssertionError(e);
            }
            for (TcpConnection c : h.instance(0).connections.all()) {
                capacity[0] = Math.max(capacity[0], c.sendBuf.capacity());
                cwnd[0] = Math.max(cwnd[0], c.cc.cwnd());
            }
            return f.eof;
        }, Duration.ofMinutes(2));
        assertTrue(done, "transfer finished");
        assertEquals(TcpHarness.sha256(f.data), TcpHarness.sha256(f.got.toByteArray()));
        return new Largest(capacity[0], cwnd[0]);
    }

    private static TcpHarness longPath(TcpSettings settings) {
        TcpHarness h = new TcpHarness(settings);
        // 5 ms each way: 10 ms of round trip hold far more than 256 KiB at the wire's speed
        h.net.hub.segment("lan").impairment(new Impairment(0, 0, 0, 0, 5000, 0, 0, 1));
        return h;
    }

    private static byte[] data(int n) {
        byte[] d = new byte[n];
        new Random(5).nextBytes(d);
        return d;
    }

    @Test
    void aSenderOnALongPathGrowsItsBufferToTheCeilingAndNoFurther() throws Exception {
        TcpHarness h = longPath(TcpSettings.builder().maxSendBuffer(1 << 20).build());
        int[] p = h.pair(80);
        assertEquals(SocketOptions.DEFAULT_BUFFER, h.instance(0).connections.all().iterator().next().sendBuf.capacity());
        Largest largest = run(h, h.new Flow(h.a, p[0], h.b, p[1], data(8 << 20)));
        assertEquals(1 << 20, largest.capacity(), "grown past the 256 KiB default, up to maxSendBuffer");
    }

    @Test
    void anExplicitSoSndbufIsKept() throws Exception {
        TcpHarness h = longPath(TcpSettings.defaults());
        int[] p = h.pair(80);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 100_000);
        assertEquals(100_000, run(h, h.new Flow(h.a, p[0], h.b, p[1], data(2 << 20))).capacity(),
                "SO_SNDBUF turns auto-tuning off (Linux SOCK_SNDBUF_LOCK)");
    }

    @Test
    void underMemoryPressureTheBufferDoesNotGrow() throws Exception {
        TcpHarness h = longPath(TcpSettings.defaults());
        int[] p = h.pair(80);
        MemoryAccount memory = h.instance(0).memory();
        long held = TcpSettings.defaults().memoryLimit() + 1;
        memory.add(held); // other connections of stack A hold all its TCP memory
        assertEquals(SocketOptions.DEFAULT_BUFFER, run(h, h.new Flow(h.a, p[0], h.b, p[1], data(2 << 20))).capacity(),
                "no growth while the stack is over its TCP memory limit (Linux tcp_under_memory_pressure)");
        memory.add(-held);
    }

    @Test
    void theBufferFollowsTheWindowNotTheCeiling() throws Exception {
        // A 1500-MTU wire without delay: the round trip is short, the congestion window stays small
        // against the ceiling; the buffer holds twice the window, not 4 MiB.
        TcpHarness h = new TcpHarness();
        int[] p = h.pair(80);
        Largest largest = run(h, h.new Flow(h.a, p[0], h.b, p[1], data(4 << 20)));
        assertTrue(largest.capacity() <= Math.max(SocketOptions.DEFAULT_BUFFER, 2 * largest.cwnd()),
                "at most twice the largest window: " + largest);
        assertTrue(largest.capacity() <= TcpSettings.defaults().maxSendBuffer());
    }

    @Test
    void theCeilingIsAtMostTheLargestSoSndbuf() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TcpSettings.builder().maxSendBuffer(SocketOptions.MAX_BUFFER + 1).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TcpSettings.builder().maxSendBuffer(0).build());
        assertEquals(4 << 20, TcpSettings.defaults().maxSendBuffer(), "Linux tcp_wmem[2]");
    }
}
