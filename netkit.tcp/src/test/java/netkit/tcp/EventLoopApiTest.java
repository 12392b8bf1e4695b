package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.ReadinessListener;
import netkit.api.SockAddr;
import netkit.api.spi.protocol.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The socket API for event loops (#15): MSG_TRY's WOULDBLOCK result, poll, readiness listeners and
 * ByteBuffer send/recv, on two stacks over the simulated wire.
 */
class EventLoopApiTest {
    private final TcpHarness h = new TcpHarness();

    EventLoopApiTest() {
        h.stack(0).addProtocol(new netkit.udp.UdpProtocol());
        h.stack(1).addProtocol(new netkit.udp.UdpProtocol());
    }

    /** What a listener was told: token and bits, and whether the stack lock was held. */
    private record Call(int token, int bits, boolean lockHeld) {
    }

    private ReadinessListener recorder(List<Call> calls, int stack) {
        return (t, bits) -> calls.add(new Call(t, bits, h.stack(stack).context().lock().isHeldByCurrentThread()));
    }

    @Test
    void readinessBitsAreThoseOfSelect() {
        assertEquals(Readiness.READ, ReadinessListener.READ);
        assertEquals(Readiness.WRITE, ReadinessListener.WRITE);
        assertEquals(Readiness.EXCEPTION, ReadinessListener.EXCEPTION);
    }

    @Test
    void msgTryAnswersWouldBlockWhenEmptyAndDataWhenThere() throws Exception {
        int[] p = h.pair(7001);
        byte[] buf = new byte[100];
        assertEquals(Net.WOULDBLOCK, h.b.recv(p[1], buf, 0, 100, Net.MSG_TRY));
        assertEquals(Net.WOULDBLOCK, h.b.recv(p[1], ByteBuffer.allocateDirect(10), Net.MSG_TRY));
        assertEquals(5, h.a.send(p[0], "hello".getBytes(), 0, 5, Net.MSG_TRY));
        h.run(Duration.ofMillis(50));
        assertEquals(5, h.b.recv(p[1], buf, 0, 100, Net.MSG_TRY));
        assertEquals(Net.WOULDBLOCK, h.b.recv(p[1], buf, 0, 100, Net.MSG_TRY));
        h.a.shutdown(p[0], Net.SHUT_WR);
        h.run(Duration.ofMillis(50));
        assertEquals(0, h.b.recv(p[1], buf, 0, 100, Net.MSG_TRY), "end of stream is 0, as for recv");
    }

    @Test
    void msgTryOnABlockingSocketDoesNotBlock() throws Exception {
        int[] p = h.pair(7002);
        h.b.setsockopt(p[1], Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        assertEquals(Net.WOULDBLOCK, h.b.recv(p[1], new byte[10], 0, 10, Net.MSG_TRY));
    }

    @Test
    void msgTryKeepsTheErrorsOfASocketInTheWrongState() throws Exception {
        int s = h.a.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        assertEquals(Errno.ENOTCONN, errno(() -> h.a.recv(s, new byte[10], 0, 10, Net.MSG_TRY)));
        assertEquals(Errno.ENOTCONN, errno(() -> h.a.send(s, new byte[10], 0, 10, Net.MSG_TRY)));
        assertEquals(Errno.EBADF, errno(() -> h.a.recv(12345, new byte[10], 0, 10, Net.MSG_TRY)));
        int u = h.a.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        assertEquals(Errno.EINVAL, errno(() -> h.a.recvfrom(u, new byte[10], 0, 10, Net.MSG_TRY, null)),
                "an unbound receiver is EINVAL, not WOULDBLOCK");
        h.a.bind(u, SockAddr.of(0, 5000));
        assertEquals(Net.WOULDBLOCK, h.a.recvfrom(u, new byte[10], 0, 10, Net.MSG_TRY, null));
    }

    @Test
    void msgTrySendIsWouldBlockWhenTheBufferIsFull() throws Exception {
        int[] p = h.pair(7003);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 8192);
        byte[] chunk = new byte[4096];
        int total = 0;
        int n;
        while ((n = h.a.send(p[0], chunk, 0, chunk.length, Net.MSG_TRY)) > 0) {
            total += n;
        }
        assertEquals(Net.WOULDBLOCK, n);
        assertTrue(total >= 8192, "queued " + total);
    }

    @Test
    void pollReportsReadiness() throws Exception {
        int[] p = h.pair(7004);
        assertEquals(ReadinessListener.WRITE, h.b.poll(p[1]));
        h.a.send(p[0], new byte[3], 0, 3, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(ReadinessListener.READ | ReadinessListener.WRITE, h.b.poll(p[1]));
        assertEquals(Errno.EBADF, errno(() -> h.b.poll(99_999)));
    }

    @Test
    void aListenerHearsOfDataOnTheLoopWithoutTheLockAndOnlyOfRises() throws Exception {
        int[] p = h.pair(7005);
        List<Call> calls = new ArrayList<>();
        h.b.readinessListener(p[1], recorder(calls, 1));
        h.run(Duration.ofMillis(1));
        assertEquals(List.of(new Call(p[1], ReadinessListener.WRITE, false)), calls, "the current readiness first");
        calls.clear();
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(List.of(new Call(p[1], ReadinessListener.READ | ReadinessListener.WRITE, false)), calls);
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(1, calls.size(), "READ stayed set: not reported again");
        assertEquals(20, h.b.recv(p[1], new byte[100], 0, 100, Net.MSG_TRY));
        assertEquals(Net.WOULDBLOCK, h.b.recv(p[1], new byte[100], 0, 100, Net.MSG_TRY));
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(2, calls.size(), "drained, then data again: a rise");
    }

    @Test
    void aReadThatEmptiesTheSocketExactlyStillHearsOfTheNextData() throws Exception {
        // The listener was told READ; the owner reads exactly what is there (no WOULDBLOCK seen), so
        // only the owner's call knows READ fell: the next data must be reported as a rise.
        int[] p = h.pair(7006);
        List<Call> calls = new ArrayList<>();
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(50));
        h.b.readinessListener(p[1], recorder(calls, 1));
        h.run(Duration.ofMillis(1));
        assertEquals(1, calls.size());
        assertEquals(10, h.b.recv(p[1], new byte[10], 0, 10, 0));
        h.a.send(p[0], new byte[10], 0, 10, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(2, calls.size(), "the second arrival is reported");
    }

    @Test
    void aListenerHearsWhenTheSendBufferHasRoomAgain() throws Exception {
        int[] p = h.pair(7007);
        h.a.setsockopt(p[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 8192);
        List<Call> calls = new ArrayList<>();
        h.a.readinessListener(p[0], recorder(calls, 0));
        h.run(Duration.ofMillis(1));
        calls.clear();
        byte[] chunk = new byte[4096];
        while (h.a.send(p[0], chunk, 0, chunk.length, Net.MSG_TRY) > 0) {
            // fill it
        }
        assertEquals(0, h.a.poll(p[0]) & ReadinessListener.WRITE);
        byte[] sink = new byte[65536];
        for (int i = 0; i < 20 && calls.isEmpty(); i++) {
            h.run(Duration.ofMillis(20));
            while (h.b.recv(p[1], sink, 0, sink.length, Net.MSG_TRY) > 0) {
                // the peer reads, so ACKs open the window
            }
        }
        assertFalse(calls.isEmpty(), "WRITE rose");
        assertTrue((calls.get(0).bits() & ReadinessListener.WRITE) != 0);
    }

    @Test
    void aListenerMayCallTheStackAndOneThatThrowsIsContained() throws Exception {
        int[] p1 = h.pair(7008);
        int[] p2 = h.pair(7009);
        List<byte[]> read = new ArrayList<>();
        h.b.readinessListener(p1[1], (t, bits) -> {
            throw new IllegalStateException("a broken listener");
        });
        h.b.readinessListener(p2[1], (t, bits) -> {
            try {
                byte[] b = new byte[100];
                int n = h.b.recv(t, b, 0, b.length, Net.MSG_TRY);
                if (n > 0) {
                    read.add(java.util.Arrays.copyOf(b, n));
                }
            } catch (netkit.api.ErrnoException e) {
                throw new AssertionError(e);
            }
        });
        h.a.send(p1[0], new byte[] {1}, 0, 1, 0);
        h.a.send(p2[0], new byte[] {2, 3}, 0, 2, 0);
        h.run(Duration.ofMillis(50));
        assertEquals(1, read.size());
        assertArrayEquals(new byte[] {2, 3}, read.get(0));
        assertEquals(1, h.b.recv(p1[1], new byte[10], 0, 10, Net.MSG_TRY), "the stack goes on");
    }

    @Test
    void closingRemovesTheListenerAndAStaleTokenIsRefused() throws Exception {
        int[] p = h.pair(7010);
        List<Call> calls = new ArrayList<>();
        h.b.readinessListener(p[1], recorder(calls, 1));
        h.b.closesocket(p[1]);
        h.run(Duration.ofMillis(50));
        assertTrue(calls.isEmpty(), "no call for a closed socket: " + calls);
        assertEquals(Errno.EBADF, errno(() -> h.b.readinessListener(p[1], recorder(calls, 1))));
        h.b.readinessListener(h.listen(7011, 1), null); // removing none is harmless
    }

    @Test
    void aListenerOnAListenerHearsOfConnections() throws Exception {
        int l = h.listen(7012, 8);
        List<Call> calls = new ArrayList<>();
        h.b.readinessListener(l, recorder(calls, 1));
        h.connect(7012);
        h.run(Duration.ofMillis(50));
        assertEquals(List.of(new Call(l, ReadinessListener.READ, false)), calls);
        h.b.accept(l);
        h.connect(7012);
        h.run(Duration.ofMillis(50));
        assertEquals(2, calls.size(), "accept took the only one, so the next is a rise");
    }

    @Test
    void byteBuffersHeapAndDirectMoveTheirPositionAndKeepEveryByte() throws Exception {
        int[] p = h.pair(7013);
        Random r = new Random(15);
        byte[] data = new byte[50_000];
        r.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(30_000);
        direct.put(data, 0, 30_000).flip();
        ByteBuffer heap = ByteBuffer.wrap(data, 30_000, 20_000).slice(); // arrayOffset != 0
        int sent = 0;
        while (direct.hasRemaining() || heap.hasRemaining()) {
            ByteBuffer src = direct.hasRemaining() ? direct : heap;
            int before = src.position();
            int n = h.a.send(p[0], src, Net.MSG_TRY);
            if (n > 0) {
                assertEquals(before + n, src.position());
                sent += n;
            }
            h.run(Duration.ofMillis(5));
        }
        h.a.shutdown(p[0], Net.SHUT_WR);
        ByteBuffer in = ByteBuffer.allocate(60_000);
        ByteBuffer inDirect = ByteBuffer.allocateDirect(7000);
        boolean end = false;
        for (int i = 0; i < 1000 && !end; i++) {
            h.run(Duration.ofMillis(5));
            int n = h.b.recv(p[1], inDirect, Net.MSG_TRY);
            if (n > 0) {
                inDirect.flip();
                in.put(inDirect);
                inDirect.clear();
            }
            end = n == 0;
        }
        assertTrue(end);
        assertEquals(50_000, sent);
        assertArrayEquals(data, java.util.Arrays.copyOf(in.array(), in.position()));
        ByteBuffer readOnly = ByteBuffer.allocate(10).asReadOnlyBuffer();
        assertEquals(Errno.EINVAL, errno(() -> h.b.recv(p[1], readOnly, 0)));
        assertEquals(Errno.EFAULT, errno(() -> h.b.recv(p[1], (ByteBuffer) null, 0)));
    }

    @Test
    void byteBuffersCarryDatagrams() throws Exception {
        int u = h.b.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        h.b.bind(u, SockAddr.of(0, 6000));
        int v = h.a.socket(Net.AF_INET, Net.SOCK_DGRAM, 0);
        ByteBuffer src = ByteBuffer.allocateDirect(5);
        src.put(new byte[] {1, 2, 3, 4, 5}).flip();
        assertEquals(5, h.a.sendto(v, src, 0, TcpHarness.addr(1, 6000)));
        assertFalse(src.hasRemaining());
        h.run(Duration.ofMillis(50));
        ByteBuffer dst = ByteBuffer.allocateDirect(3);
        netkit.api.RecvInfo info = new netkit.api.RecvInfo();
        assertEquals(3, h.b.recvfrom(u, dst, Net.MSG_TRY, info));
        assertTrue(info.truncated());
        assertEquals(TcpHarness.addr(0, h.a.getsockname(v).port()), info.from());
        assertEquals(Net.WOULDBLOCK, h.b.recvfrom(u, dst.clear(), Net.MSG_TRY, info));
    }
}
