package netkit.bench.jmh;

import java.util.concurrent.TimeUnit;
import netkit.bench.Endpoints;
import netkit.bench.NetkitNet;
import netkit.bench.Workloads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The timed figures as JMH benchmarks, each over netkit (a link) or the kernel: one invocation is one
 * timed workload of {@code millis}; JMH's score is the workload's own figure (Gbit/s, µs, 1/s),
 * reported through the average time mode's "ops" as the returned value is consumed. For the table
 * beside the kernel use {@link netkit.bench.BenchMain}, which alternates the two sides in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class TcpBenchmarks {
    /** {@code kernel}, or the netkit link: {@code wire}, {@code pair}, {@code lo}. */
    @Param({"kernel", "wire", "pair", "lo"})
    public String side;

    /** Wall time of one workload. */
    @Param("1000")
    public long millis;

    private NetkitNet net;
    private Endpoints.Host server;
    private Endpoints.Host client;
    private int port = 30000;

    @Setup(Level.Trial)
    public void setUp() {
        if (side.equals("kernel")) {
            server = new Endpoints.Kernel();
            client = server;
        } else {
            net = new NetkitNet(NetkitNet.Link.valueOf(side.toUpperCase(java.util.Locale.ROOT)), 64);
            server = net.serverHost();
            client = net.clientHost();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    /** Gbit/s of one bulk transfer. */
    @Benchmark
    public double bulkGbitPerSecond() throws Exception {
        return Workloads.bulk(server, client, port++, millis).bytes() * 8.0 / (millis * 1e6);
    }

    /** Median µs of 1-byte request/response. */
    @Benchmark
    public double requestResponseMicros() throws Exception {
        return Workloads.requestResponseMedianMicros(server, client, port++, millis);
    }

    /** connect + accept + close per second. */
    @Benchmark
    public double connectAcceptClose() throws Exception {
        return Workloads.connectAcceptClosePerSecond(server, client, port++, millis);
    }
}
