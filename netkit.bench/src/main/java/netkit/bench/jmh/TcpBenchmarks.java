package netkit.bench.jmh;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import netkit.bench.Endpoints;
import netkit.bench.NetkitNet;
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
 * The timed TCP figures as JMH operations over netkit (a link) or the kernel's loopback: a 64 KiB
 * write of a bulk transfer (a server thread drains it), a 1-byte request/response round trip, and a
 * connect + accept + close. Run with {@code java -cp ... org.openjdk.jmh.Main TcpBenchmarks}
 * ({@code -p side=pair}, {@code -prof gc} for allocation per operation). For the table beside the
 * kernel in one run use {@link netkit.bench.BenchMain}.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TcpBenchmarks {
    /** {@code kernel}, or the netkit link: {@code wire}, {@code pair}, {@code lo}. */
    @Param({"kernel", "wire", "pair", "lo"})
    public String side;

    private static final int PORT = 31000;
    private NetkitNet net;
    private Endpoints.Host client;
    private Endpoints.Server listener;
    private Thread server;
    private Endpoints.Conn bulk;
    private Endpoints.Conn echo;
    private final byte[] chunk = new byte[65536];
    private final byte[] one = {1};

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Endpoints.Host host;
        if (side.equals("kernel")) {
            host = new Endpoints.Kernel();
            client = host;
        } else {
            net = new NetkitNet(NetkitNet.Link.valueOf(side.toUpperCase(Locale.ROOT)), 256);
            host = net.serverHost();
            client = net.clientHost();
        }
        listener = host.listen(PORT);
        // the first two connections are the bulk sink and the echo; every later one is closed at once
        server = new Thread(() -> {
            try {
                Endpoints.Conn sink = listener.accept();
                daemon(() -> drain(sink, false));
                Endpoints.Conn e = listener.accept();
                daemon(() -> drain(e, true));
                while (true) {
                    listener.accept().close();
                }
            } catch (IOException ended) {
                // the listener closed at tear-down
            }
        }, "jmh-server");
        server.setDaemon(true);
        server.start();
        bulk = client.connect(PORT);
        echo = client.connect(PORT);
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
    }

    private static void drain(Endpoints.Conn c, boolean answer) {
        byte[] b = new byte[65536];
        try {
            for (int n; (n = c.recv(b, 0, b.length)) > 0;) {
                if (answer) {
                    c.send(b, 0, n);
                }
            }
        } catch (IOException ended) {
            // closed at tear-down
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bulk.close();
        echo.close();
        listener.close();
        if (net != null) {
            net.close();
        }
    }

    /** One 64 KiB write of a bulk transfer: ops/s × 64 KiB is the throughput. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void bulkWrite64KiB() throws IOException {
        bulk.send(chunk, 0, chunk.length);
    }

    /** One 1-byte request and its 1-byte answer. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int requestResponse() throws IOException {
        echo.send(one, 0, 1);
        return echo.recv(one, 0, 1);
    }

    /** connect, the server accepts and closes, the client reads the FIN and closes. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int connectAcceptClose() throws IOException {
        try (Endpoints.Conn c = client.connect(PORT)) {
            return c.recv(one, 0, 1);
        }
    }
}
