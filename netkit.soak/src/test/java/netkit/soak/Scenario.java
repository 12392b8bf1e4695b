package netkit.soak;

import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.IpCounter;
import netkit.api.stats.StackStatistics;
import netkit.api.stats.TcpCounter;
import netkit.icmp.IcmpProtocol;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.testing.TestNet;
import netkit.tcp.TcpProtocol;
import netkit.tcp.TcpSettings;
import netkit.udp.UdpProtocol;

/**
 * One seed's scenario: 2-4 stacks on a wire segment, each link impaired its own way, TCP transfers
 * and UDP exchanges started at random times, link swaps and protocol restarts at random times, all
 * on one simulated clock. {@link #run} plays it, closes everything, lets the loop idle past
 * TIME_WAIT and checks that nothing leaked. Everything drawn comes from the seed.
 */
final class Scenario {
    static final int WOULD_BLOCK = Integer.MIN_VALUE;
    /**
     * An activity that moves no byte for this long is given up (a finding unless something explains
     * it): longer than a connect takes to time out (63 s) and than a poisoned ARP entry lasts (30 s
     * reachable, 3 s of probes).
     */
    static final long QUIET_NANOS = 150_000_000_000L;
    /** Activities start, and links and protocols change, within this much simulated time. */
    private static final long HORIZON_NANOS = 3_000_000_000L;
    private static final int MAX_FINDINGS = 20;

    /** A socket call. */
    @FunctionalInterface
    interface Op {
        int run() throws ErrnoException;
    }

    final long seed;
    final Tally tally = new Tally();
    private final Random r;
    private final TestNet net;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Activity> activities = new ArrayList<>();
    private final List<String> plan = new ArrayList<>();
    private final int baselineTimers;
    private final java.util.Set<Long> threadsBefore = new java.util.HashSet<>();
    /** The stacks' MAC addresses (kept across link swaps). */
    private final java.util.Set<Long> stationMacs = new java.util.HashSet<>();
    /** Whether a frame went to a unicast MAC no stack has: a neighbour cache held a corrupted one. */
    private volatile boolean strayUnicast;

    Scenario(long seed) {
        this.seed = seed;
        for (long t : ManagementFactory.getThreadMXBean().getAllThreadIds()) {
            threadsBefore.add(t);
        }
        this.r = new Random(seed);
        int n = 2 + r.nextInt(3);
        int mtu = r.nextInt(5) == 0 ? 576 + r.nextInt(925) : 1500;
        net = new TestNet(n, StackSettings.defaults(), mtu);
        plan.add(n + " stacks, MTU " + mtu);
        boolean trace = Boolean.getBoolean("soak.trace"); // every TCP segment and ARP packet, for a replay
        net.hub.segment("lan").filter((port, f) -> {
            byte[] a = f.array();
            int o = f.offset();
            long dst = 0;
            for (int i = 0; i < 6; i++) {
                dst = dst << 8 | (a[o + i] & 0xff);
            }
            if ((a[o] & 1) == 0 && !stationMacs.contains(dst)) {
                strayUnicast = true;
            }
            if (trace) {
                if (f.length() > 54 && a[o + 12] == 0x08 && a[o + 13] == 0 && a[o + 23] == 6) {
                    int ihl = (a[o + 14] & 0xf) * 4;
                    int t = o + 14 + ihl;
                    System.out.printf("  trace %d ms %s .%d:%d > .%d:%d flags %02x len %d%n",
                            net.loop.nanoTime() / 1_000_000, port, a[o + 29] & 0xff,
                            ((a[t] & 0xff) << 8) | (a[t + 1] & 0xff), a[o + 33] & 0xff,
                            ((a[t + 2] & 0xff) << 8) | (a[t + 3] & 0xff), a[t + 13] & 0xff, f.length());
                } else if (f.length() >= 42 && a[o + 12] == 0x08 && a[o + 13] == 0x06) {
                    System.out.printf("  trace %d ms %s arp op %d sender %02x:%02x:%02x:%02x:%02x:%02x .%d target .%d%n",
                            net.loop.nanoTime() / 1_000_000, port, a[o + 21], a[o + 22], a[o + 23], a[o + 24],
                            a[o + 25], a[o + 26], a[o + 27], a[o + 31] & 0xff, a[o + 41] & 0xff);
                }
            }
            return true;
        });
        for (int i = 0; i < n; i++) {
            Stack s = net.stack(i);
            TcpSettings ts = TcpSettings.builder().congestionControl(r.nextBoolean() ? "cubic" : "reno")
                    .synRetries(5).build(); // connects time out after 63 s, within QUIET_NANOS (seeds replay as before)
            Node node = new Node(i, s, ts);
            node.drivers.put("wire", net.wire);
            AliasDriver alias = new AliasDriver("wire-b", net.wire);
            node.drivers.put("wire-b", alias);
            s.addDriver(alias);
            node.tcp = new TcpProtocol(ts);
            node.udp = new UdpProtocol();
            s.addProtocol(node.tcp);
            s.addProtocol(node.udp);
            s.addProtocol(new IcmpProtocol());
            node.linkParameters = impairment();
            s.configure(s.iface("eth0").config().withParameters(node.linkParameters));
            plan.add(node + " " + ts.congestionControl() + " " + node.linkParameters);
            nodes.add(node);
            stationMacs.add(s.iface("eth0").status().mac());
        }
        // Let the start-up settle (gratuitous ARP and its repeats): what is left are the timers an idle
        // network keeps, and everything the scenario does must return to that.
        net.loop.advance(Duration.ofSeconds(10));
        baselineTimers = net.loop.pendingTimers();

        int transfers = 1 + r.nextInt(6);
        int exchanges = r.nextInt(4);
        int id = 0;
        for (int i = 0; i < transfers; i++) {
            Node[] pair = pair();
            schedule(new TcpTransfer(this, id++, pair[0], pair[1], r));
        }
        for (int i = 0; i < exchanges; i++) {
            Node[] pair = pair();
            schedule(new UdpExchange(this, id++, pair[0], pair[1], r));
        }
        int swaps = r.nextInt(4);
        for (int i = 0; i < swaps; i++) {
            scheduleLinkSwap(nodes.get(r.nextInt(n)), at());
        }
        int restarts = r.nextInt(5) < 2 ? 0 : 1 + r.nextInt(2);
        for (int i = 0; i < restarts; i++) {
            scheduleRestart(nodes.get(r.nextInt(n)), r.nextBoolean(), at(), r.nextInt(300_000_000));
        }
    }

    private Map<String, String> impairment() {
        Map<String, String> p = new HashMap<>();
        p.put("segment", "lan");
        if (r.nextInt(5) == 0) {
            return p; // a clean link
        }
        p.put("loss", fraction(0.05));
        p.put("duplicate", fraction(0.02));
        p.put("reorder", fraction(0.05));
        p.put("corrupt", fraction(0.01));
        int delay = 20 + r.nextInt(2000);
        p.put("delay", "" + delay);
        p.put("jitter", "" + r.nextInt(delay / 2 + 1));
        p.put("direction", r.nextBoolean() ? "both" : "out");
        p.put("seed", "" + r.nextInt(1 << 30));
        return p;
    }

    private String fraction(double max) {
        return String.format(java.util.Locale.ROOT, "%.4f", r.nextDouble() * max);
    }

    private Node[] pair() {
        int a = r.nextInt(nodes.size());
        int b = (a + 1 + r.nextInt(nodes.size() - 1)) % nodes.size();
        return new Node[] {nodes.get(a), nodes.get(b)};
    }

    private long at() {
        return (long) (r.nextDouble() * HORIZON_NANOS);
    }

    /** A transfer size: mostly small and medium, now and then a megabyte. */
    int size(Random rr) {
        int k = rr.nextInt(100);
        return k < 10 ? 0 : k < 40 ? rr.nextInt(2_000) : k < 80 ? rr.nextInt(60_000) : k < 97 ? rr.nextInt(300_000)
                : rr.nextInt(1_500_000);
    }

    static byte[] bytes(Random rr, int n) {
        byte[] b = new byte[n];
        rr.nextBytes(b);
        return b;
    }

    private void schedule(Activity a) {
        long t = at();
        plan.add("at " + t / 1_000_000 + " ms " + a.describe());
        activities.add(a);
        net.loop.schedule(t, a::start); // relative to now: the scenario starts after the settling
    }

    /** Re-creates the link (new seed), bounces the driver, or moves the interface to the other driver. */
    private void scheduleLinkSwap(Node node, long t) {
        int kind = r.nextInt(3);
        long down = 1_000_000L + r.nextInt(200_000_000);
        int newSeed = r.nextInt(1 << 30);
        plan.add("at " + t / 1_000_000 + " ms " + node + " " + (kind == 0 ? "re-creates its link"
                : kind == 1 ? "loses its driver for " + down / 1_000_000 + " ms" : "changes driver"));
        net.loop.schedule(t, () -> {
            tally.linkSwaps++;
            Stack s = node.stack;
            InterfaceConfig cfg = s.iface("eth0").config();
            switch (kind) {
                case 0 -> {
                    Map<String, String> p = new HashMap<>(node.linkParameters);
                    p.put("seed", "" + newSeed);
                    node.linkParameters = p;
                    s.configure(cfg.withParameters(p));
                }
                case 1 -> {
                    var d = node.drivers.get(node.driver);
                    s.removeDriver(d);
                    net.loop.schedule(down, () -> s.addDriver(d));
                }
                default -> {
                    node.driver = node.driver.equals("wire") ? "wire-b" : "wire";
                    s.configure(cfg.withDriver(node.driver, node.linkParameters));
                }
            }
        });
    }

    /** Removes TCP or UDP from a node (as stopping its bundle does) and adds a new instance later. */
    private void scheduleRestart(Node node, boolean tcp, long t, long downNanos) {
        plan.add("at " + t / 1_000_000 + " ms " + node + " restarts " + (tcp ? "TCP" : "UDP") + " (down "
                + downNanos / 1_000_000 + " ms)");
        net.loop.schedule(t, () -> {
            if (!node.up(tcp)) {
                return; // already being restarted
            }
            tally.protocolRestarts++;
            for (Activity a : activities) {
                if (a.started && !a.finished && a.involves(node, tcp)) {
                    a.disturbed = true;
                }
            }
            if (tcp) {
                node.stack.removeProtocol(node.tcp);
                node.tcp = null;
            } else {
                node.stack.removeProtocol(node.udp);
                node.udp = null;
            }
            net.loop.schedule(downNanos, () -> {
                if (tcp) {
                    node.tcp = new TcpProtocol(node.tcpSettings);
                    node.stack.addProtocol(node.tcp);
                } else {
                    node.udp = new UdpProtocol();
                    node.stack.addProtocol(node.udp);
                }
            });
        });
    }

    long now() {
        return net.loop.nanoTime();
    }

    /** Plays the scenario and checks it; the tally holds what happened and the findings. */
    Tally run() {
        tally.seeds = 1;
        long[] lastStep = {-1};
        int[] events = {0};
        long[] tick = {0};
        boolean done = net.loop.runUntil(() -> {
            long now = now();
            if (now != lastStep[0] || ++events[0] >= 8) {
                lastStep[0] = now;
                events[0] = 0;
                boolean all = true;
                for (Activity a : activities) {
                    if (a.started && !a.finished) {
                        a.step();
                    }
                    all &= a.finished;
                }
                if (!all && now >= tick[0]) {
                    // a heartbeat so that stalls are noticed when nothing else is scheduled
                    tick[0] = now + 1_000_000_000L;
                    net.loop.schedule(1_000_000_000L, () -> { });
                }
                return all;
            }
            return false;
        }, Duration.ofHours(1));
        if (!done) {
            finding("activities still running after an hour of simulated time");
            for (Activity a : activities) {
                if (!a.finished) {
                    finding("unfinished: " + a.describe());
                }
            }
        }
        closeEverything();
        // Idle past TIME_WAIT (2 MSL), the FIN_WAIT_2 timeout and any retransmission of an orphan.
        net.loop.runUntil(this::quiet, Duration.ofMinutes(30));
        net.loop.advance(Duration.ofSeconds(1));
        checkClean();
        tally.simulatedMillis = now() / 1_000_000;
        if (!tally.findings.isEmpty()) {
            tally.failedSeeds.add(seed);
        }
        return tally;
    }

    private void closeEverything() {
        for (Node n : nodes) {
            // Orphans (closed by the application, finishing in the background) have negative tokens.
            List<SocketStatus> left = n.stack.admin().sockets().stream().filter(st -> st.token() >= 0).toList();
            if (!left.isEmpty()) {
                finding(n + " still has sockets after every activity closed its own: " + left);
                for (SocketStatus st : left) {
                    try {
                        n.sockets.closesocket(st.token());
                    } catch (ErrnoException e) {
                        finding(n + " cannot close token " + st.token() + ": " + e.getMessage());
                    }
                }
            }
            // Protocols restarted late come back before the end.
        }
    }

    private boolean quiet() {
        if (net.loop.pendingTimers() > baselineTimers) {
            return false;
        }
        for (Node n : nodes) {
            if (n.stack.socketLayer().table().open() > 0 || n.stack.context().pool().outstanding() > 0) {
                return false;
            }
        }
        return true;
    }

    private void checkClean() {
        for (Node n : nodes) {
            Stack s = n.stack;
            if (Boolean.getBoolean("soak.verbose")) {
                StackStatistics st = s.admin().statistics();
                System.out.println("  " + n + " arp " + st.arp() + "\n  " + n + " ip " + st.ip() + "\n  " + n + " udp "
                        + st.udp() + "\n  " + n + " tcp " + st.tcp() + "\n  " + n + " neighbours " + s.admin().arp()
                        + "\n  " + n + " interfaces " + s.admin().interfaces());
            }
            int open = s.socketLayer().table().open();
            if (open > 0) {
                finding(n + " leaked " + open + " socket token(s): " + s.admin().sockets());
            }
            if (!s.admin().sockets().isEmpty()) {
                finding(n + " still lists connections after the idle: " + s.admin().sockets());
            }
            int buffers = s.context().pool().outstanding();
            if (buffers > 0) {
                finding(n + " leaked " + buffers + " pool buffer(s)");
            }
            if (s.failure() != null) {
                finding(n + " failed: " + s.failure());
            }
            StackStatistics st = s.admin().statistics();
            if (st.ip().get(IpCounter.RX_FAULTS) > 0) {
                finding(n + " contained " + st.ip().get(IpCounter.RX_FAULTS) + " receive fault(s) (RxFaults)");
            }
            if (n.tcp != null && st.tcp() != null) {
                if (st.tcp().get(TcpCounter.CURR_ESTAB) != 0) {
                    finding(n + " CurrEstab " + st.tcp().get(TcpCounter.CURR_ESTAB) + " after everything closed");
                }
                if (st.tcp().get(TcpCounter.MEMORY_BYTES) != 0) {
                    finding(n + " TCP MemoryBytes " + st.tcp().get(TcpCounter.MEMORY_BYTES) + " after everything closed");
                }
            }
        }
        int timers = net.loop.pendingTimers();
        if (timers != baselineTimers) {
            finding(timers + " timers pending after everything closed, " + baselineTimers + " before it started");
        }
        // Live threads the scenario left (JVM service threads, in the system group, do not count).
        for (long id : ManagementFactory.getThreadMXBean().getAllThreadIds()) {
            if (!threadsBefore.contains(id)) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    ThreadGroup g = t.getThreadGroup();
                    if (t.getId() == id && g != null && !g.getName().equals("system")) {
                        finding("thread " + t.getName() + " started and still running");
                    }
                }
            }
        }
    }

    /**
     * Whether a neighbour cache was poisoned somewhere. Corruption reaches ARP, which has no checksum
     * (a real link's FCS would drop such frames): a packet with a flipped sender MAC poisons a cache
     * for the 30 s an entry stays reachable, and its probes then fail; frames meanwhile go to a MAC no
     * stack has (seen on the segment), and ARP may give up. A connection may time out meanwhile, as
     * it would on Linux (seed 205: a corrupted reply left a wrong MAC from 12 s to 43 s).
     */
    /**
     * Where {@code got[0..n)} first and last differs from {@code sent} at {@code offset}, how many
     * bytes differ, and whether the received bytes stand elsewhere in what was sent (a misplaced
     * block rather than flipped bits).
     */
    static String firstDifference(byte[] got, int n, byte[] sent, int offset) {
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = 0; i < n && offset + i < sent.length; i++) {
            if (got[i] != sent[offset + i]) {
                first = first < 0 ? i : first;
                last = i;
                count++;
            }
        }
        if (first < 0) {
            return "";
        }
        int window = Math.min(16, n - first);
        int foundAt = -1;
        outer:
        for (int j = 0; j + window <= sent.length; j++) {
            for (int k = 0; k < window; k++) {
                if (sent[j + k] != got[first + k]) {
                    continue outer;
                }
            }
            foundAt = j;
            break;
        }
        return String.format(": %d bytes differ, first at stream offset %d (got %02x, sent %02x), last at %d;"
                + " the 16 bytes received there were sent at offset %d", count, offset + first, got[first],
                sent[offset + first], offset + last, foundAt);
    }

    /**
     * Whether {@code got[0..n)} differs from {@code sent} at {@code offset} only by errors the
     * Internet checksum cannot see (RFC 1071 §2): exactly two bytes, an even distance apart (the
     * same byte of a 16-bit word), each one flipped bit, the same bit, cleared in one and set in the
     * other, so the ones'-complement sum is unchanged. The impairment corrupts a frame on the
     * sender's link and again on the receiver's, so a segment can carry such a pair.
     */
    static boolean checksumBlind(byte[] got, int n, byte[] sent, int offset) {
        int[] at = new int[3];
        int count = 0;
        for (int i = 0; i < n && count < 3; i++) {
            if (got[i] != sent[offset + i]) {
                at[count++] = i;
            }
        }
        if (count != 2 || (at[1] - at[0]) % 2 != 0) {
            return false;
        }
        int x0 = (got[at[0]] ^ sent[offset + at[0]]) & 0xff;
        int x1 = (got[at[1]] ^ sent[offset + at[1]]) & 0xff;
        if (x0 != x1 || Integer.bitCount(x0) != 1) {
            return false;
        }
        boolean set0 = (got[at[0]] & x0) != 0;
        boolean set1 = (got[at[1]] & x1) != 0;
        return set0 != set1;
    }

    boolean arpPoisonedOrGaveUp() {
        return strayUnicast || arpGaveUp();
    }

    /**
     * Whether ARP gave up on a neighbour somewhere (lost requests, a link that was down, a poisoned
     * entry whose probes failed): the stack then reports host unreachable to the sockets whose
     * packets waited (EHOSTUNREACH on a connect in SYN_SENT, once on a connected datagram socket).
     */
    boolean arpGaveUp() {
        for (Node n : nodes) {
            if (n.stack.admin().statistics().arp().get(netkit.api.stats.ArpCounter.UNRESOLVED) > 0) {
                return true;
            }
        }
        return false;
    }

    String netstat() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n).append(' ');
            for (SocketStatus st : n.stack.admin().sockets()) {
                sb.append('[').append(st.protocol()).append(' ').append(st.local()).append('>').append(st.remote())
                        .append(' ').append(st.state()).append(" rq ").append(st.recvQ()).append(" sq ")
                        .append(st.sendQ()).append(']');
            }
        }
        return sb.toString();
    }

    /** Makes a call: its value, {@link #WOULD_BLOCK}, or a recorded {@link Failure}. */
    int call(Call call, boolean stream, String who, Op op) throws Failure {
        try {
            return op.run();
        } catch (ErrnoException e) {
            Errno n = e.errno();
            if (n == Errno.EWOULDBLOCK && (call == Call.SEND || call == Call.RECV || call == Call.ACCEPT
                    || call == Call.RECVFROM) || n == Errno.EINPROGRESS && call == Call.CONNECT) {
                return WOULD_BLOCK;
            }
            throw failed(call, n, stream, who + " (" + e.getMessage() + ")");
        } catch (RuntimeException | StackOverflowError | AssertionError e) {
            finding(who + ": " + call + " threw " + e + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            throw new Failure(call, null);
        }
    }

    /** Records a failed call (a finding when its errno is not documented for it) and returns it. */
    Failure failed(Call call, Errno errno, boolean stream, String who) {
        tally.failure(call, errno == null ? "?" : errno.name());
        if (Boolean.getBoolean("soak.verbose")) {
            System.out.println("  at " + now() / 1_000_000 + " ms " + who + ": " + call + " failed with " + errno);
        }
        if (errno == null || !call.documents(errno, stream)) {
            finding(who + ": " + call + " failed with " + errno + ", not documented for it");
        }
        return new Failure(call, errno);
    }

    void finding(String what) {
        if (tally.findings.size() < MAX_FINDINGS) {
            tally.findings.add("seed " + seed + ": " + what);
        }
    }

    /** What the seed drew, one line per decision. */
    List<String> plan() {
        return plan;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] b) {
        return sha256().digest(b);
    }
}
