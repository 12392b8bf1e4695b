package netkit.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import netkit.compat.host.Netkit;
import netkit.compat.host.NetkitHost;
import netkit.compat.testing.HttpClientSockets;
import netkit.compat.testing.MiniHttpServer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * java.net over netkit against the kernel's clients and servers: {@code curl} in the namespace
 * fetches from an HTTP server that runs on netkit through {@code ServerSocketFactory}, and Apache
 * HttpClient on netkit fetches from {@code python3 -m http.server} in the namespace. The netkit
 * host is built with {@link Netkit} (vxlan link to the namespace's kernel VXLAN device).
 */
class JavaNetInteropTest {
    private static PeerNamespace peer;
    private static NetkitHost host;
    private static final StringBuilder whyNot = new StringBuilder();

    @BeforeAll
    static void up() throws Exception {
        for (String tool : new String[] {"curl", "python3", "sha256sum"}) {
            if (PeerNamespace.run("sh", "-c", "command -v " + tool).exit() != 0) {
                whyNot.append(tool).append(" is not installed (.ci/run installs it)");
                return;
            }
        }
        peer = PeerNamespace.create("jn", whyNot);
        if (peer == null) {
            return;
        }
        host = Netkit.stack().name("javanet").address(PeerNamespace.NETKIT_ADDR + "/24")
                .link("vxlan", "local=" + PeerNamespace.HOST_VETH_ADDR + ":4789",
                        "remote=" + PeerNamespace.PEER_VETH_ADDR + ":4789", "vni=42")
                .mtu(1500).build();
    }

    @BeforeEach
    void needsTheNamespace() {
        Assumptions.assumeTrue(peer != null, "java.net interop skipped: " + whyNot);
    }

    @AfterAll
    static void down() {
        if (host != null) {
            host.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void curlInTheNamespaceFetchesFromAnHttpServerOnNetkitServerSockets() throws Exception {
        byte[] body = data(4 << 20, 41);
        try (MiniHttpServer server = new MiniHttpServer(host.serverSocketFactory(), 8080,
                path -> path.equals("/data.bin") ? body : null)) {
            PeerNamespace.Result r = peer.exec("sh", "-c", "curl -sS --fail --max-time 60 http://"
                    + PeerNamespace.NETKIT_ADDR + ":8080/data.bin | sha256sum");
            assertEquals(0, r.exit(), r.output());
            assertEquals(sha256(body), r.output().trim().split("\\s+")[0], "curl got every byte");
            PeerNamespace.Result missing = peer.exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://" + PeerNamespace.NETKIT_ADDR + ":8080/nothing");
            assertEquals("404", missing.output().trim());
        }
    }

    @Test
    void httpClientOnNetkitFetchesFromPythonHttpServer(@TempDir Path dir) throws Exception {
        byte[] body = data(3 << 20, 42);
        Files.write(dir.resolve("data.bin"), body);
        Process server = peer.start("python3", "-m", "http.server", "8000", "--bind", PeerNamespace.PEER_ADDR,
                "--directory", dir.toString());
        try (CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(HttpClientSockets.manager(host.socketFactory())).build()) {
            String url = "http://" + PeerNamespace.PEER_ADDR + ":8000/data.bin";
            byte[] got = null;
            for (int attempt = 0; got == null; attempt++) {
                try {
                    got = client.execute(new HttpGet(url), response -> {
                        assertEquals(200, response.getCode());
                        try (InputStream in = response.getEntity().getContent()) {
                            return in.readAllBytes();
                        }
                    });
                } catch (IOException notYetListening) {
                    assertTrue(attempt < 50, "python3 http.server did not come up: " + notYetListening);
                    Thread.sleep(200);
                }
            }
            assertArrayEquals(body, got);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }
}
