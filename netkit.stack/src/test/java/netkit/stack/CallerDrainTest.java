package netkit.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.function.IntSupplier;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.stats.IpCounter;
import netkit.api.time.SimulatedLoop;
import netkit.link.loopback.LoopbackDriver;
import netkit.link.pair.PairDriver;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.RawProtocol;
import netkit.stack.util.CallerDrain;
import netkit.stack.util.StackLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Receive processing on the thread of the socket call that sent the frame ({@link CallerDrain}):
 * a request/response between two stacks on a {@code pair} link runs without the stacks' loops,
 * faults stay contained per frame, a call that blocks hands its deferred frames to the loops, and
 * stacks sending to each other from many threads never deadlock or lose a frame.
 */
class CallerDrainTest {
    private static final int A = SockAddr.parseAddress("10.7.0.1");
    private static final int B = SockAddr.parseAddress("10.7.0.2");

    private final PairDriver pair = new PairDriver();
    private final LoopbackDriver loopback = new LoopbackDriver();
    private final List<Stack> stacks = new ArrayList<>();

    @AfterEach
    void close() {
        stacks.forEach(Stack::close);
    }

    /** A stack on its own real-time loop with lo0 and eth0 on the pair link, running {@code p}. */
    private Stack stack(String name, int address, netkit.api.spi.protocol.TransportProtocol p) {
        Stack s = new Stack(name, null, StackSettings.defaults(), name.hashCode());
        stacks.add(s);
        s.addDriver(loopback);
        s.addDriver(pair);
        s.configure(InterfaceConfig.of("lo0", "loopback", SockAddr.parseAddress("127.0.0.1"), 8));
        s.configure(new InterfaceConfig("eth0", "pair", address, 24, 0, 0, 0x020000000700L + (address & 0xff), true,
                Map.of("pair", "cd")));
        s.addProtocol(p);
        return s;
    }

    /** A raw datagram socket of {@code api} whose default peer is {@code peer}, receive timeout 10 s. */
    private static int socket(SocketManager api, int peer) throws Exception {
        int t = api.socket(Net.AF_INET, Net.SOCK_DGRAM, RawProtocol.NUMBER);
        api.connect(t, SockAddr.of(peer, 0));
        api.setsockopt(t, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 10_000);
        return t;
    }

    private static int received(Stack s, RawProtocol.Instance raw) {
        s.lock().lock();
        try {
            return raw.received.size();
        } finally {
            s.lock().unlock();
        }
    }

    private static long ip(Stack s, IpCounter c) {
        return s.admin().statistics().ip().get(c);
    }

    /** Sends one datagram from {@code api} and waits for it at {@code peer} (ARP resolved, loops idle). */
    private static void warmUp(SocketManager api, int t, SocketManager peerApi, int peerToken) throws Exception {
        api.send(t, new byte[] {0}, 0, 1, 0);
        assertEquals(1, peerApi.recv(peerToken, new byte[1], 0, 1, 0));
        Thread.sleep(50); // ARP's answer and the loops' tasks settle
    }

    /** Stacks A and B with raw protocols, a raw socket on each with the other as peer, ARP resolved. */
    private record Linked(Stack a, Stack b, RawProtocol pb, SocketManager apiA, SocketManager apiB, int ta, int tb) {
    }

    private Linked linked() throws Exception {
        RawProtocol pb = new RawProtocol();
        Stack a = stack("a", A, new RawProtocol());
        Stack b = stack("b", B, pb);
        SocketManager apiA = a.sockets("test");
        SocketManager apiB = b.sockets("test");
        int ta = socket(apiA, B);
        int tb = socket(apiB, A);
        warmUp(apiA, ta, apiB, tb);
        return new Linked(a, b, pb, apiA, apiB, ta, tb);
    }

    @Test
    void aSentFrameIsProcessedOnTheSendersThreadBeforeTheCallReturns() throws Exception {
        Linked l = linked();
        Stack b = l.b();
        RawProtocol pb = l.pb();
        SocketManager apiA = l.apiA();
        int ta = l.ta();
        long[] before = b.receiveBatches("eth0");
        int sends = 50;
        int synchronous = 0;
        for (int i = 0; i < sends; i++) {
            int had = received(b, pb.last);
            apiA.send(ta, new byte[] {1}, 0, 1, 0);
            if (received(b, pb.last) == had + 1) {
                synchronous++; // B's input ran before send returned: on this thread
            }
        }
        long[] after = b.receiveBatches("eth0");
        // Only a busy B lock (one of B's timers running) sends a frame to B's loop instead.
        // (A frame the loop drained at once can look synchronous too: the batches are what count.)
        long onCaller = after[1] - before[1];
        long onLoop = after[0] - before[0];
        assertTrue(synchronous >= sends * 9 / 10, synchronous + " of " + sends + " processed before send returned");
        assertTrue(onCaller >= sends * 9 / 10, onCaller + " of " + sends + " drained on the sender's thread");
        assertTrue(onCaller + onLoop <= sends, "the loop drained only what the caller could not: " + onCaller
                + " + " + onLoop);
    }

    @Test
    void aFullSizedFrameIsLeftToTheReceiversLoop() throws Exception {
        Linked l = linked();
        Stack b = l.b();
        RawProtocol pb = l.pb();
        SocketManager apiA = l.apiA();
        int ta = l.ta();
        long[] before = b.receiveBatches("eth0");
        int sends = 20;
        byte[] big = new byte[RxQueue.MAX_DEFERRED_FRAME]; // with the IPv4 header, above the limit
        for (int i = 0; i < sends; i++) {
            apiA.send(ta, big, 0, big.length, 0);
            assertEquals(0, CallerDrain.pendingOnThisThread());
        }
        waitFor(() -> received(b, pb.last), sends + 1);
        long[] after = b.receiveBatches("eth0");
        assertEquals(0, after[1] - before[1], "no caller batch: a bulk transfer keeps the receiver's loop busy");
        assertTrue(after[0] - before[0] >= 1, "the loop drained them");
    }

    @Test
    void requestResponseOverAPairLinkBarelyWakesTheLoops() throws Exception {
        Linked l = linked();
        Stack a = l.a();
        Stack b = l.b();
        SocketManager apiA = l.apiA();
        SocketManager apiB = l.apiB();
        int ta = l.ta();
        int tb = l.tb();
        int rounds = 2000;
        AtomicReference<Throwable> echoFailed = new AtomicReference<>();
        Thread echo = new Thread(() -> {
            byte[] x = new byte[1];
            try {
                for (int i = 0; i < rounds; i++) {
                    apiB.recv(tb, x, 0, 1, 0);
                    apiB.send(tb, x, 0, 1, 0);
                }
            } catch (Throwable e) {
                echoFailed.set(e);
            }
        }, "echo");
        long[] a0 = a.receiveBatches("eth0");
        long[] b0 = b.receiveBatches("eth0");
        echo.start();
        byte[] x = {7};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < rounds; i++) {
                apiA.send(ta, x, 0, 1, 0);
                assertEquals(1, apiA.recv(ta, x, 0, 1, 0));
            }
        });
        echo.join(10_000);
        assertNull(echoFailed.get());
        long[] a1 = a.receiveBatches("eth0");
        long[] b1 = b.receiveBatches("eth0");
        long onLoops = a1[0] - a0[0] + b1[0] - b0[0];
        long onCallers = a1[1] - a0[1] + b1[1] - b0[1];
        assertEquals(2L * rounds, onLoops + onCallers, "one batch per frame");
        // A loop drains a frame only when the receiving stack's lock is busy at that instant (its own
        // application between two calls, a timer): a small share, however loaded the machine is.
        assertTrue(onLoops <= 2L * rounds / 10, onLoops + " of " + 2 * rounds + " frames drained by the loops");
    }

    @Test
    void aFaultInAFrameDrainedOnTheCallersThreadCostsThatFrameOnly() throws Exception {
        RawProtocol pa = new RawProtocol();
        RxFaultTest.ThrowingProtocol pb = new RxFaultTest.ThrowingProtocol(() -> new IllegalStateException("bug"));
        Stack a = stack("a", A, pa);
        Stack b = stack("b", B, pb);
        SocketManager apiA = a.sockets("test");
        int ta = socket(apiA, B);
        Thread.sleep(50);
        long[] before = b.receiveBatches("eth0");
        apiA.send(ta, new byte[] {1}, 0, 1, 0); // ARP first: queued at A until B answers (on the loops)
        waitFor(() -> ip(b, IpCounter.RX_FAULTS) == 1 ? 1 : 0, 1);
        assertEquals(0, received(b, pb.inner), "the first datagram threw");
        Thread.sleep(50);
        apiA.send(ta, new byte[] {2}, 0, 1, 0);
        apiA.send(ta, new byte[] {3}, 0, 1, 0);
        waitFor(() -> received(b, pb.inner), 2);
        long[] after = b.receiveBatches("eth0");
        assertTrue(after[1] > before[1], "drained on the caller's thread");
        assertEquals(1, ip(b, IpCounter.RX_FAULTS));
        assertNull(b.failure());
    }

    @Test
    void aFatalErrorOnTheCallersThreadFailsTheReceivingStackOnly() throws Exception {
        RawProtocol pa = new RawProtocol();
        OutOfMemoryError oom = new OutOfMemoryError("test");
        RxFaultTest.ThrowingProtocol pb = new RxFaultTest.ThrowingProtocol(() -> oom);
        RawProtocol first = new RawProtocol();
        Stack a = stack("a", A, pa);
        Stack b = stack("b", B, first);
        SocketManager apiA = a.sockets("test");
        SocketManager apiB = b.sockets("test");
        int ta = socket(apiA, B);
        int tb = socket(apiB, A);
        warmUp(apiA, ta, apiB, tb); // ARP resolved with a protocol that does not throw
        b.removeProtocol(first);
        b.addProtocol(pb);
        long[] before = b.receiveBatches("eth0");
        apiA.send(ta, new byte[] {1}, 0, 1, 0); // returns: the error is the receiver's
        waitFor(() -> b.failure() == null ? 0 : 1, 1);
        assertSame(oom, b.failure());
        assertNull(a.failure());
        long[] after = b.receiveBatches("eth0");
        assertEquals(before[0] + before[1] + 1, after[0] + after[1]);
        long dropped = b.iface("eth0").status().counters().rxDropped();
        apiA.send(ta, new byte[] {2}, 0, 1, 0);
        assertEquals(dropped + 1, b.iface("eth0").status().counters().rxDropped(), "a failed stack takes nothing");
    }

    @Test
    void stacksSendingToEachOtherAndThemselvesFromManyThreadsNeitherDeadlockNorLoseFrames() throws Exception {
        RawProtocol pa = new RawProtocol();
        RawProtocol pb = new RawProtocol();
        Stack a = stack("a", A, pa);
        Stack b = stack("b", B, pb);
        SocketManager apiA = a.sockets("test");
        SocketManager apiB = b.sockets("test");
        warmUp(apiA, socket(apiA, B), apiB, socket(apiB, A));
        warmUp(apiB, socket(apiB, A), apiA, socket(apiA, B));
        int receivedA0 = received(a, pa.last);
        int receivedB0 = received(b, pb.last);
        int threads = 6;
        int each = 1500;
        // Per stack: threads sending to the other stack and to itself (lo0), and threads blocked in
        // recv with a short timeout (waits on the stack lock's conditions) in between.
        List<Thread> all = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        int[] toA = new int[1];
        int[] toB = new int[1];
        for (int side = 0; side < 2; side++) {
            SocketManager api = side == 0 ? apiA : apiB;
            int peer = side == 0 ? B : A;
            for (int i = 0; i < threads; i++) {
                int dst = i % 3 == 2 ? Net.INADDR_LOOPBACK : peer;
                if (side == 0 && dst == peer || side == 1 && dst == Net.INADDR_LOOPBACK) {
                    toB[0] += each;
                } else {
                    toA[0] += each;
                }
                int t = socket(api, dst);
                all.add(new Thread(() -> {
                    try {
                        go.await();
                        for (int k = 0; k < each; k++) {
                            api.send(t, new byte[] {(byte) k}, 0, 1, 0);
                            if (k % 100 == 0) {
                                api.setsockopt(t, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1);
                                try {
                                    api.recv(t, new byte[1], 0, 1, 0); // waits on a condition (or not)
                                } catch (netkit.api.ErrnoException timedOut) {
                                    // EWOULDBLOCK: nothing came in 1 ms
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                }, "sender-" + side + "-" + i));
            }
        }
        all.forEach(Thread::start);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            go.countDown();
            for (Thread t : all) {
                t.join();
            }
        });
        assertNull(failed.get());
        long droppedA = a.iface("eth0").status().counters().rxDropped() + a.iface("lo0").status().counters().rxDropped();
        long droppedB = b.iface("eth0").status().counters().rxDropped() + b.iface("lo0").status().counters().rxDropped();
        waitFor(() -> received(a, pa.last) - receivedA0 + (int) droppedA, toA[0]);
        waitFor(() -> received(b, pb.last) - receivedB0 + (int) droppedB, toB[0]);
        assertNull(a.failure());
        assertNull(b.failure());
    }

    /** Work that logs where it ran: "caller" ("caller, lock held" if {@code lock} was held) or "loop". */
    private static CallerDrain.Deferred logged(List<String> log, StackLock lock) {
        return new CallerDrain.Deferred() {
            @Override
            public void runOnCaller() {
                log.add(lock.isHeldByCurrentThread() ? "caller, lock held" : "caller");
            }

            @Override
            public void toLoop() {
                log.add("loop");
            }
        };
    }

    @Test
    void aCallAwaitingAnAnswerRunsItsDeferredWorkWithTheLockReleasedInsteadOfBlocking() throws Exception {
        StackLock lock = new StackLock();
        Condition c = lock.newCondition();
        List<String> log = new ArrayList<>();
        CallerDrain.Deferred work = logged(log, lock);
        assertFalse(CallerDrain.defer(work), "no socket call on this thread: not deferred");
        CallerDrain outer = CallerDrain.enterAwaitingAnswer(); // a connect
        CallerDrain inner = CallerDrain.enter();
        assertTrue(CallerDrain.defer(work));
        inner.exit();
        assertEquals(List.of(), log, "run when the outermost call ends");
        lock.lock();
        lock.lock();
        try {
            assertTrue(c.await(10, TimeUnit.SECONDS), "returned at once, as a spurious wake-up");
            assertEquals(List.of("caller"), log, "run with the lock released");
            assertEquals(2, lock.getHoldCount(), "every hold taken again");
            assertEquals(0, CallerDrain.pendingOnThisThread());
            assertFalse(c.await(1, TimeUnit.MILLISECONDS), "nothing deferred: a real wait");
            assertFalse(lock.hasWaiters(c), "the lock's own queries see through the wrapper");
        } finally {
            lock.unlock();
            lock.unlock();
        }
        assertTrue(CallerDrain.defer(work));
        outer.exit();
        assertEquals(List.of("caller", "caller"), log);
    }

    @Test
    void anyOtherCallAboutToBlockHandsItsDeferredWorkToTheLoopFirst() throws Exception {
        StackLock lock = new StackLock();
        Condition c = lock.newCondition();
        List<String> log = new ArrayList<>();
        CallerDrain.Deferred work = logged(log, lock);
        CallerDrain call = CallerDrain.enter(); // a recv or send
        assertTrue(CallerDrain.defer(work));
        lock.lock();
        try {
            assertFalse(c.await(1, TimeUnit.MILLISECONDS), "a real wait");
        } finally {
            lock.unlock();
        }
        assertEquals(List.of("loop"), log, "handed to the loop before the wait");
        assertEquals(0, CallerDrain.pendingOnThisThread());
        call.exit();
        assertEquals(List.of("loop"), log);
    }

    @Test
    void workDeferredByDeferredWorkRunsNextUpToABudgetAndTheRestGoesToTheLoops() {
        List<String> log = new ArrayList<>();
        class Chained implements CallerDrain.Deferred {
            final int n;

            Chained(int n) {
                this.n = n;
            }

            @Override
            public void runOnCaller() {
                log.add("caller " + n);
                assertTrue(CallerDrain.defer(new Chained(n + 1)), "deferred in turn, not nested");
                assertEquals(List.of("caller " + n), log.subList(log.size() - 1, log.size()));
            }

            @Override
            public void toLoop() {
                log.add("loop " + n);
            }
        }
        CallerDrain call = CallerDrain.enter();
        assertTrue(CallerDrain.defer(new Chained(0)));
        call.exit();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < CallerDrain.MAX_RUNS; i++) {
            expected.add("caller " + i);
        }
        expected.add("loop " + CallerDrain.MAX_RUNS);
        assertEquals(expected, log);
        assertEquals(0, CallerDrain.pendingOnThisThread());
    }

    @Test
    void aSimulatedLoopDrainsEveryFrameItself() throws Exception {
        SimulatedLoop loop = new SimulatedLoop();
        Stack a = new Stack("sa", loop, StackSettings.defaults(), 1);
        Stack b = new Stack("sb", loop, StackSettings.defaults(), 2);
        stacks.add(a);
        stacks.add(b);
        RawProtocol pb = new RawProtocol();
        for (Stack s : List.of(a, b)) {
            s.addDriver(pair);
            s.addProtocol(s == a ? new RawProtocol() : pb);
        }
        a.configure(new InterfaceConfig("eth0", "pair", A, 24, 0, 0, 0x020000000801L, true, Map.of("pair", "sim")));
        b.configure(new InterfaceConfig("eth0", "pair", B, 24, 0, 0, 0x020000000802L, true, Map.of("pair", "sim")));
        loop.runUntilIdle();
        SocketManager apiA = a.sockets("test");
        int ta = apiA.socket(Net.AF_INET, Net.SOCK_DGRAM, RawProtocol.NUMBER);
        apiA.connect(ta, SockAddr.of(B, 0));
        apiA.send(ta, new byte[] {1}, 0, 1, 0);
        loop.runUntilIdle();
        apiA.send(ta, new byte[] {2}, 0, 1, 0);
        assertEquals(1, received(b, pb.last), "not processed by the call");
        loop.runUntilIdle();
        assertEquals(2, received(b, pb.last));
        assertEquals(0, b.receiveBatches("eth0")[1], "no batch drained by a caller");
    }

    @Test
    void thePropertyTurnsItOff() throws Exception {
        RawProtocol pa = new RawProtocol();
        RawProtocol pb = new RawProtocol();
        Stack a;
        Stack b;
        System.setProperty("netkit.callerDrain", "false");
        try {
            a = stack("a", A, pa);
            b = stack("b", B, pb);
        } finally {
            System.clearProperty("netkit.callerDrain");
        }
        SocketManager apiA = a.sockets("test");
        SocketManager apiB = b.sockets("test");
        int ta = socket(apiA, B);
        int tb = socket(apiB, A);
        warmUp(apiA, ta, apiB, tb);
        for (int i = 0; i < 10; i++) {
            apiA.send(ta, new byte[] {1}, 0, 1, 0);
            assertEquals(1, apiB.recv(tb, new byte[1], 0, 1, 0));
        }
        assertEquals(0, b.receiveBatches("eth0")[1], "no batch drained by a caller");
        assertEquals(0, a.receiveBatches("eth0")[1]);
    }

    private static void waitFor(IntSupplier value, int expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsInt() != expected && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(expected, value.getAsInt());
    }
}
