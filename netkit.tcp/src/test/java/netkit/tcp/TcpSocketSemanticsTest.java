package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.stack.testing.BlockingCall;
import org.junit.jupiter.api.Test;

/**
 * What a socket call answers in the states a failed or ended connection leaves behind, as seed 000
 * and Linux answer (issue #12).
 */
class TcpSocketSemanticsTest {
    private final TcpHarness h = new TcpHarness();

    /** A refused connect leaves no peer (ENOTCONN, Linux) and the socket may connect again. */
    @Test
    void aRefusedNonBlockingConnectLeavesNoPeerAndTheSocketConnectsAgain() throws Exception {
        int s = h.connect(7000); // nobody listens: RST
        assertEquals(Errno.ECONNREFUSED.number(), h.awaitConnect(s, Duration.ofSeconds(5)));
        assertEquals(Errno.ENOTCONN, errno(() -> h.a.getpeername(s)));
        int l = h.listen(7000, 4);
        assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(s, TcpHarness.addr(1, 7000))));
        assertEquals(0, h.awaitConnect(s, Duration.ofSeconds(5)));
        assertEquals(TcpHarness.addr(1, 7000), h.a.getpeername(s));
        h.run(Duration.ofMillis(10));
        h.b.accept(l);
    }

    /**
     * A non-blocking connect whose failure was not yet read: the next connect reports it (as Linux
     * does), the one after that starts afresh.
     */
    @Test
    void aPendingConnectErrorIsReportedByTheNextConnect() throws Exception {
        int s = h.connect(7001);
        h.run(Duration.ofMillis(50));
        assertEquals(Errno.ECONNREFUSED, errno(() -> h.a.connect(s, TcpHarness.addr(1, 7001))));
        assertEquals(0, h.a.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR), "reported once");
        assertEquals(Errno.EINPROGRESS, errno(() -> h.a.connect(s, TcpHarness.addr(1, 7001))));
    }

    @Test
    void aRefusedBlockingConnectMayBeRepeated() throws Exception {
        int s = h.a.socket(AF_INET, SOCK_STREAM, 0);
        BlockingCall<Void> first = BlockingCall.start(h.stack(0), () -> {
            h.a.connect(s, TcpHarness.addr(1, 7002));
            return null;
        });
        first.awaitBlocked();
        h.run(Duration.ofMillis(50));
        assertEquals(Errno.ECONNREFUSED, first.joinFailure().errno());
        assertEquals(Errno.ENOTCONN, errno(() -> h.a.getpeername(s)));
        int l = h.listen(7002, 4);
        BlockingCall<Void> second = BlockingCall.start(h.stack(0), () -> {
            h.a.connect(s, TcpHarness.addr(1, 7002));
            return null;
        });
        second.awaitBlocked();
        h.run(Duration.ofMillis(50));
        second.join();
        assertEquals(TcpHarness.addr(1, 7002), h.a.getpeername(s));
        h.b.accept(l);
    }

    /** After the peer reset an established connection there is no peer any more (Linux: ENOTCONN). */
    @Test
    void aResetConnectionHasNoPeerAndCannotConnectAgain() throws Exception {
        int[] p = h.pair(7003);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_LINGER, 0);
        h.b.closesocket(p[1]); // RST
        h.run(Duration.ofMillis(50));
        assertEquals(Errno.ENOTCONN, errno(() -> h.a.getpeername(p[0])));
        assertEquals(Errno.ECONNRESET.number(), h.a.getsockopt(p[0], Net.SOL_SOCKET, Net.SO_ERROR));
        // Linux keeps such a socket connected (SS_CONNECTED): connect again is EISCONN
        assertEquals(Errno.EISCONN, errno(() -> h.a.connect(p[0], TcpHarness.addr(1, 7003))));
    }

    /** SO_ACCEPTCONN (Linux): read-only, 1 exactly for a listener. */
    @Test
    void acceptConnTellsListenersApart() throws Exception {
        int s = h.b.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_ACCEPTCONN));
        h.b.closesocket(s);
        int l = h.listen(7005, 4);
        assertEquals(1, h.b.getsockopt(l, Net.SOL_SOCKET, Net.SO_ACCEPTCONN));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_ACCEPTCONN, 0)));
        int c = h.connect(7005);
        assertEquals(0, h.awaitConnect(c, Duration.ofSeconds(5)));
        h.run(Duration.ofMillis(10));
        assertEquals(0, h.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ACCEPTCONN));
        assertEquals(0, h.b.getsockopt(h.b.accept(l).token(), Net.SOL_SOCKET, Net.SO_ACCEPTCONN));
    }

    /** SO_SNDTIMEO bounds a blocking connect (Linux): EINPROGRESS, and the handshake goes on. */
    @Test
    void sendTimeoutDuringABlockingConnectIsEinprogress() throws Exception {
        int s = h.a.socket(AF_INET, SOCK_STREAM, 0);
        h.a.setsockopt(s, Net.SOL_SOCKET, Net.SO_SNDTIMEO, 500);
        BlockingCall<Void> c = BlockingCall.start(h.stack(0), () -> {
            h.a.connect(s, SockAddr.of("10.0.0.99", 80)); // nobody answers ARP
            return null;
        });
        c.awaitBlocked();
        h.run(Duration.ofSeconds(1));
        ErrnoException e = c.joinFailure();
        assertEquals(Errno.EINPROGRESS, e.errno());
        assertEquals(Errno.EALREADY, errno(() -> h.a.connect(s, SockAddr.of("10.0.0.99", 80))), "still trying");
    }

    /**
     * The peer reset the connection after its FIN (we are in CLOSE_WAIT): the reset is reported once
     * (ECONNRESET), every later send is EPIPE.
     */
    @Test
    void sendAfterAResetInCloseWaitIsEconnresetOnceThenEpipe() throws Exception {
        int[] p = h.pair(7004);
        h.b.shutdown(p[1], Net.SHUT_WR);
        h.run(Duration.ofMillis(50));
        assertEquals(0, h.a.recv(p[0], new byte[4], 0, 4, 0), "the peer's FIN: CLOSE_WAIT");
        h.b.closesocket(p[1]); // an orphan: data for it draws RST
        h.run(Duration.ofMillis(50));
        assertEquals(4, h.a.send(p[0], new byte[4], 0, 4, 0));
        h.run(Duration.ofMillis(50));
        assertEquals(Errno.ECONNRESET, errno(() -> h.a.send(p[0], new byte[4], 0, 4, 0)));
        assertEquals(Errno.EPIPE, errno(() -> h.a.send(p[0], new byte[4], 0, 4, 0)));
        assertEquals(Errno.EPIPE, errno(() -> h.a.send(p[0], new byte[4], 0, 4, 0)));
    }
}
