package netkit.stack.socket;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_DGRAM;
import static netkit.api.Net.SOCK_STREAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.link.loopback.LoopbackDriver;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.BlockingCall;
import netkit.stack.testing.RawProtocol;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The socket layer on a real-time stack with loopback and the raw test protocol. */
class SocketLayerTest {
    private static final int RAW = RawProtocol.NUMBER;
    private final Stack stack = new Stack("t", null, StackSettings.builder().maxSockets(8).socketsPerOwner(8).build(), 1);
    private final RawProtocol raw = new RawProtocol();
    private final SocketManager alice;
    private final SocketManager bob;
    private final Owner aliceOwner = new Owner("alice", 1);

    SocketLayerTest() {
        stack.addDriver(new LoopbackDriver());
        stack.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
        stack.addProtocol(raw);
        alice = stack.sockets(aliceOwner);
        bob = stack.sockets(new Owner("bob", 2));
    }

    @AfterEach
    void close() {
        stack.close();
    }

    @Test
    void socketArgumentsAreChecked() {
        assertEquals(Errno.EAFNOSUPPORT, errno(() -> alice.socket(10, SOCK_DGRAM, 0)));
        assertEquals(Errno.EPROTOTYPE, errno(() -> alice.socket(AF_INET, 5, 0)), "SOCK_SEQPACKET");
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> alice.socket(AF_INET, Net.SOCK_RAW, Net.IPPROTO_ICMP)),
                "no ICMP bundle");
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> alice.socket(AF_INET, Net.SOCK_RAW, Net.IPPROTO_UDP)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> alice.socket(AF_INET, Net.SOCK_RAW, 0)));
        assertEquals(Errno.EPROTOTYPE, errno(() -> alice.socket(AF_INET, SOCK_STREAM, Net.IPPROTO_UDP)));
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> alice.socket(AF_INET, SOCK_STREAM, 0)), "no TCP bundle");
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> alice.socket(AF_INET, SOCK_DGRAM, 0)), "raw is no default");
    }

    @Test
    void tokensStartAtZeroAreScopedAndNotReusedSoon() throws Exception {
        int first = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        assertEquals(0, first, "0 is a valid token");
        assertEquals(Errno.EBADF, errno(() -> bob.closesocket(first)), "another owner's token");
        assertEquals(Errno.EBADF, errno(() -> bob.send(first, new byte[1], 0, 1, 0)));
        alice.closesocket(first);
        assertEquals(Errno.EBADF, errno(() -> alice.closesocket(first)), "stale token");
        assertEquals(Errno.EBADF, errno(() -> alice.getsockname(-1)));
        assertEquals(Errno.EBADF, errno(() -> alice.getsockname(1 << 20)));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int t = alice.socket(AF_INET, SOCK_DGRAM, RAW);
            assertNotEquals(first, t, "a closed token waits behind the other free ones");
            assertTrue(seen.add(t));
            alice.closesocket(t);
        }
    }

    @Test
    void tableIsBounded() throws Exception {
        for (int i = 0; i < 8; i++) {
            alice.socket(AF_INET, SOCK_DGRAM, RAW);
        }
        assertEquals(Errno.EMFILE, errno(() -> bob.socket(AF_INET, SOCK_DGRAM, RAW)));
        assertEquals(8, stack.closeAll(aliceOwner));
        assertEquals(0, stack.socketLayer().table().open());
        bob.socket(AF_INET, SOCK_DGRAM, RAW);
    }

    @Test
    void badArgumentsNeverReachTheProtocol() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        assertEquals(Errno.EFAULT, errno(() -> alice.send(s, null, 0, 0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> alice.send(s, new byte[4], 2, 3, 0)));
        assertEquals(Errno.EINVAL, errno(() -> alice.recv(s, new byte[4], -1, 1, 0)));
        assertEquals(Errno.EFAULT, errno(() -> alice.bind(s, null)));
        assertEquals(Errno.EINVAL, errno(() -> alice.shutdown(s, 7)));
        assertEquals(Errno.ENOTCONN, errno(() -> alice.getpeername(s)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> alice.setsockopt(s, Net.SOL_SOCKET, 999, 1)));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> alice.setsockopt(s, 77, 1, 1)));
        assertEquals(Errno.EINVAL, errno(() -> alice.setsockopt(s, Net.IPPROTO_IP, Net.IP_TTL, 0)));
        assertEquals(Errno.EINVAL, errno(() -> alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, -5)));
        assertEquals(Errno.EINVAL, errno(() -> alice.select(null, null, null, Duration.ofMillis(-1))));
    }

    @Test
    void socketOptionsRoundTrip() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        assertEquals(SOCK_DGRAM, alice.getsockopt(s, Net.SOL_SOCKET, Net.SO_TYPE));
        alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVBUF, 100_000);
        alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_LINGER, 5);
        alice.setsockopt(s, Net.IPPROTO_IP, Net.IP_TTL, 7);
        assertEquals(1, alice.getsockopt(s, Net.SOL_SOCKET, Net.SO_REUSEADDR));
        assertEquals(100_000, alice.getsockopt(s, Net.SOL_SOCKET, Net.SO_RCVBUF));
        assertEquals(5, alice.getsockopt(s, Net.SOL_SOCKET, Net.SO_LINGER));
        assertEquals(7, alice.getsockopt(s, Net.IPPROTO_IP, Net.IP_TTL));
        assertEquals(0, alice.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR));
        assertEquals(Errno.ENOPROTOOPT, errno(() -> alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR, 0)));
    }

    @Test
    void nonBlockingAndTimeouts() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        byte[] b = new byte[8];
        assertEquals(Errno.EWOULDBLOCK, errno(() -> alice.recv(s, b, 0, 8, Net.MSG_DONTWAIT)));
        alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        assertEquals(Errno.EWOULDBLOCK, errno(() -> alice.recv(s, b, 0, 8, 0)));
        alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 0);
        alice.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 50);
        long t0 = System.nanoTime();
        assertEquals(Errno.EWOULDBLOCK, errno(() -> alice.recv(s, b, 0, 8, 0)));
        assertTrue(System.nanoTime() - t0 >= 40_000_000L);
    }

    @Test
    void dataOverLoopbackAndSelect() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        TokenSet r = TokenSet.of(s);
        assertEquals(0, alice.select(r, null, null, Duration.ZERO));
        assertEquals(0, r.size(), "not ready: cleared");
        TokenSet w = TokenSet.of(s);
        assertEquals(1, alice.select(null, w, null, Duration.ZERO), "write bits are implemented");
        w = TokenSet.of(s);
        assertEquals(1, alice.select(null, w, null, Duration.ofSeconds(Long.MAX_VALUE)),
                "a timeout too long for a long of nanoseconds is a long wait, not an ArithmeticException");
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                TokenSet rr = TokenSet.of(s);
                return alice.select(rr, null, null, Duration.ofSeconds(10));
            } catch (ErrnoException e) {
                return -1;
            }
        });
        Thread.sleep(50);
        alice.sendto(s, "ping".getBytes(), 0, 4, 0, SockAddr.of("127.0.0.1", 0));
        assertEquals(1, waiter.get(5, TimeUnit.SECONDS));
        byte[] b = new byte[2];
        netkit.api.RecvInfo info = new netkit.api.RecvInfo();
        assertEquals(2, alice.recvfrom(s, b, 0, 2, 0, info));
        assertTrue(info.truncated());
        assertEquals(4, info.fullLength());
        assertEquals(Net.INADDR_LOOPBACK, info.from().address());
        assertEquals(Errno.EBADF, errno(() -> alice.select(TokenSet.of(s + 1), null, null, Duration.ZERO)));
    }

    /** A receive on {@code s} blocked in another thread; completes with the errno that woke it. */
    private CompletableFuture<Errno> blockedReceive(int s) throws InterruptedException {
        CompletableFuture<Errno> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                alice.recv(s, new byte[4], 0, 4, 0);
                return null;
            } catch (ErrnoException e) {
                return e.errno();
            }
        });
        Thread.sleep(50);
        return blocked;
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReceive() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        CompletableFuture<Errno> blocked = blockedReceive(s);
        alice.closesocket(s);
        assertEquals(Errno.EBADF, blocked.get(5, TimeUnit.SECONDS));
    }

    @Test
    void protocolLeavingGivesEnetdownUntilClosed() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        CompletableFuture<Errno> blocked = blockedReceive(s);
        stack.removeProtocol(raw);
        assertEquals(Errno.ENETDOWN, blocked.get(5, TimeUnit.SECONDS));
        assertEquals(Errno.ENETDOWN, errno(() -> alice.send(s, new byte[1], 0, 1, 0)));
        assertEquals(1, alice.select(TokenSet.of(s), null, null, Duration.ZERO), "readable: fails at once");
        assertEquals(Errno.EPROTONOSUPPORT, errno(() -> alice.socket(AF_INET, SOCK_DGRAM, RAW)));
        alice.closesocket(s);
        stack.addProtocol(raw);
        int again = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        alice.sendto(again, new byte[] {1}, 0, 1, 0, SockAddr.of("127.0.0.1", 0));
        alice.setsockopt(again, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 5000);
        assertEquals(1, alice.recv(again, new byte[4], 0, 4, 0), "service restored");
    }

    @Test
    void selectTimesOutAtTheSimulatedDeadline() throws Exception {
        TestNet net = new TestNet(1);
        Stack simulated = net.stack(0);
        simulated.addProtocol(new RawProtocol());
        SocketManager api = simulated.sockets("sim");
        int s = api.socket(AF_INET, SOCK_DGRAM, RAW);
        TokenSet read = TokenSet.of(s);
        long wall = System.nanoTime();
        long start = net.loop.nanoTime();
        BlockingCall<Integer> select = BlockingCall.start(simulated,
                () -> api.select(read, null, null, Duration.ofSeconds(60)));
        select.awaitBlocked();
        net.run(Duration.ofMillis(59_999));
        select.awaitBlocked();
        net.run(Duration.ofMillis(1));
        assertEquals(0, select.join(), "nothing became ready");
        assertEquals(0, read.size(), "the set is cleared");
        assertEquals(start + Duration.ofSeconds(60).toNanos(), select.returnedAt(), "returned at the deadline");
        assertTrue(System.nanoTime() - wall < 1_000_000_000L, "a minute of simulated time took no wall time");
    }

    @Test
    void interruptGivesEintr() throws Exception {
        int s = alice.socket(AF_INET, SOCK_DGRAM, RAW);
        CompletableFuture<Errno> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                alice.select(TokenSet.of(s), null, null, null);
                result.complete(null);
            } catch (ErrnoException e) {
                result.complete(e.errno());
            }
        });
        t.start();
        Thread.sleep(50);
        t.interrupt();
        assertEquals(Errno.EINTR, result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void netstatSeesEverySocketWithItsOwner() throws Exception {
        alice.socket(AF_INET, SOCK_DGRAM, RAW);
        bob.socket(AF_INET, SOCK_DGRAM, RAW);
        var rows = stack.admin().sockets();
        assertEquals(2, rows.size());
        assertEquals("alice", rows.get(0).owner());
        assertEquals("bob", rows.get(1).owner());
        assertEquals("raw253", rows.get(0).protocol());
    }
}
