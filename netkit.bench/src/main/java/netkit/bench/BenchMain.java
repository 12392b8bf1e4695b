package netkit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * README's benchmark command: every figure of issue #13 for netkit beside the same figure for the
 * kernel's TCP/UDP over loopback through {@code java.net}, measured in one run, netkit and kernel
 * alternating (which goes first alternates by round), then one table (median of each side, ratio
 * netkit/kernel, spread) and the same as JSON.
 *
 * <p>System properties: {@code bench.rounds} (5), {@code bench.millis} per timed measurement (2000),
 * {@code bench.idle} idle connections (10000), {@code bench.churnSeconds} (20), {@code bench.json}
 * (target/bench.json), {@code bench.smoke=true} for the seconds-long CI pass (1 round, 100 ms, 200
 * connections, 2 s of churn).
 */
public final class BenchMain {
    /** One row of the table. */
    record Figure(String id, String label, String unit, String target) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("tcp_bulk_wire", "TCP bulk, two stacks, 1500-MTU wire, checksums", "Gbit/s", ">= 0.5x"),
            new Figure("tcp_bulk_pair", "TCP bulk, two stacks, pair link (64 KiB, offloads)", "Gbit/s", ">= 1.0x"),
            new Figure("tcp_bulk_lo0", "TCP bulk, one stack, lo0", "Gbit/s", ""),
            new Figure("tcp_rr_median", "1-byte TCP request/response, median (pair)", "us", "<= 1.0x"),
            new Figure("udp_64", "UDP 64 B datagrams received (pair)", "1/s", ">= 2x"),
            new Figure("udp_1400", "UDP 1,400 B datagrams received (pair)", "1/s", ">= 2x"),
            new Figure("tcp_cac", "connect + accept + close (pair)", "1/s", ">= 1.0x"),
            new Figure("heap_idle_conn", "heap per idle established connection end", "B", "<= 2 KiB"),
            new Figure("alloc_mb_wire", "allocated per MB of bulk, 1500-MTU wire", "B/MB", "<= 16 KB"),
            new Figure("alloc_mb_pair", "allocated per MB of bulk, pair link", "B/MB", "<= 16 KB"),
            new Figure("cpu_gb_wire", "CPU seconds per GB, 1500-MTU wire", "s/GB", ""),
            new Figure("churn_heap", "churn: heap after GC at the end, -Xmx256m", "MiB", "flat, no OOM"),
            new Figure("first_ping", "first echo to 127.0.0.1 after boot (warm-up done)", "ms", "< 1 ms"),
            new Figure("first_ping_now", "first echo at once after boot (warm-up running)", "ms", ""),
            new Figure("first_ping_cold", "first echo after boot, warmUp=false", "ms", ""),
            new Figure("stack_built", "stack built: lo0, TCP, UDP, ICMP (warm-up on)", "ms", ""),
            new Figure("stack_built_cold", "stack built, warmUp=false", "ms", ""),
            new Figure("warmup", "stack built and warmed up (readiness)", "ms", ""),
            new Figure("boot_first", "boot to first answer, empty dir (k: java -version)", "ms", ""),
            new Figure("boot", "boot to first answer, data/ kept (k: java -version)", "ms", ""));

    private final Map<String, List<Double>> netkit = new LinkedHashMap<>();
    private final Map<String, List<Double>> kernel = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final int rounds;
    private final long millis;
    private final int idle;
    private final int churnSeconds;
    private int port = 20000;
    /** Runs of the boot figures: {@code bench.bootRuns}, by default the rounds (at least 5 from {@link #main}). */
    int bootRuns;

    BenchMain(int rounds, long millis, int idle, int churnSeconds) {
        this.rounds = rounds;
        this.millis = millis;
        this.idle = idle;
        this.churnSeconds = churnSeconds;
        this.bootRuns = rounds;
        for (Figure f : FIGURES) {
            netkit.put(f.id(), new ArrayList<>());
            kernel.put(f.id(), new ArrayList<>());
        }
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = Boolean.getBoolean("bench.smoke");
        BenchMain b = new BenchMain(Integer.getInteger("bench.rounds", smoke ? 1 : 5),
                Long.getLong("bench.millis", smoke ? 100 : 2000), Integer.getInteger("bench.idle", smoke ? 200 : 10_000),
                Integer.getInteger("bench.churnSeconds", smoke ? 2 : 20));
        b.bootRuns = Integer.getInteger("bench.bootRuns", smoke ? 1 : Math.max(b.rounds, 5));
        b.run();
        System.out.print(b.table());
        Path json = Path.of(System.getProperty("bench.json", "target/bench.json"));
        if (json.getParent() != null) {
            Files.createDirectories(json.getParent());
        }
        Files.writeString(json, b.json(), StandardCharsets.UTF_8);
        System.out.println("JSON: " + json.toAbsolutePath());
    }

    private interface Side {
        void measure(boolean onNetkit) throws Exception;
    }

    /** Both sides, the order alternating by round. */
    /** {@code bench.only}: comma-separated groups to run (bulk, rr, udp, cac, ping, boot, idle, churn); all when unset. */
    private static final String ONLY = System.getProperty("bench.only", "");
    /** {@code bench.side}: {@code netkit}, {@code kernel} or both (unset), e.g. to profile one side. */
    private static final String SIDE = System.getProperty("bench.side", "");

    /** {@code bench.links}: comma-separated bulk links to run (wire, pair, lo); all when unset. */
    private static final String LINKS = System.getProperty("bench.links", "");

    private static boolean linkSelected(NetkitNet.Link link) {
        return LINKS.isEmpty() || java.util.Arrays.asList(LINKS.toLowerCase(Locale.ROOT).split(","))
                .contains(link.name().toLowerCase(Locale.ROOT));
    }

    private static boolean selected(String group) {
        return ONLY.isEmpty() || java.util.Arrays.asList(ONLY.split(",")).contains(group);
    }

    private void both(int round, Side s) {
        boolean netkitFirst = round % 2 == 0;
        for (boolean on : new boolean[] {netkitFirst, !netkitFirst}) {
            if (!SIDE.isEmpty() && SIDE.equals("netkit") != on) {
                continue;
            }
            try {
                s.measure(on);
            } catch (Exception | Error e) {
                // one failed measurement is reported, the rest of the run goes on
                notes.merge("failed_" + (on ? "netkit" : "kernel"), "round " + (round + 1) + ": " + e,
                        (a, b) -> a + "; " + b);
                e.printStackTrace();
            }
        }
    }

    private Map<String, List<Double>> of(boolean onNetkit) {
        return onNetkit ? netkit : kernel;
    }

    private void put(boolean onNetkit, String id, double v) {
        of(onNetkit).get(id).add(v);
    }

    void run() throws Exception {
        for (int r = 0; r < rounds; r++) {
            System.err.println("round " + (r + 1) + " of " + rounds);
            for (NetkitNet.Link link : selected("bulk") ? NetkitNet.Link.values() : new NetkitNet.Link[0]) {
                if (!linkSelected(link)) {
                    continue;
                }
                both(r, on -> {
                    Workloads.Bulk bulk = withHosts(on, link, 64, (s, c) -> Workloads.bulk(s, c, port++, millis));
                    String suffix = link.name().toLowerCase(Locale.ROOT).replace("lo", "lo0");
                    put(on, "tcp_bulk_" + suffix, bulk.gbitPerSecond());
                    if (link != NetkitNet.Link.LO) {
                        put(on, "alloc_mb_" + suffix, bulk.allocatedPerMb());
                    }
                    if (link == NetkitNet.Link.WIRE) {
                        put(on, "cpu_gb_wire", bulk.cpuSecondsPerGb());
                    }
                });
            }
            if (selected("rr")) {
                both(r, on -> put(on, "tcp_rr_median", withHosts(on, NetkitNet.Link.PAIR, 64,
                        (s, c) -> Workloads.requestResponseMedianMicros(s, c, port++, millis))));
            }
            if (selected("udp")) {
                both(r, on -> put(on, "udp_64", withHosts(on, NetkitNet.Link.PAIR, 64,
                        (s, c) -> Workloads.udpPerSecond(s, c, port++, 64, millis))));
            }
            if (selected("udp")) {
                both(r, on -> put(on, "udp_1400", withHosts(on, NetkitNet.Link.PAIR, 64,
                        (s, c) -> Workloads.udpPerSecond(s, c, port++, 1400, millis))));
            }
            if (selected("cac")) {
                both(r, on -> put(on, "tcp_cac", withHosts(on, NetkitNet.Link.PAIR, 64,
                        (s, c) -> Workloads.connectAcceptClosePerSecond(s, c, port++, millis))));
            }
            if (selected("ping")) {
                // each in a fresh JVM: after the stack's warm-up (its readiness), at once, warm-up off
                both(r, on -> {
                    if (!on) {
                        double ms = Double.parseDouble(Children.run(List.of("-Xmx128m"), "ping", "kernel"));
                        put(false, "first_ping", ms);
                        put(false, "first_ping_now", ms);
                        put(false, "first_ping_cold", ms);
                        return;
                    }
                    for (String mode : List.of("ready", "now", "cold")) {
                        String[] f = Children.run(List.of("-Xmx128m"), "ping", "netkit", mode).trim().split(" ");
                        put(true, mode.equals("ready") ? "first_ping" : "first_ping_" + mode, Double.parseDouble(f[0]));
                        if (mode.equals("ready")) {
                            put(true, "warmup", Double.parseDouble(f[1]));
                            put(true, "stack_built", Double.parseDouble(f[2]));
                        } else if (mode.equals("cold")) {
                            put(true, "stack_built_cold", Double.parseDouble(f[2]));
                        }
                    }
                });
            }
        }
        if (selected("boot")) {
            // the executable jar's boot (Boot): its own runs, median of bench.bootRuns (bench.rounds, at least 5)
            Path jar = Boot.jar();
            if (Files.isRegularFile(jar)) {
                int runs = bootRuns;
                System.err.println("boot: " + runs + " runs of " + jar);
                for (int r = 0; r < runs; r++) {
                    both(r, on -> {
                        if (on) {
                            double[] ms = Boot.netkit(jar);
                            put(true, "boot_first", ms[0]);
                            put(true, "boot", ms[1]);
                        } else {
                            double ms = Boot.jvmMillis();
                            put(false, "boot_first", ms);
                            put(false, "boot", ms);
                        }
                    });
                }
            } else {
                notes.put("boot", "not measured: no " + jar.toAbsolutePath() + " (build netkit.runtime first)");
            }
        }
        System.err.println("idle connections: " + idle);
        if (selected("idle")) {
            both(0, on -> {
                // the kernel's side needs two descriptors a connection: stay below this process's limit
                int n = on ? idle : (int) Math.min(idle, (Meters.maxFileDescriptors() - 1000) / 2);
                int first = port;
                port += n / Workloads.PER_LISTENER + 1; // one server port per PER_LISTENER connections
                put(on, "heap_idle_conn", withHosts(on, NetkitNet.Link.PAIR, 2 * n + 64,
                        (s, c) -> Workloads.heapPerIdleConnection(s, c, first, n)));
                notes.put("idle_" + (on ? "netkit" : "kernel"), String.format(Locale.ROOT,
                        "%d connections (%d ends): %.1f MiB of heap after GC in all, max heap %d MiB", n, 2 * n,
                        Workloads.lastIdleHeapBytes / 1048576.0, Runtime.getRuntime().maxMemory() >> 20));
            });
        }
        System.err.println("churn: " + churnSeconds + " s each");
        if (selected("churn")) {
            both(0, on -> {
                String line = Children.run(List.of("-Xmx256m"), "churn", on ? "netkit" : "kernel",
                        String.valueOf(churnSeconds));
                String[] f = line.trim().split(" ");
                if (f.length == 6) {
                    put(on, "churn_heap", Double.parseDouble(f[2]));
                    notes.put("churn_" + (on ? "netkit" : "kernel"), f[0] + " connections in " + churnSeconds
                            + " s, heap after GC " + f[1] + " MiB after 1 s, " + f[2] + " at the end (max " + f[3]
                            + "), OutOfMemoryError: " + f[4] + "; heap after GC every 10 s of churn (wall-clock s:MiB"
                            + (on ? "/TIME_WAIT records" : "") + ") " + f[5]
                            + (on ? "; TIME_WAIT records (about 190 B) grow until 2 MSL (60 s) or maxTimeWait"
                                    + " (262,144) bounds them: the plateau is the heap after that" : ""));
                } else {
                    notes.put("churn_" + (on ? "netkit" : "kernel"), "failed: " + line);
                }
            });
        }
    }

    private interface Body<T> {
        T run(Endpoints.Host server, Endpoints.Host client) throws Exception;
    }

    private static <T> T withHosts(boolean onNetkit, NetkitNet.Link link, int sockets, Body<T> body) throws Exception {
        if (!onNetkit) {
            return body.run(new Endpoints.Kernel(), new Endpoints.Kernel());
        }
        try (NetkitNet net = new NetkitNet(link, sockets)) {
            return body.run(net.serverHost(), net.clientHost());
        }
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Half the range as a share of the median: "±12%" (one sample: "-"). */
    static String spread(List<Double> v) {
        if (v.size() < 2) {
            return "-";
        }
        double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double m = median(v);
        return m == 0 ? "-" : String.format(Locale.ROOT, "±%.0f%%", 50 * (max - min) / Math.abs(m));
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100_000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%-52s %-7s %12s %12s %8s %13s  %s%n", "figure", "unit", "netkit",
                "kernel", "ratio", "spread nk/k", "target"));
        for (Figure f : FIGURES) {
            List<Double> n = netkit.get(f.id());
            List<Double> k = kernel.get(f.id());
            double mn = median(n);
            double mk = median(k);
            String ratio = Double.isNaN(mn) || Double.isNaN(mk) || mk == 0 ? "-"
                    : String.format(Locale.ROOT, "%.2fx", mn / mk);
            sb.append(String.format(Locale.ROOT, "%-52s %-7s %12s %12s %8s %13s  %s%n", f.label(), f.unit(), num(mn),
                    num(mk), ratio, spread(n) + "/" + spread(k), f.target()));
        }
        sb.append(String.format(Locale.ROOT, "%d round(s), %d ms per timed figure, %d idle connections, %s, %d cores, %s%n",
                rounds, millis, idle, Runtime.version(), Runtime.getRuntime().availableProcessors(), Instant.now()));
        notes.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    String json() {
        StringBuilder sb = new StringBuilder("{\n  \"date\": \"").append(Instant.now()).append("\",\n  \"jdk\": \"")
                .append(Runtime.version()).append("\",\n  \"rounds\": ").append(rounds).append(",\n  \"millis\": ")
                .append(millis).append(",\n  \"figures\": [\n");
        for (int i = 0; i < FIGURES.size(); i++) {
            Figure f = FIGURES.get(i);
            sb.append("    {\"id\": \"").append(f.id()).append("\", \"unit\": \"").append(f.unit())
                    .append("\", \"netkit\": ").append(arr(netkit.get(f.id()))).append(", \"kernel\": ")
                    .append(arr(kernel.get(f.id()))).append(", \"netkitMedian\": ").append(js(median(netkit.get(f.id()))))
                    .append(", \"kernelMedian\": ").append(js(median(kernel.get(f.id())))).append('}')
                    .append(i + 1 < FIGURES.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"notes\": {");
        int i = 0;
        for (Map.Entry<String, String> e : notes.entrySet()) {
            sb.append(i++ > 0 ? ", " : "").append('"').append(e.getKey()).append("\": \"")
                    .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append("}\n}\n").toString();
    }

    private static String js(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.valueOf(v);
    }

    private static String arr(List<Double> v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(js(v.get(i)));
        }
        return sb.append(']').toString();
    }

    /** Medians by figure id, netkit side (for tests). */
    Map<String, Double> netkitMedians() {
        Map<String, Double> m = new LinkedHashMap<>();
        netkit.forEach((k, v) -> m.put(k, median(v)));
        return m;
    }

    static String rows() {
        return Arrays.toString(FIGURES.stream().map(Figure::id).toArray());
    }
}
