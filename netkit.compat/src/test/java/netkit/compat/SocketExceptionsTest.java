package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netkit.compat.testing.TwoHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** netkit's errno values arrive as the exceptions (and messages) the JDK throws for them on Linux. */
@Timeout(60)
class SocketExceptionsTest {
    /** Nobody on the segment has this address: ARP for it fails after about 3 s. */
    private static final String ABSENT = "10.0.0.99";
    private static TwoHosts net;

    @BeforeAll
    static void up() {
        net = new TwoHosts("errors");
    }

    @AfterAll
    static void down() {
        net.close();
    }

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        Socket s = net.a.socketFactory().createSocket();
        ConnectException e = assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(TwoHosts.B, 9)));
        assertEquals("Connection refused", e.getMessage());
        assertClosedByFailedConnect(s);
        assertThrows(ConnectException.class, () -> net.a.socketFactory().createSocket(TwoHosts.B, 9));
    }

    /**
     * A failed connect closes the socket: the JDK's impl closes itself (a second connect fails with
     * "Socket closed"); from JDK 25 on Socket.connect also closes the Socket (isClosed() true, "Socket is
     * closed"), on JDK 17 isClosed() stays false. Both as the JDK's own sockets do.
     */
    private static void assertClosedByFailedConnect(Socket s) {
        SocketException again = assertThrows(SocketException.class,
                () -> s.connect(new InetSocketAddress(TwoHosts.B, 9)));
        assertTrue(again.getMessage().startsWith("Socket closed") || again.getMessage().equals("Socket is closed"),
                again.getMessage());
        if (Runtime.version().feature() >= 25) {
            assertTrue(s.isClosed());
        }
    }

    @Test
    void anAbortIsConnectionResetOnEveryReadThenBrokenPipe() throws Exception {
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7100);
                Socket c = net.a.socketFactory().createSocket(TwoHosts.B, 7100)) {
            Socket s = server.accept();
            s.setSoLinger(true, 0);
            s.close(); // RST
            InputStream in = c.getInputStream();
            SocketException first = assertThrows(SocketException.class, () -> in.read());
            assertEquals("Connection reset", first.getMessage());
            SocketException again = assertThrows(SocketException.class, () -> in.read());
            assertEquals("Connection reset", again.getMessage(), "the JDK repeats it");
            OutputStream out = c.getOutputStream();
            SocketException write = assertThrows(SocketException.class, () -> out.write(1));
            assertEquals("Broken pipe", write.getMessage());
        }
    }

    @Test
    void soTimeoutEndsReadsAndAcceptsWithSocketTimeoutException() throws Exception {
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7101);
                Socket c = net.a.socketFactory().createSocket(TwoHosts.B, 7101);
                Socket s = server.accept()) {
            c.setSoTimeout(200);
            long t0 = System.nanoTime();
            SocketTimeoutException read = assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read());
            assertEquals("Read timed out", read.getMessage());
            assertTrue(System.nanoTime() - t0 >= 150_000_000L, "it waited for the timeout");
            assertTrue(!c.isClosed(), "a read timeout leaves the socket usable");
            s.getOutputStream().write(42);
            assertEquals(42, c.getInputStream().read(), "and it reads what comes later");
            server.setSoTimeout(100);
            SocketTimeoutException accept = assertThrows(SocketTimeoutException.class, server::accept);
            assertEquals("Accept timed out", accept.getMessage());

            // the listener's timeout is not the accepted socket's (the JDK's accepted sockets start at 0)
            try (Socket c2 = net.a.socketFactory().createSocket(TwoHosts.B, 7101); Socket s2 = server.accept()) {
                assertEquals(0, s2.getSoTimeout());
                CompletableFuture<Integer> late = CompletableFuture.supplyAsync(() -> {
                    try {
                        return s2.getInputStream().read();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(400); // longer than the listener's 100 ms
                c2.getOutputStream().write(9);
                assertEquals(9, late.get(10, TimeUnit.SECONDS));
                c2.getOutputStream().write(new byte[] {1, 2, 3});
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (s2.getInputStream().available() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(3, s2.getInputStream().available(), "available() counts what is queued");
            }
        }
    }

    @Test
    void bindToAPortInUseIsBindException() throws Exception {
        try (ServerSocket first = net.b.serverSocketFactory().createServerSocket(7102)) {
            BindException e = assertThrows(BindException.class,
                    () -> net.b.serverSocketFactory().createServerSocket(7102));
            assertEquals("Address already in use", e.getMessage());
            Socket s = net.b.socketFactory().createSocket();
            assertThrows(BindException.class, () -> s.bind(new InetSocketAddress(TwoHosts.A, 0)),
                    "not a local address: Cannot assign requested address");
            s.close();
        }
    }

    @Test
    void connectTimeoutIsSocketTimeoutExceptionAndClosesTheSocket() throws Exception {
        Socket s = net.a.socketFactory().createSocket();
        long t0 = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> s.connect(new InetSocketAddress(ABSENT, 80), 300));
        assertEquals("Connect timed out", e.getMessage());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "within the timeout, not ARP's 3 s");
        assertClosedByFailedConnect(s);
    }

    @Test
    void anUnreachableHostIsNoRouteToHost() throws Exception {
        Socket s = net.a.socketFactory().createSocket();
        NoRouteToHostException e = assertThrows(NoRouteToHostException.class,
                () -> s.connect(new InetSocketAddress(ABSENT, 80)));
        assertEquals("No route to host", e.getMessage());
    }

    @Test
    void noRouteAtAllIsNetworkUnreachable() throws Exception {
        Socket s = net.a.socketFactory().createSocket();
        SocketException e = assertThrows(SocketException.class, () -> s.connect(new InetSocketAddress("192.168.5.5", 80)));
        assertEquals("Network is unreachable", e.getMessage());
    }

    @Test
    void closingASocketWakesItsBlockedReaderWithSocketClosed() throws Exception {
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7103);
                Socket c = net.a.socketFactory().createSocket(TwoHosts.B, 7103);
                Socket s = server.accept()) {
            CompletableFuture<Exception> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    c.getInputStream().read();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            Thread.sleep(200);
            c.close();
            Exception e = reader.get(10, TimeUnit.SECONDS);
            assertTrue(e instanceof SocketException, String.valueOf(e));
            assertEquals("Socket closed", e.getMessage());
        }
    }
}
