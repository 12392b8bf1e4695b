package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.stats.TcpCounter;
import netkit.stack.StackSettings;
import org.junit.jupiter.api.Test;

/**
 * A full accept queue (issue 11): the final ACK of a handshake that no longer fits is dropped, as
 * Linux does with {@code tcp_abort_on_overflow} off, so the handshake completes once a slot frees
 * instead of being reset; and {@code listen} backlogs are clamped to the stack's {@code somaxconn}.
 */
class TcpAcceptQueueTest {
    private static final byte[] HELLO = "hello".getBytes();

    @Test
    void finalAckBeyondTheAcceptanceCountIsDroppedAndTheHandshakeCompletesWhenASlotFrees() throws Exception {
        TcpHarness h = new TcpHarness();
        fullQueueThenSlot(h);
    }

    @Test
    void cookieAckBeyondTheAcceptanceCountIsDroppedAndTheHandshakeCompletesWhenASlotFrees() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().synQueue(0).synCookies(true).build());
        fullQueueThenSlot(h);
        assertTrue(h.counter(1, TcpCounter.SYN_COOKIES_RECV) >= 3, "both handshakes went through cookies");
    }

    /** Two SYNs admitted by a backlog of 1: the second's final ACK must wait, not be reset. */
    private static void fullQueueThenSlot(TcpHarness h) throws ErrnoException {
        int l = h.listen(80, 1);
        int c1 = h.connect(80);
        int c2 = h.connect(80);
        assertEquals(0, h.awaitConnect(c1, Duration.ofSeconds(1)));
        assertEquals(0, h.awaitConnect(c2, Duration.ofSeconds(1)), "the client's side of the handshake completes");
        h.a.send(c2, HELLO, 0, HELLO.length, 0);
        h.run(Duration.ofMillis(500));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.a.recv(c2, new byte[8], 0, 8, Net.MSG_DONTWAIT)),
                "not reset: the server dropped the final ACK and its data");
        assertEquals(0, h.counter(1, TcpCounter.OUT_RSTS));
        assertTrue(h.counter(1, TcpCounter.LISTEN_OVERFLOWS) >= 1);
        int s1 = h.b.accept(l).token();
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.accept(l)), "the second waits for a slot");
        h.b.closesocket(s1);
        boolean accepted = h.net.loop.runUntil(() -> {
            try {
                return h.b.select(netkit.api.TokenSet.of(l), null, null, Duration.ZERO) > 0;
            } catch (ErrnoException e) {
                return false;
            }
        }, Duration.ofSeconds(10));
        assertTrue(accepted, "a retransmission completed the handshake once the slot was free");
        int s2 = h.b.accept(l).token();
        h.b.setsockopt(s2, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        byte[] buf = new byte[8];
        assertTrue(h.net.loop.runUntil(() -> {
            try {
                return h.b.recv(s2, buf, 0, buf.length, Net.MSG_PEEK | Net.MSG_DONTWAIT) == HELLO.length;
            } catch (ErrnoException e) {
                return false;
            }
        }, Duration.ofSeconds(10)), "the data dropped with the ACK arrived by retransmission");
        assertEquals(0, h.counter(1, TcpCounter.OUT_RSTS));
    }

    @Test
    void backlogIsClampedToSomaxconn() throws Exception {
        TcpHarness h = new TcpHarness();
        h.stack(1).settings(StackSettings.builder().somaxconn(2).build());
        int l = h.listen(80, 1000);
        int c1 = h.connect(80);
        int c2 = h.connect(80);
        h.run(Duration.ofMillis(10));
        int c3 = h.connect(80);
        assertEquals(0, h.awaitConnect(c1, Duration.ofSeconds(1)));
        assertEquals(0, h.awaitConnect(c2, Duration.ofSeconds(1)));
        assertEquals(Errno.ECONNREFUSED.number(), h.awaitConnect(c3, Duration.ofSeconds(1)),
                "listen(1000) holds only somaxconn = 2");
        h.b.accept(l);
        assertEquals(4096, StackSettings.defaults().somaxconn(), "Linux's default since 5.4");
    }
}
