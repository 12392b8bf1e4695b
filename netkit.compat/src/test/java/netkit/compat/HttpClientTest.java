package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import netkit.api.stats.TcpCounter;
import netkit.compat.testing.HttpClientSockets;
import netkit.compat.testing.MiniHttpServer;
import netkit.compat.testing.TwoHosts;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.HttpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Apache HttpClient 5 (classic) on netkit through the connection operator's socket factory ({@link HttpClientSockets}) over
 * {@link NetkitSocketFactory}, against {@link MiniHttpServer} on the other host's
 * {@link NetkitServerSocketFactory}.
 */
class HttpClientTest {
    private static final int MB = 1 << 20;

    static byte[] body(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** GETs {@code url} {@code times} times through {@code client}; returns the SHA-256 of the last body. */
    static byte[] fetch(CloseableHttpClient client, String url, int times) throws Exception {
        byte[] digest = null;
        for (int i = 0; i < times; i++) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            digest = client.execute(new HttpGet(url), response -> {
                assertEquals(HttpStatus.SC_OK, response.getCode());
                byte[] buf = new byte[65536];
                try (InputStream in = response.getEntity().getContent()) {
                    for (int n; (n = in.read(buf)) >= 0;) {
                        sha.update(buf, 0, n);
                    }
                }
                return sha.digest();
            });
        }
        return digest;
    }

    @Test
    @Timeout(180)
    void downloads20MegabytesThroughOnePercentLossWithTheSameSha256() throws Exception {
        byte[] data = body(20 * MB, 20);
        try (TwoHosts net = new TwoHosts("http-loss", "loss=1%");
                MiniHttpServer server = new MiniHttpServer(net.b.serverSocketFactory(), 8080,
                        path -> path.equals("/data") ? data : null);
                CloseableHttpClient client = HttpClients.custom()
                        .setConnectionManager(HttpClientSockets.manager(net.a.socketFactory())).build()) {
            long t0 = System.nanoTime();
            byte[] got = fetch(client, "http://" + TwoHosts.B + ":8080/data", 1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), got);
            long retransmitted = net.b.admin().statistics().tcp().get(TcpCounter.RETRANS_SEGS);
            assertTrue(retransmitted > 50, "the server's netkit TCP recovered lost segments: " + retransmitted);
            System.out.printf("HttpClient over the wire with 1%% loss each way: 20 MiB in %.2f s, %.1f MB/s, "
                    + "%d segments retransmitted%n", seconds, 20 * MB / seconds / 1e6, retransmitted);
        }
    }

    /** Not asserted: the same client, server and body over the netkit wire and over the kernel's loopback. */
    @Test
    @Timeout(300)
    void throughputOverTheWireAndOverKernelLoopback() throws Exception {
        int size = 50 * MB;
        byte[] data = body(size, 50);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        double netkit;
        try (TwoHosts net = new TwoHosts("http-clean")) {
            netkit = measure(net.a.socketFactory(), net.b.serverSocketFactory(), TwoHosts.B, data, expected);
        }
        double kernel = measure(SocketFactory.getDefault(), ServerSocketFactory.getDefault(), "127.0.0.1", data, expected);
        System.out.printf("HttpClient 5 classic, 50 MiB GET (best of 3): netkit wire %.1f MB/s, kernel loopback %.1f MB/s%n",
                netkit, kernel);
    }

    private static double measure(SocketFactory client, ServerSocketFactory server, String host, byte[] data,
            byte[] expected) throws Exception {
        try (MiniHttpServer http = new MiniHttpServer(server, 0, path -> data);
                CloseableHttpClient c = HttpClients.custom()
                        .setConnectionManager(HttpClientSockets.manager(client)).build()) {
            String url = "http://" + host + ":" + http.port() + "/data";
            assertArrayEquals(expected, fetch(c, url, 1)); // warm-up
            double best = 0;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertArrayEquals(expected, fetch(c, url, 1));
                best = Math.max(best, data.length / ((System.nanoTime() - t0) / 1e9) / 1e6);
            }
            return best;
        }
    }
}
