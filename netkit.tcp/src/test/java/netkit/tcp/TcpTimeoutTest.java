package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SocketManager;
import netkit.api.buffer.PacketBuffer;
import netkit.stack.testing.BlockingCall;
import org.junit.jupiter.api.Test;

/**
 * Blocking calls with timeouts (SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER) on the simulated clock: the
 * call blocks on its own thread while the test moves simulated time, so a minute-long timeout
 * takes no wall time and expires at exactly its simulated deadline.
 */
class TcpTimeoutTest {
    private static final long SECOND = 1_000_000_000L;

    private final TcpHarness h = new TcpHarness();
    private final long wallStart = System.nanoTime();
    /** Whether the TCP segments stack B sends are dropped on the wire (its SYN-ACKs and ACKs never reach A). */
    private volatile boolean dropFromB;

    TcpTimeoutTest() {
        h.net.hub.segment("lan").filter((port, frame) -> !(dropFromB && (port.mac() & 0xff) == 1 && isTcp(frame)));
    }

    /** An Ethernet frame carrying IPv4 (EtherType 0x0800) whose protocol is TCP. */
    private static boolean isTcp(PacketBuffer frame) {
        byte[] f = frame.array();
        int o = frame.offset();
        return frame.length() > 34 && f[o + 12] == 0x08 && f[o + 13] == 0x00 && f[o + 23] == Net.IPPROTO_TCP;
    }

    private long now() {
        return h.net.loop.nanoTime();
    }

    /** A connected pair whose client (on A) blocks. */
    private int[] blockingPair(int port) throws ErrnoException {
        int[] p = h.pair(port);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        return p;
    }

    /** Moves simulated time to just before the 60 s deadline, checks the call still waits, then to it. */
    private void expireOneMinute(BlockingCall<?> call) {
        call.awaitBlocked();
        h.run(Duration.ofMillis(59_999));
        call.awaitBlocked();
        h.run(Duration.ofMillis(1));
    }

    /** Simulated minutes pass in far less wall time (10 s leaves room for a loaded CI machine). */
    private void assertNoWallTime() {
        assertTrue(System.nanoTime() - wallStart < 10 * SECOND, "simulated minutes took no wall time");
    }

    @Test
    void receiveTimeoutExpiresAtTheSimulatedDeadline() throws Exception {
        int c = blockingPair(7001)[0];
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 60_000);
        long start = now();
        BlockingCall<Integer> recv = BlockingCall.start(h.stack(0), () -> h.a.recv(c, new byte[16], 0, 16, 0));
        expireOneMinute(recv);
        assertEquals(Errno.EWOULDBLOCK, recv.joinFailure().errno());
        assertEquals(start + 60 * SECOND, recv.returnedAt(), "returned at the deadline");
        assertNoWallTime();
    }

    @Test
    void sendTimeoutOnAFullSendBufferExpiresAtTheSimulatedDeadline() throws Exception {
        int c = blockingPair(7002)[0];
        fillSendBuffer(h.a, c); // B never reads: its window and then A's send buffer fill up
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_SNDTIMEO, 60_000);
        long start = now();
        BlockingCall<Integer> send = BlockingCall.start(h.stack(0), () -> h.a.send(c, new byte[1000], 0, 1000, 0));
        expireOneMinute(send);
        assertEquals(Errno.EWOULDBLOCK, send.joinFailure().errno());
        assertEquals(start + 60 * SECOND, send.returnedAt(), "returned at the deadline");
        assertNoWallTime();
    }

    /** Sends until neither the peer's window nor the send buffer takes another byte. */
    private void fillSendBuffer(SocketManager api, int s) throws ErrnoException {
        byte[] chunk = new byte[64 * 1024];
        for (int round = 0; round < 1000; round++) {
            int queued = 0;
            try {
                while (true) {
                    queued += api.send(s, chunk, 0, chunk.length, Net.MSG_DONTWAIT);
                }
            } catch (ErrnoException e) {
                assertEquals(Errno.EWOULDBLOCK, e.errno());
            }
            if (queued == 0 && round > 0) {
                return;
            }
            h.run(Duration.ofSeconds(1));
        }
        throw new AssertionError("the send buffer never filled");
    }

    @Test
    void blockingConnectWithSendTimeoutExpiresAtTheSimulatedDeadline() throws Exception {
        h.listen(7005, 4);
        dropFromB = true; // the SYN-ACKs never arrive
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.a.setsockopt(c, Net.SOL_SOCKET, Net.SO_SNDTIMEO, 10_000);
        long start = now();
        BlockingCall<Void> connect = BlockingCall.start(h.stack(0), () -> {
            h.a.connect(c, TcpHarness.addr(1, 7005));
            return null;
        });
        connect.awaitBlocked();
        h.run(Duration.ofMillis(9_999));
        connect.awaitBlocked();
        h.run(Duration.ofMillis(1));
        assertEquals(Errno.EINPROGRESS, connect.joinFailure().errno());
        assertEquals(start + 10 * SECOND, connect.returnedAt(), "returned at the deadline");
        assertNoWallTime();
    }

    @Test
    void blockingConnectTimesOutWhenTheSynRetriesAreSpent() throws Exception {
        h.listen(7006, 4);
        dropFromB = true;
        int c = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        long start = now();
        BlockingCall<Void> connect = BlockingCall.start(h.stack(0), () -> {
            h.a.connect(c, TcpHarness.addr(1, 7006));
            return null;
        });
        connect.awaitBlocked();
        h.run(Duration.ofMillis(246_999)); // SYN at 0, retries at 1, 3, 7, 15, 31, 63 and 127 s
        connect.awaitBlocked();
        h.run(Duration.ofMillis(1)); // the seventh retry timed out (RTO max 120 s): connect fails
        assertEquals(Errno.ETIMEDOUT, connect.joinFailure().errno());
        assertEquals(start + 247 * SECOND, connect.returnedAt(), "returned when the SYN retries were spent");
        assertNoWallTime();
    }

    @Test
    void lingeringCloseReturnsWhenThePeerAcknowledgesTheFin() throws Exception {
        LingeringClose lc = lingeringClose(7003);
        int[] p = lc.pair();
        long start = lc.start();
        BlockingCall<Void> close = lc.call();
        h.run(Duration.ofSeconds(1));
        close.awaitBlocked(); // the data and FIN are not acknowledged yet: still lingering
        dropFromB = false;
        while (!close.settle() && now() - start < 10 * SECOND) {
            h.run(Duration.ofMillis(10)); // a retransmission gets through and is acknowledged
        }
        long returned = close.returnedAt() - start;
        assertTrue(returned > SECOND && returned < 5 * SECOND, "returned after the ACK, before the linger time: "
                + returned);
        assertEquals(10_000, readToEnd(h.b, p[1]), "the peer got the data and the FIN");
        assertNoWallTime();
    }

    @Test
    void lingeringCloseReturnsAtTheLingerTimeWhenNoAckComes() throws Exception {
        LingeringClose lc = lingeringClose(7004);
        int[] p = lc.pair();
        long start = lc.start();
        BlockingCall<Void> close = lc.call();
        h.run(Duration.ofMillis(4_999));
        close.awaitBlocked();
        h.run(Duration.ofMillis(1));
        close.join(); // closesocket cannot fail for a lingering socket: it just stops waiting
        assertEquals(start + 5 * SECOND, close.returnedAt(), "returned at the linger time");
        assertEquals(Errno.EBADF, assertErrno(() -> h.a.send(p[0], new byte[1], 0, 1, 0)), "the token is gone");
        dropFromB = false;
        h.run(Duration.ofSeconds(30)); // the close finishes in the background: A retransmits
        assertEquals(10_000, readToEnd(h.b, p[1]), "the peer got the data and the FIN after all");
        assertNoWallTime();
    }

    private static Errno assertErrno(BlockingCall.Call<?> call) {
        try {
            call.call();
        } catch (ErrnoException e) {
            return e.errno();
        }
        throw new AssertionError("the call succeeded");
    }

    /** Reads (non-blocking) what is queued on {@code s}; asserts end of stream follows it. */
    private static int readToEnd(SocketManager api, int s) throws ErrnoException {
        byte[] buf = new byte[64 * 1024];
        int total = 0;
        for (int n; (n = api.recv(s, buf, 0, buf.length, Net.MSG_DONTWAIT)) > 0;) {
            total += n;
        }
        return total;
    }

    /** A connected pair whose A side lingers 5 s on close, 10,000 bytes unacknowledged, B's ACKs dropped. */
    private record LingeringClose(int[] pair, long start, BlockingCall<Void> call) {
    }

    /** Starts the close of {@link LingeringClose} on port {@code port}; returns once it is blocked. */
    private LingeringClose lingeringClose(int port) throws Exception {
        int[] p = blockingPair(port);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_LINGER, 5);
        h.a.send(p[0], new byte[10_000], 0, 10_000, 0);
        dropFromB = true;
        long start = now();
        BlockingCall<Void> close = BlockingCall.start(h.stack(0), () -> {
            h.a.closesocket(p[0]);
            return null;
        });
        close.awaitBlocked();
        return new LingeringClose(p, start, close);
    }
}
