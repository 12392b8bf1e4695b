package netkit.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.time.RealTimeLoop;
import netkit.stack.iface.InterfaceConfig;

/**
 * Warms up a stack's cold paths ({@link StackSettings#warmUp()}, issue #13): the first packet after
 * boot pays for class loading and the interpreter (tens of milliseconds for a ping of 127.0.0.1,
 * whose warm round trip takes tens of microseconds). On a daemon thread, a private throw-away
 * {@link Stack} on its own real-time loop, with a loopback interface on the real stack's
 * {@code loopback} driver and the real stack's transport protocols, runs ICMP echoes, UDP datagrams
 * and TCP connect/send/recv/close through the same classes the real stack uses, then closes. The
 * real stack's state (counters, sockets, tokens, quotas, timers) is never touched and it is usable
 * at once: the warm-up runs beside it, never under its lock.
 *
 * <p>What is warm is the JVM's (loaded and compiled classes), so a protocol class is warmed once per
 * JVM ({@link #WARMED}); a protocol or the loopback driver added later starts another run for what is
 * new. A failure is logged once per JVM and ignored. Nothing runs on a simulated loop.
 */
final class Warmup {
    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(Warmup.class);
    /** Protocol classes (and {@link Stack} itself) already warmed in this JVM. */
    private static final Set<Class<?>> WARMED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();
    /** Rounds of echo, datagram and connection: enough for C1 to compile the hot methods. */
    static final int ROUNDS = Integer.getInteger("netkit.warmup.rounds", 300);
    /** Quiet time before a run: nothing added meanwhile. */
    private static final long QUIET_MILLIS = 50;
    private static final long QUIET_MAX_MILLIS = 500;

    private final Stack stack;
    private final String name;
    /** Requests made and requests served; guarded by this. */
    private long requested;
    private long served;
    private boolean running;
    private volatile long lastRunNanos = -1;

    Warmup(Stack stack, String name) {
        this.stack = stack;
        this.name = name;
    }

    /**
     * Something was added (a protocol, a driver): warms what is new and cold, on the warm-up thread.
     * Returns at once and takes none of the stack's locks.
     */
    void request() {
        StackSettings s = stack.settings();
        if (!s.warmUp() || !(stack.loop() instanceof RealTimeLoop)) {
            return;
        }
        synchronized (this) {
            requested++;
            if (running) {
                return;
            }
            running = true;
        }
        Thread t = new Thread(this::runAll, "netkit-warmup-" + name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Waits until every warm-up requested so far has finished (or there was none): true, or false
     * when {@code millis} passed first.
     */
    boolean await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (this) {
            long want = requested;
            while (served < want) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000L));
            }
            return true;
        }
    }

    /** Nanoseconds the last warm-up run took, or -1 before one ran. */
    long lastRunNanos() {
        return lastRunNanos;
    }

    private void runAll() {
        while (true) {
            long upTo = 0;
            try {
                upTo = quiet();
                runOnce();
            } catch (Throwable e) { // fails safe: the real stack does not depend on it
                if (FAILURE_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.INFO, "stack " + name + ": warm-up failed, ignored (the first "
                            + "packets may be slow): " + e, e);
                }
                synchronized (this) {
                    upTo = requested; // not retried: what is added later starts another run
                }
            }
            synchronized (this) {
                upTo = Math.max(upTo, served);
                served = upTo;
                notifyAll();
                if (served >= requested) {
                    running = false;
                    return;
                }
            }
        }
    }

    /**
     * Waits until nothing was added for {@link #QUIET_MILLIS} (at most {@link #QUIET_MAX_MILLIS}),
     * so that a stack being assembled (driver, then protocols) is warmed once, after its own start
     * rather than beside it; returns the requests this run serves.
     */
    private long quiet() throws InterruptedException {
        long start = System.nanoTime();
        long seen;
        synchronized (this) {
            seen = requested;
        }
        while (System.nanoTime() - start < QUIET_MAX_MILLIS * 1_000_000L) {
            Thread.sleep(QUIET_MILLIS);
            synchronized (this) {
                if (requested == seen) {
                    return seen;
                }
                seen = requested;
            }
        }
        return seen;
    }

    /** One warm-up of what is cold now. */
    private void runOnce() throws Exception {
        LinkDriver loopback = stack.driver("loopback");
        if (loopback == null) {
            return; // warmed when it comes
        }
        List<TransportProtocol> cold = new ArrayList<>();
        for (TransportProtocol p : stack.protocolsNow()) {
            if (exercised(p) && !WARMED.contains(p.getClass())) {
                cold.add(p);
            }
        }
        if (cold.isEmpty() && WARMED.contains(Stack.class)) {
            return;
        }
        long t0 = System.nanoTime();
        exercise(loopback, cold, ROUNDS);
        WARMED.add(Stack.class);
        cold.forEach(p -> WARMED.add(p.getClass()));
        lastRunNanos = System.nanoTime() - t0;
        LOG.log(System.Logger.Level.DEBUG, () -> "stack " + name + ": warm-up of " + cold.size() + " protocol(s) took "
                + lastRunNanos / 1_000_000 + " ms");
    }

    /**
     * Whether the warm-up has traffic for {@code p} (ICMP echo, UDP, TCP). No other protocol is
     * attached to the throw-away stack: attaching runs the protocol's code, which may keep state
     * per attachment, for nothing.
     */
    static boolean exercised(TransportProtocol p) {
        return p.type() == Net.SOCK_DGRAM && (p.protocol() == Net.IPPROTO_ICMP || p.protocol() == Net.IPPROTO_UDP)
                || p.type() == Net.SOCK_STREAM && p.protocol() == Net.IPPROTO_TCP;
    }

    /**
     * A throw-away stack with {@code lo0} on {@code loopback} and {@code protocols}: {@code rounds}
     * rounds of whatever they serve (ICMP echo to 127.0.0.1, a UDP datagram to itself, a TCP
     * connection with one exchange each way), then closed.
     */
    static void exercise(LinkDriver loopback, List<TransportProtocol> protocols, int rounds) throws Exception {
        StackSettings settings = StackSettings.builder().warmUp(false).build();
        try (Stack tmp = new Stack("warmup", null, settings, 1)) {
            tmp.addDriver(loopback);
            tmp.configure(InterfaceConfig.of("lo0", "loopback", Net.INADDR_LOOPBACK, 8));
            boolean icmp = false;
            boolean udp = false;
            boolean tcp = false;
            for (TransportProtocol p : protocols) {
                if (!exercised(p)) {
                    continue;
                }
                tmp.addProtocol(p);
                icmp |= p.type() == Net.SOCK_DGRAM && p.protocol() == Net.IPPROTO_ICMP;
                udp |= p.type() == Net.SOCK_DGRAM && p.protocol() == Net.IPPROTO_UDP;
                tcp |= p.type() == Net.SOCK_STREAM && p.protocol() == Net.IPPROTO_TCP;
            }
            SocketManager api = tmp.sockets("warmup");
            SockAddr lo = SockAddr.of(Net.INADDR_LOOPBACK, 0);
            byte[] buf = new byte[256];
            RecvInfo info = new RecvInfo();
            TokenSet read = new TokenSet();
            int listener = -1;
            if (tcp) {
                listener = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
                api.setsockopt(listener, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
                api.bind(listener, lo);
                api.listen(listener, 16);
            }
            for (int r = 0; r < rounds; r++) {
                if (icmp) {
                    echo(api, lo, buf, info, read, r);
                }
                if (udp) {
                    datagram(api, lo, buf, info, r);
                }
                if (tcp && r % 4 == 0) {
                    connection(api, listener, api.getsockname(listener), buf);
                }
            }
        }
    }

    /** What {@code netkit:ping} does: an echo request and its reply (select then a non-blocking read, or a blocking read). */
    private static void echo(SocketManager api, SockAddr lo, byte[] buf, RecvInfo info, TokenSet read, int r)
            throws ErrnoException {
        int s = api.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        try {
            api.setsockopt(s, Net.IPPROTO_IP, Net.IP_TTL, 64);
            api.setsockopt(s, Net.IPPROTO_IP, Net.IP_RECVERR, 1);
            api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
            java.util.Arrays.fill(buf, 0, 64, (byte) 0);
            buf[0] = 8; // echo request
            buf[7] = (byte) r;
            api.sendto(s, buf, 0, 64, 0, lo);
            if (r % 2 == 0) {
                read.zero();
                read.set(s);
                api.select(read, null, null, Duration.ofSeconds(1));
                api.recvfrom(s, buf, 0, buf.length, Net.MSG_DONTWAIT, info);
            } else {
                api.recvfrom(s, buf, 0, buf.length, 0, info);
            }
        } finally {
            api.closesocket(s);
        }
    }

    private static void datagram(SocketManager api, SockAddr lo, byte[] buf, RecvInfo info, int r) throws ErrnoException {
        int s = api.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_UDP);
        try {
            api.setsockopt(s, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
            SockAddr self = api.bind(s, lo);
            buf[0] = (byte) r;
            api.sendto(s, buf, 0, 32, 0, self);
            api.recvfrom(s, buf, 0, buf.length, 0, info);
        } finally {
            api.closesocket(s);
        }
    }

    private static void connection(SocketManager api, int listener, SockAddr server, byte[] buf) throws ErrnoException {
        int c = api.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        int a = -1;
        try {
            api.setsockopt(c, Net.IPPROTO_TCP, Net.TCP_NODELAY, 1);
            api.setsockopt(c, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
            api.connect(c, server);
            a = api.accept(listener).token();
            api.setsockopt(a, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
            api.send(c, buf, 0, 100, 0);
            recvAll(api, a, buf, 100);
            api.send(a, buf, 0, 100, 0);
            recvAll(api, c, buf, 100);
            api.closesocket(c);
            c = -1;
            api.recv(a, buf, 0, buf.length, 0); // end of stream
        } finally {
            if (c >= 0) {
                api.closesocket(c);
            }
            if (a >= 0) {
                api.closesocket(a);
            }
        }
    }

    private static void recvAll(SocketManager api, int s, byte[] buf, int n) throws ErrnoException {
        for (int got = 0; got < n;) {
            int k = api.recv(s, buf, 0, n - got, 0);
            if (k <= 0) {
                throw new ErrnoException(netkit.api.Errno.ECONNRESET, "warm-up: connection ended early");
            }
            got += k;
        }
    }
}
