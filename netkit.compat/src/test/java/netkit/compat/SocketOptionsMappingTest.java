package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import netkit.compat.testing.TwoHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's socket options that map to netkit's SO_REUSEPORT and SO_OOBINLINE, and urgent data
 * through {@code Socket.sendUrgentData}, as the JDK's own sockets on Linux behave (issue #12).
 */
@Timeout(60)
class SocketOptionsMappingTest {
    private static TwoHosts net;

    @BeforeAll
    static void up() {
        net = new TwoHosts("options");
    }

    @AfterAll
    static void down() {
        net.close();
    }

    @Test
    void serverSocketsShareAPortWithSoReuseport() throws Exception {
        try (ServerSocket one = net.b.serverSocketFactory().createServerSocket();
                ServerSocket two = net.b.serverSocketFactory().createServerSocket();
                ServerSocket three = net.b.serverSocketFactory().createServerSocket()) {
            assertTrue(one.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT));
            assertFalse(one.getOption(StandardSocketOptions.SO_REUSEPORT));
            one.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            two.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(two.getOption(StandardSocketOptions.SO_REUSEPORT));
            one.bind(new InetSocketAddress(7400));
            two.bind(new InetSocketAddress(7400));
            assertThrows(BindException.class, () -> three.bind(new InetSocketAddress(7400)), "three did not set it");
        }
    }

    @Test
    void datagramSocketsShareAPortWithSoReuseport() throws Exception {
        try (DatagramSocket one = new NetkitDatagramSocket(net.b.sockets(), null);
                DatagramSocket two = new NetkitDatagramSocket(net.b.sockets(), null)) {
            one.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            two.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(one.getOption(StandardSocketOptions.SO_REUSEPORT));
            one.bind(new InetSocketAddress(7401));
            two.bind(new InetSocketAddress(7401));
            assertEquals(7401, two.getLocalPort());
        }
    }

    /**
     * {@code sendUrgentData} sends one urgent byte; the receiver, like the JDK's sockets on Linux,
     * has SO_OOBINLINE off by default, so the byte leaves the stream; with {@code setOOBInline(true)}
     * it is read in order.
     */
    @Test
    void urgentDataIsDroppedUnlessOobInlineAsWithTheJdk() throws Exception {
        try (ServerSocket server = net.b.serverSocketFactory().createServerSocket(7402);
                Socket c = net.a.socketFactory().createSocket(TwoHosts.B, 7402);
                Socket s = server.accept()) {
            assertFalse(s.getOOBInline(), "the JDK's default on Linux");
            c.setTcpNoDelay(true);
            c.getOutputStream().write("ab".getBytes());
            c.sendUrgentData('!');
            c.getOutputStream().write("cd".getBytes());
            assertArrayEquals("abcd".getBytes(), readFully(s.getInputStream(), 4), "the urgent byte left the stream");
            s.setOOBInline(true);
            assertTrue(s.getOOBInline());
            c.sendUrgentData('?');
            c.getOutputStream().write("ef".getBytes());
            assertArrayEquals("?ef".getBytes(), readFully(s.getInputStream(), 3), "inline");
        }
    }

    private static byte[] readFully(InputStream in, int n) throws Exception {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int k = in.read(b, got, n - got);
            if (k < 0) {
                break;
            }
            got += k;
        }
        return java.util.Arrays.copyOf(b, got);
    }
}
