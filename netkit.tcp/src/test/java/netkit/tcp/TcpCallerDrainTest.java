package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.link.pair.PairDriver;
import netkit.stack.RxQueueProbe;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TCP between two real-time stacks on a {@code pair} link, where socket calls process the frames they
 * send to the other stack on their own thread when its receive queue is idle: request/response, a
 * transfer whose sends block on a small send buffer (the frames a blocked call sent must reach the
 * peer without it), and connections sending both ways at once from many threads.
 */
class TcpCallerDrainTest {
    private static final int A = SockAddr.parseAddress("10.8.0.1");
    private static final int B = SockAddr.parseAddress("10.8.0.2");

    private final PairDriver pair = new PairDriver();
    private final Stack a = stack("a", A);
    private final Stack b = stack("b", B);
    private final SocketManager apiA = a.sockets("test");
    private final SocketManager apiB = b.sockets("test");

    private Stack stack(String name, int address) {
        Stack s = new Stack(name, null, StackSettings.defaults(), name.hashCode());
        s.addDriver(pair);
        s.configure(new InterfaceConfig("eth0", "pair", address, 24, 0, 0, 0x020000000800L + (address & 0xff), true,
                Map.of("pair", "tcd")));
        s.addProtocol(new TcpProtocol());
        return s;
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> CompletableFuture<T> async(Call<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** {@code n} connections from A to B: {client token on A, server token on B} each. */
    private List<int[]> connect(int n, int sendBuffer) throws Exception {
        int l = apiB.socket(AF_INET, SOCK_STREAM, 0);
        apiB.bind(l, SockAddr.of(B, 0));
        apiB.listen(l, n);
        SockAddr to = apiB.getsockname(l);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = apiA.socket(AF_INET, SOCK_STREAM, 0);
            if (sendBuffer > 0) {
                apiA.setsockopt(c, Net.SOL_SOCKET, Net.SO_SNDBUF, sendBuffer);
            }
            apiA.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_NODELAY, 1);
            apiA.connect(c, to);
            int s = apiB.accept(l).token();
            if (sendBuffer > 0) {
                apiB.setsockopt(s, Net.SOL_SOCKET, Net.SO_SNDBUF, sendBuffer);
            }
            apiB.setsockopt(s, Net.IPPROTO_TCP, Net.TCP_NODELAY, 1);
            out.add(new int[] {c, s});
        }
        apiB.closesocket(l);
        return out;
    }

    private static byte[] data(int length, int seed) {
        byte[] d = new byte[length];
        new java.util.Random(seed).nextBytes(d);
        return d;
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    /** Sends all of {@code d} in writes of {@code chunk} bytes. */
    private static void sendAll(SocketManager api, int t, byte[] d, int chunk) throws ErrnoException {
        for (int off = 0; off < d.length;) {
            off += api.send(t, d, off, Math.min(chunk, d.length - off), 0);
        }
    }

    /** Reads exactly {@code length} bytes. */
    private static byte[] recvAll(SocketManager api, int t, int length) throws ErrnoException {
        byte[] d = new byte[length];
        for (int off = 0; off < length;) {
            int n = api.recv(t, d, off, length - off, 0);
            if (n <= 0) {
                throw new IllegalStateException("stream ended after " + off + " bytes");
            }
            off += n;
        }
        return d;
    }

    @Test
    void requestResponseRoundTrips() throws Exception {
        int[] c = connect(1, 0).get(0);
        CompletableFuture<Integer> echo = async(() -> {
            byte[] x = new byte[1];
            int n = 0;
            while (apiB.recv(c[1], x, 0, 1, 0) == 1) {
                apiB.send(c[1], x, 0, 1, 0);
                n++;
            }
            return n;
        });
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            byte[] x = new byte[1];
            for (int i = 0; i < 5000; i++) {
                x[0] = (byte) i;
                apiA.send(c[0], x, 0, 1, 0);
                assertEquals(1, apiA.recv(c[0], x, 0, 1, 0));
                assertEquals((byte) i, x[0]);
            }
            apiA.shutdown(c[0], Net.SHUT_WR);
            assertEquals(5000, echo.get(10, TimeUnit.SECONDS));
        });
    }

    @Test
    void connectAcceptAndCloseCompleteOnTheCallersThreads() throws Exception {
        int l = idleListener();
        SockAddr to = apiB.getsockname(l);
        long[] a0 = RxQueueProbe.batches(a, "eth0");
        long[] b0 = RxQueueProbe.batches(b, "eth0");
        int rounds = 200;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < rounds; i++) {
                connectAcceptClose(to, l);
            }
        });
        long[] a1 = RxQueueProbe.batches(a, "eth0");
        long[] b1 = RxQueueProbe.batches(b, "eth0");
        long onLoops = a1[0] - a0[0] + b1[0] - b0[0];
        long onCallers = a1[1] - a0[1] + b1[1] - b0[1];
        // SYN, SYN-ACK, ACK; FIN, ACK; FIN, ACK: each answer is run by the call waiting for it (connect)
        // or by the call that caused it (close), not by a loop, unless a lock was busy at that instant.
        assertTrue(onCallers >= 5L * rounds, onCallers + " batches on the callers' threads in " + rounds + " rounds");
        assertTrue(onLoops <= rounds, onLoops + " batches on the loops in " + rounds + " rounds");
        apiB.closesocket(l);
    }

    @Test
    void aClosedConnectionsLastStepsDoNotWakeTheStacksAcceptAndSelectWaiters() throws Exception {
        int l = idleListener();
        SockAddr to = apiB.getsockname(l);
        int c = apiA.socket(AF_INET, SOCK_STREAM, 0);
        apiA.connect(c, to);
        int s = apiB.accept(l).token();
        apiB.closesocket(s); // B: FIN_WAIT_1, an orphan from here on
        long before = RxQueueProbe.readinessSignals(b);
        assertEquals(0, apiA.recv(c, new byte[1], 0, 1, 0)); // B: FIN_WAIT_2 once A's ACK is in
        apiA.closesocket(c); // B: TIME_WAIT
        Thread.sleep(50);
        assertEquals(before, RxQueueProbe.readinessSignals(b), "B's closed connection woke nobody");
        apiB.closesocket(l);
    }

    /** A listener on B that has served one connection (ARP resolved), the loops idle again. */
    private int idleListener() throws Exception {
        int l = apiB.socket(AF_INET, SOCK_STREAM, 0);
        apiB.bind(l, SockAddr.of(B, 0));
        apiB.listen(l, 4);
        connectAcceptClose(apiB.getsockname(l), l);
        Thread.sleep(50);
        return l;
    }

    /** One connection from A to the listener {@code l} at {@code to}: the server closes first. */
    private void connectAcceptClose(SockAddr to, int l) throws ErrnoException {
        int c = apiA.socket(AF_INET, SOCK_STREAM, 0);
        apiA.connect(c, to);
        int s = apiB.accept(l).token();
        apiB.closesocket(s);
        assertEquals(0, apiA.recv(c, new byte[1], 0, 1, 0));
        apiA.closesocket(c);
    }

    @Test
    void sendsThatBlockOnASmallSendBufferStillReachThePeer() throws Exception {
        int[] c = connect(1, 16384).get(0);
        byte[] d = data(1 << 20, 1);
        CompletableFuture<byte[]> got = async(() -> recvAll(apiB, c[1], d.length));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            sendAll(apiA, c[0], d, 65536); // each write waits for ACKs many times
            assertArrayEquals(d, got.get(30, TimeUnit.SECONDS));
        });
    }

    @Test
    void manyConnectionsSendingBothWaysAtOnceNeitherDeadlockNorCorrupt() throws Exception {
        int n = 4;
        int length = 1 << 20;
        List<int[]> conns = connect(n, 16384);
        List<CompletableFuture<Long>> sent = new ArrayList<>();
        List<CompletableFuture<Long>> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] c = conns.get(i);
            byte[] toB = data(length, 10 + i);
            byte[] toA = data(length, 100 + i);
            int chunk = 1000 + 7919 * i; // odd sizes: segments of every length
            sent.add(async(() -> {
                sendAll(apiA, c[0], toB, chunk);
                return crc(toB, 0, length);
            }));
            sent.add(async(() -> {
                sendAll(apiB, c[1], toA, chunk);
                return crc(toA, 0, length);
            }));
            got.add(async(() -> crc(recvAll(apiB, c[1], length), 0, length)));
            got.add(async(() -> crc(recvAll(apiA, c[0], length), 0, length)));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sent.get(i).get(100, TimeUnit.SECONDS), got.get(i).get(100, TimeUnit.SECONDS));
            }
        });
        assertNull(a.failure());
        assertNull(b.failure());
    }
}
