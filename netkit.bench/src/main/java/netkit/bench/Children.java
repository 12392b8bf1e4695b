package netkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.wire.IcmpHeader;

/**
 * Figures that need a fresh JVM: the first ping after boot (cold code) and connection churn in a
 * small heap. {@link #main} is the child; {@link #run} starts one and reads its one result line.
 */
public final class Children {
    private Children() {
    }

    /** Runs {@code Children main args} in a new JVM with {@code heapArgs}; returns its last output line. */
    static String run(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Children.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                last = line;
            }
        }
        p.waitFor();
        return last == null ? "" : last;
    }

    /**
     * {@code ping netkit|kernel [cold|now|ready]} or {@code churn netkit|kernel SECONDS}: prints one
     * result line.
     */
    public static void main(String[] args) throws Exception {
        boolean netkit = args[1].equals("netkit");
        if (args[0].equals("ping")) {
            System.out.println(netkit ? firstNetkitPing(args.length > 2 ? args[2] : "ready") : firstKernelPingMillis());
        } else {
            churn(netkit, Integer.parseInt(args[2]));
        }
        System.exit(0);
    }

    /**
     * Boots a stack (lo0, TCP, UDP, ICMP) and pings 127.0.0.1 once; prints the milliseconds from
     * sending to the reply, the milliseconds from the start of the stack's construction to the end
     * of its warm-up (-1 when not waited for) and those of the construction. {@code cold}: warm-up off; {@code now}: at once, the warm-up
     * running beside; {@code ready}: after {@link netkit.stack.Stack#awaitWarmUp}, the stack's
     * readiness.
     */
    private static String firstNetkitPing(String mode) throws Exception {
        long boot = System.nanoTime();
        try (NetkitNet net = new NetkitNet(NetkitNet.Link.LO, 16, !mode.equals("cold"))) {
            double builtMillis = (System.nanoTime() - boot) / 1e6;
            double warmUpMillis = -1;
            if (mode.equals("ready")) {
                if (!net.server().awaitWarmUp(60_000)) {
                    throw new IllegalStateException("warm-up did not end in 60 s");
                }
                warmUpMillis = (System.nanoTime() - boot) / 1e6;
            }
            return firstPingMillis(net) + " " + warmUpMillis + " " + builtMillis;
        }
    }

    private static double firstPingMillis(NetkitNet net) throws Exception {
        SocketManager api = net.server().sockets("ping");
        int s = api.socket(Net.AF_INET, Net.SOCK_DGRAM, Net.IPPROTO_ICMP);
        byte[] req = new byte[64];
        req[0] = (byte) IcmpHeader.ECHO_REQUEST;
        req[7] = 1;
        byte[] reply = new byte[128];
        long t0 = System.nanoTime();
        api.sendto(s, req, 0, req.length, 0, SockAddr.of("127.0.0.1", 0));
        api.recvfrom(s, reply, 0, reply.length, 0, new RecvInfo());
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The kernel's first echo to 127.0.0.1 from this JVM ({@code InetAddress.isReachable}: ICMP as root). */
    private static double firstKernelPingMillis() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        long t0 = System.nanoTime();
        if (!lo.isReachable(2000)) {
            return Double.NaN;
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * connect, accept, server closes, client closes, for {@code seconds}; every second the heap after
     * GC. Prints {@code connections heapAfterGcMiB@1s heapAfterGcMiB@end maxMiB oom series}, the series
     * being the heap after GC every 10 seconds of churn ({@code second:MiB}, comma-separated, the
     * second being wall-clock time since the start, GCs included, which TIME_WAIT's 2 MSL counts; on
     * netkit {@code second:MiB/records in TIME_WAIT}, then {@code ;overflow:N}, the connections that
     * skipped TIME_WAIT at the {@code maxTimeWait} cap).
     */
    private static void churn(boolean netkit, int seconds) throws Exception {
        NetkitNet net = netkit ? new NetkitNet(NetkitNet.Link.PAIR, 256) : null;
        Endpoints.Host server = netkit ? net.serverHost() : new Endpoints.Kernel();
        Endpoints.Host client = netkit ? net.clientHost() : new Endpoints.Kernel();
        long conns = 0;
        double first = Double.NaN;
        double max = 0;
        double last = 0;
        boolean oom = false;
        StringBuilder series = new StringBuilder();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < seconds; i++) {
                conns += Math.round(Workloads.connectAcceptClosePerSecond(server, client, 7400 + i, 1000));
                last = Meters.heapAfterGc() / 1048576.0;
                if (i == 0) {
                    first = last;
                }
                if (i % 10 == 0 || i == seconds - 1) {
                    series.append(series.length() > 0 ? "," : "").append(String.format(java.util.Locale.ROOT,
                            "%d:%.1f", (System.nanoTime() - start) / 1_000_000_000L, last));
                    if (netkit) { // TIME_WAIT records held by the side that closes first, the server
                        series.append('/').append(tcp(net, "TCPTimeWait"));
                    }
                }
                max = Math.max(max, last);
                if (netkit && net.server().failure() != null) {
                    oom = true;
                    break;
                }
            }
        } catch (OutOfMemoryError | IOException e) {
            oom = true;
        }
        if (netkit && series.length() > 0) {
            series.append(";overflow:").append(tcp(net, "TCPTimeWaitOverflow"));
        }
        System.out.printf(java.util.Locale.ROOT, "%d %.1f %.1f %.1f %b %s%n", conns, first, last, max, oom,
                series.length() == 0 ? "-" : series);
    }

    private static long tcp(NetkitNet net, String counter) {
        return net.server().admin().statistics().tcp().byName().getOrDefault(counter, -1L);
    }
}
