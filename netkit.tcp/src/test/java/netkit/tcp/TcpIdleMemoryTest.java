package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Net;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * What an idle established connection keeps (#13: at most 2 KiB of heap each): after data went
 * both ways and was read, no buffer structure is left allocated (send ring, receive queues, the
 * SACK sender's records and scoreboard) and no buffer bytes are charged. The heap per connection,
 * from the JVM's own figure after GC, is printed, not asserted.
 */
class TcpIdleMemoryTest {

    private static long usedHeapAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    /** Buffer structures {@code stack}'s connections hold allocated now. */
    private static long allocatedStructures(TcpHarness h, int stack) {
        h.stack(stack).context().lock().lock();
        try {
            long n = 0;
            for (TcpConnection c : h.instance(stack).connections.all()) {
                n += c.sendBuf.allocated() + c.recvBuf.allocated() + (c.recovery == null ? 0 : c.recovery.allocated());
            }
            return n;
        } finally {
            h.stack(stack).context().lock().unlock();
        }
    }

    @Test
    void idleConnectionsHoldNoBuffers() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 4096);
        int n = 1_000;
        int[][] pairs = new int[n][];
        byte[] buf = new byte[4096];
        pairs[0] = open(h, l, buf); // warm up
        h.run(Duration.ofSeconds(1));
        long before = usedHeapAfterGc();
        for (int i = 1; i < n; i++) {
            pairs[i] = open(h, l, buf);
        }
        h.run(Duration.ofSeconds(1));
        long after = usedHeapAfterGc();
        // Not asserted (the JVM's heap figure moves with everything else in it): printed for the record.
        System.out.printf("idle established: %d connection ends, about %d bytes of heap each (Runtime, after GC)%n",
                2 * (n - 1), (after - before) / (2 * (n - 1)));
        assertEquals(n, h.counter(0, TcpCounter.CURR_ESTAB));
        assertEquals(n, h.counter(1, TcpCounter.CURR_ESTAB));
        assertEquals(0, h.counter(0, TcpCounter.MEMORY_BYTES));
        assertEquals(0, h.counter(1, TcpCounter.MEMORY_BYTES));
        assertEquals(0, allocatedStructures(h, 0), "client ends hold no buffer structure");
        assertEquals(0, allocatedStructures(h, 1), "server ends hold no buffer structure");
        // And they still work: one more exchange on the last pair.
        int[] p = pairs[n - 1];
        byte[] data = new byte[100_000];
        new java.util.Random(5).nextBytes(data);
        org.junit.jupiter.api.Assertions.assertArrayEquals(data,
                h.transfer(h.a, p[0], h.b, p[1], data, Duration.ofSeconds(10)));
    }

    /** A connection with 1,000 bytes each way, read: [client, server]. */
    private static int[] open(TcpHarness h, int l, byte[] buf) throws Exception {
        int c = h.connect(80);
        h.run(Duration.ofMillis(1));
        int s = h.b.accept(l).token();
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        byte[] hello = new byte[1000];
        h.a.send(c, hello, 0, hello.length, 0);
        h.b.send(s, hello, 0, hello.length, 0);
        h.run(Duration.ofMillis(100));
        assertEquals(hello.length, h.a.recv(c, buf, 0, buf.length, Net.MSG_DONTWAIT));
        assertEquals(hello.length, h.b.recv(s, buf, 0, buf.length, Net.MSG_DONTWAIT));
        return new int[] {c, s};
    }
}
