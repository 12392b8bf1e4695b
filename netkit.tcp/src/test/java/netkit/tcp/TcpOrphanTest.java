package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.TcpCounter;
import org.junit.jupiter.api.Test;

/**
 * Orphans (issue #10, "Accounting"): connections the application closed that TCP still finishes.
 * The peer here is a stack whose application never reads, so its window closes and stays closed
 * while it answers every probe: before the limits, such an orphan probed forever, kept its send
 * buffer charged however far over the memory limit, and did not appear in netstat.
 */
class TcpOrphanTest {
    private static final int SNDBUF = 64 * 1024;

    /**
     * A pair on {@code port} whose window on B is closed: B (SO_RCVBUF 16 KiB) never reads, A has
     * written until its 64 KiB send buffer is full. Returns [A's token, B's token].
     */
    private static int[] stuckPair(TcpHarness h, int port) throws ErrnoException {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVBUF, 16 * 1024);
        h.b.bind(l, netkit.api.SockAddr.of(0, port));
        h.b.listen(l, 4);
        int c = h.connect(port);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_SNDBUF, SNDBUF);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        byte[] chunk = new byte[8192];
        for (int i = 0; i < 100; i++) {
            try {
                h.a.send(c, chunk, 0, chunk.length, Net.MSG_DONTWAIT);
            } catch (ErrnoException e) {
                assertEquals(Errno.EWOULDBLOCK, e.errno());
            }
            h.run(Duration.ofMillis(20));
        }
        return new int[] {c, s};
    }

    private static long memory(TcpHarness h) {
        return h.counter(0, TcpCounter.MEMORY_BYTES);
    }

    private static List<SocketStatus> orphanRows(TcpHarness h) {
        return h.stack(0).admin().sockets().stream().filter(r -> r.token() < 0).toList();
    }

    /** Whether B's socket {@code s} learnt of a reset: SO_ERROR is ECONNRESET. */
    private static boolean reset(TcpHarness h, int s) throws ErrnoException {
        return h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR) == Errno.ECONNRESET.number();
    }

    /**
     * Linux {@code tcp_orphan_retries}: an orphan facing a window that stays closed is reset after
     * its retries (0 = 8) although every probe is answered, and the memory it held is returned.
     * Before: it probed for ever.
     */
    @Test
    void zeroWindowOrphanIsResetAfterItsRetriesAndItsMemoryReturned() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = stuckPair(h, 80);
        assertEquals(SNDBUF, memory(h), "A's full send ring is charged");
        int[] fromA = {0};
        h.net.hub.segment("lan").filter((port, f) -> {
            if ((port.mac() & 0xff) == 0 && f.length() > 34 && (f.array()[f.offset() + 23] & 0xff) == 6) {
                fromA[0]++;
            }
            return true;
        });
        h.a.closesocket(p[0]);
        h.run(Duration.ofSeconds(1));
        assertEquals(1, h.counter(0, TcpCounter.ORPHANS));
        assertEquals(SNDBUF, memory(h), "an orphan stays charged for what it holds");
        h.run(Duration.ofHours(2));
        assertEquals(0, h.counter(0, TcpCounter.ORPHANS), "the orphan is gone");
        assertEquals(1, h.counter(0, TcpCounter.ABORT_ON_TIMEOUT));
        assertEquals(0, memory(h), "its send buffer is returned");
        assertTrue(reset(h, p[1]), "the peer was told with RST");
        assertTrue(fromA[0] <= TcpSettings.DEFAULT_ORPHAN_RETRIES + 3, "probes: " + fromA[0]);
        assertTrue(orphanRows(h).isEmpty());
    }

    /** {@code orphanRetries} bounds the probes of an orphan as set. */
    @Test
    void orphanRetriesAreConfigurable() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().orphanRetries(2).build());
        int[] p = stuckPair(h, 80);
        h.a.closesocket(p[0]);
        h.run(Duration.ofSeconds(5)); // probes after about 0.2, 0.6 and 1.4 s
        assertEquals(1, h.counter(0, TcpCounter.ABORT_ON_TIMEOUT));
        assertTrue(reset(h, p[1]));
    }

    /** Linux {@code tcp_max_orphans}: a close that would make one orphan too many resets at once. */
    @Test
    void aCloseBeyondMaxOrphansResetsAtOnce() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().maxOrphans(2).memoryLimit(1L << 30).build());
        int[][] p = {stuckPair(h, 80), stuckPair(h, 81), stuckPair(h, 82)};
        for (int[] q : p) {
            h.a.closesocket(q[0]);
        }
        h.run(Duration.ofMillis(100));
        assertEquals(2, h.counter(0, TcpCounter.ORPHANS));
        assertEquals(1, h.counter(0, TcpCounter.ABORT_ON_ORPHAN_LIMIT));
        assertTrue(reset(h, p[2][1]), "the third connection was reset at close");
        assertTrue(!reset(h, p[0][1]) && !reset(h, p[1][1]), "the first two are orphans");
        assertEquals(2L * SNDBUF, memory(h));
    }

    /**
     * Orphans are charged to the TCP memory limit: a close that would leave queued data while the
     * stack is over the limit resets at once, and an orphan whose timer finds the stack over it is
     * reset (Linux {@code tcp_out_of_resources}); the memory comes back at once.
     */
    @Test
    void orphansHoldingDataAreResetUnderMemoryPressure() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().memoryLimit(100 * 1024).build());
        int[] p1 = stuckPair(h, 80);
        int[] p2 = stuckPair(h, 81);
        assertEquals(2L * SNDBUF, memory(h), "over the 100 KiB limit");
        h.a.closesocket(p1[0]);
        h.run(Duration.ofMillis(10));
        assertEquals(1, h.counter(0, TcpCounter.ABORT_ON_MEMORY), "closed over the limit with data: reset");
        assertTrue(reset(h, p1[1]));
        assertEquals(SNDBUF, memory(h), "its memory is back at once");
        h.a.closesocket(p2[0]);
        h.run(Duration.ofMillis(10));
        assertEquals(1, h.counter(0, TcpCounter.ORPHANS), "under the limit: orphaned");
        assertEquals(SNDBUF, memory(h), "and charged");
        int[] p3 = stuckPair(h, 82); // over the limit again, for the 2 s it fills its buffer
        assertEquals(2, h.counter(0, TcpCounter.ABORT_ON_MEMORY), "the orphan's timer found the stack over the limit");
        assertEquals(0, h.counter(0, TcpCounter.ORPHANS));
        assertTrue(reset(h, p2[1]));
        assertEquals(SNDBUF, memory(h), "only the live connection's buffer is left");
        assertTrue(!reset(h, p3[1]), "live connections are not touched");
    }

    /** {@code netkit:netstat} lists orphans: no token (-1), owner "orphan", state and queues. */
    @Test
    void netstatShowsOrphans() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] p = stuckPair(h, 80);
        h.a.closesocket(p[0]);
        h.run(Duration.ofMillis(10));
        List<SocketStatus> rows = orphanRows(h);
        assertEquals(1, rows.size(), rows.toString());
        SocketStatus r = rows.get(0);
        assertEquals(-1, r.token());
        assertEquals("orphan", r.owner());
        assertEquals("tcp", r.protocol());
        assertEquals("FIN_WAIT_1", r.state());
        assertEquals(TcpHarness.addr(1, 80), r.remote());
        assertTrue(r.sendQ() > 0, "unsent data: " + r.sendQ());
        // A FIN_WAIT_2 and a TIME_WAIT orphan show too.
        int[] q = h.pair(81);
        h.a.closesocket(q[0]);
        h.run(Duration.ofMillis(10));
        assertTrue(orphanRows(h).stream().anyMatch(x -> x.state().equals("FIN_WAIT_2")), orphanRows(h).toString());
        h.b.closesocket(q[1]);
        h.run(Duration.ofMillis(10));
        assertTrue(orphanRows(h).stream().anyMatch(x -> x.state().equals("TIME_WAIT")), orphanRows(h).toString());
    }
}
