package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import org.junit.jupiter.api.Test;

/**
 * SO_REUSEPORT on TCP listeners (seed 004, Linux): listeners that all set it before bind share the
 * port; connection requests are spread over them by a keyed hash of the 4-tuple; a listener that
 * closes leaves the group and resets the connections it had queued.
 */
class TcpReusePortTest {
    private static final int PORT = 8080;

    private static int listener(TcpHarness h) throws ErrnoException {
        int l = h.b.socket(AF_INET, SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
        h.b.bind(l, SockAddr.of(0, PORT));
        h.b.listen(l, 64);
        return l;
    }

    /** Connects {@code n} clients from ports 30000.. and returns their tokens once connected. */
    private static int[] clients(TcpHarness h, int n, int firstPort) throws ErrnoException {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = h.a.socket(AF_INET, SOCK_STREAM, 0);
            h.a.setsockopt(c[i], Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
            h.a.bind(c[i], SockAddr.of(0, firstPort + i));
            int s = c[i];
            assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(s, TcpHarness.addr(1, PORT))));
        }
        h.run(Duration.ofMillis(100));
        for (int i = 0; i < n; i++) {
            assertEquals(0, h.a.getsockopt(c[i], Net.SOL_SOCKET, Net.SO_ERROR), "client " + i + " connected");
        }
        return c;
    }

    /** The listener index each accepted client port went to. */
    private static int[] accepted(TcpHarness h, int[] listeners, int n, int firstPort) throws ErrnoException {
        int[] to = new int[n];
        Arrays.fill(to, -1);
        for (int l = 0; l < listeners.length; l++) {
            while (true) {
                netkit.api.Accepted acc;
                try {
                    acc = h.b.accept(listeners[l]);
                } catch (ErrnoException e) {
                    assertEquals(Errno.EWOULDBLOCK, e.errno());
                    break;
                }
                int i = acc.client().port() - firstPort;
                assertEquals(-1, to[i], "accepted once");
                to[i] = l;
                h.b.closesocket(acc.token());
            }
        }
        return to;
    }

    @Test
    void connectionsAreSpreadOverTheListenersByTheirFourTuple() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] ls = {listener(h), listener(h), listener(h)};
        assertEquals(1, h.b.getsockopt(ls[1], Net.SOL_SOCKET, Net.SO_REUSEPORT));
        clients(h, 60, 30_000);
        int[] to = accepted(h, ls, 60, 30_000);
        int[] per = new int[ls.length];
        for (int l : to) {
            assertTrue(l >= 0, "every connection accepted by one listener: " + Arrays.toString(to));
            per[l]++;
        }
        for (int l = 0; l < ls.length; l++) {
            assertTrue(per[l] >= 8, "listener " + l + " got " + per[l] + " of 60: " + Arrays.toString(per));
        }
        // deterministic for a stack's secrets: the same network spreads the same way
        TcpHarness again = new TcpHarness();
        int[] ls2 = {listener(again), listener(again), listener(again)};
        clients(again, 60, 30_000);
        assertEquals(Arrays.toString(to), Arrays.toString(accepted(again, ls2, 60, 30_000)));
    }

    @Test
    void aListenerWithoutTheOptionMakesTheBindInUse() throws Exception {
        TcpHarness h = new TcpHarness();
        int first = listener(h);
        int plain = h.b.socket(AF_INET, SOCK_STREAM, 0);
        h.b.setsockopt(plain, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        assertEquals(0, h.b.getsockopt(plain, Net.SOL_SOCKET, Net.SO_REUSEPORT));
        assertEquals(Errno.EADDRINUSE, errno(() -> h.b.bind(plain, SockAddr.of(0, PORT))));
        h.b.closesocket(first);
        int lone = h.listen(PORT, 4); // the harness's listener: no SO_REUSEPORT
        int late = h.b.socket(AF_INET, SOCK_STREAM, 0);
        h.b.setsockopt(late, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
        assertEquals(Errno.EADDRINUSE, errno(() -> h.b.bind(late, SockAddr.of(0, PORT))), "the holder did not set it");
        h.b.closesocket(lone);
    }

    /**
     * A member that closes with connections queued: those are reset (Linux, tcp_migrate_req 0), the
     * others stay with their listener, and new connections all go to the members left.
     */
    @Test
    void aClosingListenerResetsItsQueueAndLeavesTheGroup() throws Exception {
        TcpHarness h = new TcpHarness();
        int[] ls = {listener(h), listener(h)};
        int[] c = clients(h, 20, 31_000);
        h.b.closesocket(ls[0]);
        h.run(Duration.ofMillis(50));
        int reset = 0;
        for (int i = 0; i < c.length; i++) {
            int err = h.a.getsockopt(c[i], Net.SOL_SOCKET, Net.SO_ERROR);
            if (err != 0) {
                assertEquals(Errno.ECONNRESET.number(), err, "client " + i);
                reset++;
            }
        }
        int[] to = accepted(h, new int[] {ls[1]}, 20, 31_000);
        int kept = 0;
        for (int l : to) {
            kept += l == 0 ? 1 : 0;
        }
        assertTrue(reset > 0 && kept > 0, "both listeners had connections: reset " + reset + ", kept " + kept);
        assertEquals(20, reset + kept, "each connection either reset or accepted by the other listener");
        clients(h, 20, 32_000);
        int[] after = accepted(h, new int[] {ls[1]}, 20, 32_000);
        for (int l : after) {
            assertEquals(0, l, "every new connection to the remaining listener");
        }
    }

    /** A member bound but not listening takes no connection requests: they go to the listeners. */
    @Test
    void onlyListeningMembersReceiveConnections() throws Exception {
        TcpHarness h = new TcpHarness();
        int idle = h.b.socket(AF_INET, SOCK_STREAM, 0);
        h.b.setsockopt(idle, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
        h.b.bind(idle, SockAddr.of(0, PORT));
        int l = listener(h);
        clients(h, 10, 33_000);
        for (int to : accepted(h, new int[] {l}, 10, 33_000)) {
            assertEquals(0, to, "accepted by the listener");
        }
        assertEquals(0, h.b.getsockopt(idle, Net.SOL_SOCKET, Net.SO_ACCEPTCONN));
    }
}
