package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.compat.testing.TwoHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** java.net sockets from the factories between two netkit hosts on a wire: what the JDK documents. */
@Timeout(60)
class SocketFactoryTest {
    private static TwoHosts net;

    @BeforeAll
    static void up() {
        net = new TwoHosts("factory");
    }

    @AfterAll
    static void down() {
        net.close();
    }

    /** An echo server written only against ServerSocketFactory: echoes each connection until its FIN. */
    static CompletableFuture<Void> echo(ServerSocket server, int connections) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < connections; i++) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] buf = new byte[16384];
                        for (int n; (n = in.read(buf)) >= 0;) {
                            out.write(buf, 0, n);
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void echoClientAndServerThroughTheFactoriesOnly() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(3).nextBytes(data);
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7000)) {
            CompletableFuture<Void> done = echo(server, 1);
            try (Socket c = net.a.socketFactory().createSocket(TwoHosts.B, 7000)) {
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.getInputStream().readAllBytes();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                c.getOutputStream().write(data);
                c.shutdownOutput();
                byte[] got = back.get(30, TimeUnit.SECONDS);
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                        MessageDigest.getInstance("SHA-256").digest(got));
                assertEquals(-1, c.getInputStream().read(), "still -1 after the FIN");
            }
            done.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void stateAndAddressesAreTheJdks() throws Exception {
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7001, 5,
                InetAddress.getByName(TwoHosts.B))) {
            assertTrue(server.isBound());
            assertEquals(7001, server.getLocalPort());
            assertEquals(InetAddress.getByName(TwoHosts.B), server.getInetAddress());
            assertTrue(server.getReuseAddress(), "server sockets reuse addresses, as the JDK's");
            Socket c = net.a.socketFactory().createSocket();
            assertFalse(c.isConnected());
            assertFalse(c.isBound());
            assertFalse(c.isClosed());
            assertNull(c.getInetAddress());
            assertEquals(-1, c.getLocalPort());
            c.setTcpNoDelay(true);
            assertTrue(c.getTcpNoDelay());
            c.setKeepAlive(true);
            assertTrue(c.getKeepAlive());
            c.setSoLinger(true, 3);
            assertEquals(3, c.getSoLinger());
            c.setSoLinger(false, 0);
            assertEquals(-1, c.getSoLinger());
            c.setReceiveBufferSize(65536);
            assertEquals(65536, c.getReceiveBufferSize());
            c.setSendBufferSize(32768);
            assertEquals(32768, c.getSendBufferSize());
            c.setReuseAddress(true);
            assertTrue(c.getReuseAddress());
            c.setSoTimeout(1234);
            assertEquals(1234, c.getSoTimeout());
            c.connect(new InetSocketAddress(TwoHosts.B, 7001), 5000);
            try (Socket s = server.accept()) {
                assertTrue(c.isConnected() && c.isBound() && s.isConnected() && s.isBound());
                assertEquals(InetAddress.getByName(TwoHosts.B), c.getInetAddress());
                assertEquals(7001, c.getPort());
                assertEquals(InetAddress.getByName(TwoHosts.A), c.getLocalAddress());
                assertEquals(c.getLocalPort(), s.getPort());
                assertEquals(c.getLocalAddress(), s.getInetAddress());
                assertEquals(7001, s.getLocalPort());
                assertEquals(new InetSocketAddress(TwoHosts.B, 7001), c.getRemoteSocketAddress());
                assertEquals(0, s.getSoTimeout(), "accepted sockets start without a timeout");

                InputStream cin = c.getInputStream();
                c.shutdownInput();
                assertTrue(c.isInputShutdown());
                assertEquals(-1, cin.read(), "a read after shutdownInput is end of stream");
                assertThrows(SocketException.class, c::getInputStream, "Socket input is shutdown");
                c.shutdownOutput();
                assertTrue(c.isOutputShutdown());
                assertEquals(-1, s.getInputStream().read(), "the server sees our FIN");
                c.close();
                assertTrue(c.isClosed());
                assertTrue(c.isConnected(), "isConnected stays true after close, as documented");
                assertEquals(InetAddress.getByName(TwoHosts.B), c.getInetAddress(), "kept after close");
                assertThrows(SocketException.class, c::getOutputStream);
                assertThrows(SocketException.class, () -> cin.read(), "Socket closed");
            }
        }
    }

    @Test
    void unboundServerSocketBindsLaterAndAcceptsOnLoopback() throws Exception {
        try (ServerSocket server = net.a.serverSocketFactory().createServerSocket()) {
            assertFalse(server.isBound());
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = server.getLocalPort();
            assertTrue(port > 0);
            CompletableFuture<Void> done = echo(server, 1);
            try (Socket c = net.a.socketFactory().createSocket("127.0.0.1", port)) {
                c.getOutputStream().write("hello".getBytes());
                byte[] got = new byte[5];
                assertEquals(5, c.getInputStream().readNBytes(got, 0, 5));
                assertEquals("hello", new String(got));
            }
            done.get(10, TimeUnit.SECONDS);
        }
    }
}
