package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.stack.testing.BlockingCall;
import org.junit.jupiter.api.Test;

/**
 * Every blocking TCP call ends on {@link Thread#interrupt()}: EINTR when nothing was transferred
 * (the interrupt flag stays set, as NIO's interruptible channels leave it), the count so far when
 * something was (POSIX send/recv after a signal). On the simulated loop: no simulated time passes.
 */
class TcpInterruptTest {
    private final TcpHarness h = new TcpHarness();

    /** Interrupts the blocked call; what it returned, and whether its thread was still interrupted. */
    private record Ended<T>(T value, Errno errno, boolean flagSet) {
    }

    private <T> Ended<T> interrupt(BlockingCall.Call<T> call) throws Exception {
        boolean[] flag = new boolean[1];
        BlockingCall<T> c = BlockingCall.start(h.stack(0), () -> {
            try {
                return call.call();
            } finally {
                flag[0] = Thread.currentThread().isInterrupted();
            }
        });
        c.awaitBlocked();
        long before = h.net.loop.nanoTime();
        long wall = System.nanoTime();
        c.interrupt();
        Ended<T> ended;
        try {
            ended = new Ended<>(c.join(), null, flag[0]); // join waits at most 5 s of wall time
        } catch (ErrnoException e) {
            ended = new Ended<>(null, e.errno(), flag[0]);
        }
        assertTrue(System.nanoTime() - wall < 2_000_000_000L, "the interrupt ended the call at once");
        assertEquals(before, c.returnedAt(), "no simulated time passed");
        return ended;
    }

    private int blocking(int s) throws ErrnoException {
        h.a.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        return s;
    }

    @Test
    void acceptGivesEintr() throws Exception {
        int l = blocking(h.a.socket(AF_INET, SOCK_STREAM, 0));
        h.a.bind(l, SockAddr.of(0, 5000));
        h.a.listen(l, 4);
        Ended<?> e = interrupt(() -> h.a.accept(l));
        assertEquals(Errno.EINTR, e.errno());
        assertTrue(e.flagSet());
    }

    @Test
    void connectWaitingForTheHandshakeGivesEintr() throws Exception {
        int s = h.a.socket(AF_INET, SOCK_STREAM, 0);
        // nobody has 10.0.0.99: the SYN waits for ARP
        Ended<?> e = interrupt(() -> {
            h.a.connect(s, SockAddr.of("10.0.0.99", 80));
            return null;
        });
        assertEquals(Errno.EINTR, e.errno());
        assertTrue(e.flagSet());
    }

    @Test
    void recvGivesEintrOrTheBytesSoFar() throws Exception {
        int[] p = h.pair(5001);
        int c = blocking(p[0]);
        assertEquals(Errno.EINTR, interrupt(() -> h.a.recv(c, new byte[10], 0, 10, 0)).errno());
        h.b.send(p[1], new byte[4], 0, 4, 0);
        h.run(Duration.ofMillis(50));
        Ended<Integer> e = interrupt(() -> h.a.recv(c, new byte[10], 0, 10, Net.MSG_WAITALL));
        assertEquals(4, e.value(), "MSG_WAITALL interrupted returns what it has");
        assertTrue(e.flagSet());
    }

    @Test
    void sendIntoAFullWindowGivesEintrOrTheBytesQueued() throws Exception {
        int[] p = h.pair(5002);
        int c = blocking(p[0]);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_SNDBUF, 16 * 1024);
        byte[] big = new byte[1 << 20];
        // B never reads: its window and A's send buffer fill, then send blocks having queued part of it
        Ended<Integer> first = interrupt(() -> h.a.send(c, big, 0, big.length, 0));
        assertTrue(first.value() != null && first.value() > 0 && first.value() < big.length,
                "the bytes queued before the interrupt: " + first);
        assertTrue(first.flagSet());
        // fill both ends for good: a send that finds no room after time has passed
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        for (int i = 0; i < 1000; i++) {
            h.run(Duration.ofMillis(100));
            try {
                h.a.send(c, big, 0, big.length, 0);
            } catch (ErrnoException full) {
                assertEquals(Errno.EWOULDBLOCK, full.errno());
                break;
            }
        }
        blocking(c);
        Ended<Integer> second = interrupt(() -> h.a.send(c, big, 0, big.length, 0));
        assertEquals(Errno.EINTR, second.errno(), "nothing could be queued: " + second);
    }

    @Test
    void selectAndUdpRecvfromGiveEintr() throws Exception {
        h.stack(0).addProtocol(new netkit.udp.UdpProtocol());
        int u = h.a.socket(AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_UDP);
        h.a.bind(u, SockAddr.of(0, 5003));
        Ended<?> e = interrupt(() -> h.a.recvfrom(u, new byte[10], 0, 10, 0, null));
        assertEquals(Errno.EINTR, e.errno());
        assertTrue(e.flagSet());
        e = interrupt(() -> h.a.select(netkit.api.TokenSet.of(u), null, null, Duration.ofHours(1)));
        assertEquals(Errno.EINTR, e.errno());
        assertTrue(e.flagSet());
    }
}
