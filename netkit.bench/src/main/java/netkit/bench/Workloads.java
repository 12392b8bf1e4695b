package netkit.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workloads behind the figures, each written once over {@link Endpoints} and run against
 * netkit or the kernel. Each runs for a fixed wall time and returns what it measured.
 */
public final class Workloads {
    private Workloads() {
    }

    /** What a bulk transfer measured. */
    public record Bulk(long bytes, long nanos, long allocated, long cpuNanos) {
        double gbitPerSecond() {
            return bytes * 8.0 / nanos;
        }

        double allocatedPerMb() {
            return allocated / (bytes / 1e6);
        }

        double cpuSecondsPerGb() {
            return cpuNanos / 1e9 / (bytes / 1e9);
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * One connection, the client sends for {@code millis} after a warm-up of a quarter of that (at
     * most 500 ms), the server counts until the FIN; what is measured starts after the warm-up.
     */
    public static Bulk bulk(Endpoints.Host server, Endpoints.Host client, int port, long millis) throws Exception {
        try (Endpoints.Server ss = server.listen(port)) {
            AtomicLong received = new AtomicLong();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            CountDownLatch measured = new CountDownLatch(1);
            daemon("bulk-server", () -> {
                byte[] buf = new byte[65536];
                try (Endpoints.Conn c = ss.accept()) {
                    for (int n; (n = c.recv(buf, 0, buf.length)) > 0;) {
                        received.addAndGet(n);
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
                done.countDown();
                try {
                    measured.await(); // alive until its allocation is read
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            byte[] chunk = new byte[65536];
            Arrays.fill(chunk, (byte) 0x5a);
            try (Endpoints.Conn c = client.connect(port)) {
                // Warm the connection before measuring (a quarter of the time, at most 500 ms, on
                // both sides alike): slow start, buffer auto-tuning and a fresh stack's pools filling
                // are once per connection, not per byte of a bulk transfer.
                long warm = System.nanoTime() + Math.min(millis / 4, 500) * 1_000_000L;
                do {
                    c.send(chunk, 0, chunk.length);
                } while (System.nanoTime() < warm);
                long a0 = Meters.allocatedBytes();
                long cpu0 = Meters.processCpuNanos();
                long r0 = received.get();
                long t0 = System.nanoTime();
                long end = t0 + millis * 1_000_000L;
                long sent = 0;
                while (System.nanoTime() < end) {
                    c.send(chunk, 0, chunk.length);
                    sent += chunk.length;
                }
                c.shutdownOutput();
                done.await();
                long t1 = System.nanoTime();
                long cpu1 = Meters.processCpuNanos();
                long a1 = Meters.allocatedBytes();
                measured.countDown();
                if (failed.get() != null) {
                    throw new IOException("bulk server failed", failed.get());
                }
                long bytes = received.get() - r0;
                return new Bulk(bytes, t1 - t0, a1 - a0, cpu1 - cpu0);
            }
        }
    }

    /** 1-byte request/response over one connection for {@code millis}: the median round trip in µs. */
    public static double requestResponseMedianMicros(Endpoints.Host server, Endpoints.Host client, int port,
            long millis) throws Exception {
        try (Endpoints.Server ss = server.listen(port)) {
            daemon("rr-server", () -> {
                byte[] b = new byte[1];
                try (Endpoints.Conn c = ss.accept()) {
                    while (c.recv(b, 0, 1) > 0) {
                        c.send(b, 0, 1);
                    }
                } catch (IOException e) {
                    // the client closed
                }
            });
            long[] samples = new long[1 << 20];
            int n = 0;
            byte[] b = {1};
            try (Endpoints.Conn c = client.connect(port)) {
                for (int i = 0; i < 200; i++) { // warm-up
                    c.send(b, 0, 1);
                    c.recv(b, 0, 1);
                }
                long end = System.nanoTime() + millis * 1_000_000L;
                while (n < samples.length) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    c.send(b, 0, 1);
                    if (c.recv(b, 0, 1) != 1) {
                        throw new IOException("echo ended");
                    }
                    samples[n++] = System.nanoTime() - t0;
                }
            }
            long[] s = Arrays.copyOf(samples, n);
            Arrays.sort(s);
            return s[n / 2] / 1000.0;
        }
    }

    /** Datagrams of {@code size} bytes sent as fast as one thread can for {@code millis}: received per second. */
    public static double udpPerSecond(Endpoints.Host server, Endpoints.Host client, int port, int size, long millis)
            throws Exception {
        try (Endpoints.Datagrams rx = server.datagrams(port); Endpoints.Datagrams tx = client.datagrams(0)) {
            AtomicLong got = new AtomicLong();
            CountDownLatch stop = new CountDownLatch(1);
            Thread reader = daemon("udp-rx", () -> {
                byte[] b = new byte[2048];
                while (stop.getCount() > 0) {
                    try {
                        rx.receive(b);
                        got.incrementAndGet();
                    } catch (IOException e) {
                        // timeout or closed
                    }
                }
            });
            byte[] d = new byte[size];
            for (int i = 0; i < 1000; i++) {
                tx.sendTo(d, size, port);
            }
            Thread.sleep(20);
            long g0 = got.get();
            long t0 = System.nanoTime();
            long end = t0 + millis * 1_000_000L;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 32; i++) {
                    tx.sendTo(d, size, port);
                }
            }
            Thread.sleep(20); // what was in flight
            long received = got.get() - g0;
            long t1 = System.nanoTime();
            stop.countDown();
            rx.close();
            reader.join(3000);
            return received / ((t1 - t0) / 1e9);
        }
    }

    /** connect, accept, server closes, client reads the FIN and closes; repeated for {@code millis}: per second. */
    public static double connectAcceptClosePerSecond(Endpoints.Host server, Endpoints.Host client, int port,
            long millis) throws Exception {
        try (Endpoints.Server ss = server.listen(port)) {
            CountDownLatch stop = new CountDownLatch(1);
            Thread acceptor = daemon("accept", () -> {
                while (stop.getCount() > 0) {
                    try {
                        ss.accept().close();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            byte[] b = new byte[1];
            long count = 0;
            long t0 = System.nanoTime();
            long end = t0 + millis * 1_000_000L;
            while (System.nanoTime() < end) {
                try (Endpoints.Conn c = client.connect(port)) {
                    c.recv(b, 0, 1);
                }
                count++;
            }
            long t1 = System.nanoTime();
            stop.countDown();
            ss.close();
            acceptor.join(1000);
            return count / ((t1 - t0) / 1e9);
        }
    }

    /** {@code n} idle established connections: heap after GC per connection end, in bytes. */
    public static double heapPerIdleConnection(Endpoints.Host server, Endpoints.Host client, int port, int n)
            throws Exception {
        List<Endpoints.Conn> held = new ArrayList<>(2 * n + 2);
        // Ephemeral ports are chosen per destination (RFC 6056; netkit's range is 16,384 ports, the
        // kernel's 28,232): past PER_LISTENER connections the client goes on to the next server port.
        List<Endpoints.Server> listeners = new ArrayList<>();
        try {
            for (int i = 0; i <= n / PER_LISTENER; i++) {
                listeners.add(server.listen(port + i));
            }
            held.add(client.connect(port));
            held.add(listeners.get(0).accept());
            long before = Meters.heapAfterGc();
            for (int i = 0; i < n; i++) {
                int l = i / PER_LISTENER;
                held.add(client.connect(port + l));
                held.add(listeners.get(l).accept());
            }
            long after = Meters.heapAfterGc();
            lastIdleHeapBytes = after - before;
            return (after - before) / (2.0 * n);
        } finally {
            for (Endpoints.Conn c : held) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing after the figure
                }
            }
            for (Endpoints.Server l : listeners) {
                try {
                    l.close();
                } catch (IOException e) {
                    // closing after the figure
                }
            }
        }
    }

    /** Connections per server port in {@link #heapPerIdleConnection}: below netkit's 16,384 ephemeral ports. */
    static final int PER_LISTENER = 15_000;
    /** The heap the last {@link #heapPerIdleConnection} held for its connections (both ends), bytes. */
    static volatile long lastIdleHeapBytes;
}
