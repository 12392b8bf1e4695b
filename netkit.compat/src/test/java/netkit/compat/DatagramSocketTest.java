package netkit.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import netkit.compat.testing.TwoHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** java.net.DatagramSocket on netkit UDP (through DatagramSocketImpl, on JDK 17 and 25). */
@Timeout(60)
class DatagramSocketTest {
    private static TwoHosts net;

    @BeforeAll
    static void up() {
        net = new TwoHosts("datagram");
    }

    @AfterAll
    static void down() {
        net.close();
    }

    private static DatagramPacket packet(String text, String host, int port) throws Exception {
        byte[] b = text.getBytes();
        return new DatagramPacket(b, b.length, InetAddress.getByName(host), port);
    }

    @Test
    void sendAndReceiveWithSenderAddressAndPort() throws Exception {
        try (DatagramSocket server = new NetkitDatagramSocket(net.b.sockets(), new InetSocketAddress(5300));
                DatagramSocket client = net.a.datagramSocket()) {
            assertTrue(client.isBound());
            assertTrue(client.getLocalPort() > 0);
            assertFalse(client.isConnected());
            client.send(packet("ping", TwoHosts.B, 5300));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            server.setSoTimeout(5000);
            server.receive(p);
            assertEquals("ping", new String(p.getData(), p.getOffset(), p.getLength()));
            assertEquals(InetAddress.getByName(TwoHosts.A), p.getAddress());
            assertEquals(client.getLocalPort(), p.getPort());
            server.send(new DatagramPacket("pong".getBytes(), 4, p.getSocketAddress()));
            DatagramPacket reused = new DatagramPacket(new byte[100], 2, 98);
            client.setSoTimeout(5000);
            client.receive(reused);
            assertEquals("pong", new String(reused.getData(), 2, reused.getLength()));
            assertEquals(2, reused.getOffset());
        }
    }

    @Test
    void receiveTimesOutWithSocketTimeoutException() throws Exception {
        try (DatagramSocket s = net.a.datagramSocket()) {
            s.setSoTimeout(150);
            assertEquals(150, s.getSoTimeout());
            long t0 = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> s.receive(new DatagramPacket(new byte[10], 10)));
            assertEquals("Receive timed out", e.getMessage());
            assertTrue(System.nanoTime() - t0 >= 100_000_000L);
        }
    }

    @Test
    void connectedSocketHearsOnlyItsPeerAndLearnsPortUnreachable() throws Exception {
        try (DatagramSocket b = new NetkitDatagramSocket(net.b.sockets(), new InetSocketAddress(5301));
                DatagramSocket stranger = new NetkitDatagramSocket(net.b.sockets(), new InetSocketAddress(5302));
                DatagramSocket a = net.a.datagramSocket()) {
            a.connect(new InetSocketAddress(TwoHosts.B, 5301));
            assertTrue(a.isConnected());
            assertEquals(InetAddress.getByName(TwoHosts.B), a.getInetAddress());
            assertEquals(5301, a.getPort());
            stranger.send(packet("noise", TwoHosts.A, a.getLocalPort()));
            b.send(packet("peer", TwoHosts.A, a.getLocalPort()));
            a.setSoTimeout(5000);
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            a.receive(p);
            assertEquals("peer", new String(p.getData(), 0, p.getLength()), "the stranger's datagram was filtered");
            a.send(new DatagramPacket("hi".getBytes(), 2)); // no address: the connected peer's
            DatagramPacket q = new DatagramPacket(new byte[100], 100);
            b.setSoTimeout(5000);
            b.receive(q);
            assertEquals("hi", new String(q.getData(), 0, q.getLength()));
            assertThrows(IllegalArgumentException.class, () -> a.send(packet("x", TwoHosts.B, 9)),
                    "connected address and packet address differ");

            a.disconnect();
            assertFalse(a.isConnected());
            stranger.send(packet("after", TwoHosts.A, a.getLocalPort()));
            a.receive(p);
            assertEquals("after", new String(p.getData(), 0, p.getLength()), "disconnected: hears everyone again");

            try (DatagramSocket c = net.a.datagramSocket()) {
                c.connect(new InetSocketAddress(TwoHosts.B, 5999)); // nobody there
                c.setSoTimeout(2000);
                c.send(new DatagramPacket(new byte[1], 1));
                assertThrows(PortUnreachableException.class, () -> c.receive(new DatagramPacket(new byte[1], 1)));
            }
        }
    }

    @Test
    void broadcastNeedsSoBroadcastWhichStartsOnAsInTheJdk() throws Exception {
        try (DatagramSocket b = new NetkitDatagramSocket(net.b.sockets(), new InetSocketAddress(5303));
                DatagramSocket a = net.a.datagramSocket()) {
            assertTrue(a.getBroadcast(), "the JDK's datagram sockets start with SO_BROADCAST on (Linux)");
            a.send(packet("all", "10.0.0.255", 5303));
            b.setSoTimeout(5000);
            DatagramPacket p = new DatagramPacket(new byte[10], 10);
            b.receive(p);
            assertEquals("all", new String(p.getData(), 0, p.getLength()));
            a.setBroadcast(false);
            assertFalse(a.getBroadcast());
            SocketException e = assertThrows(SocketException.class, () -> a.send(packet("no", "10.0.0.255", 5303)));
            assertEquals("Permission denied", e.getMessage());
        }
    }

    @Test
    void bindStateOptionsAndClose() throws Exception {
        DatagramSocket unbound = new NetkitDatagramSocket(net.a.sockets(), null);
        assertFalse(unbound.isBound());
        assertNull(unbound.getLocalSocketAddress());
        unbound.setReceiveBufferSize(50000);
        assertEquals(50000, unbound.getReceiveBufferSize());
        unbound.setTrafficClass(0x10);
        assertEquals(0x10, unbound.getTrafficClass());
        unbound.bind(new InetSocketAddress(TwoHosts.A, 5304));
        assertEquals(new InetSocketAddress(TwoHosts.A, 5304), unbound.getLocalSocketAddress());
        assertThrows(BindException.class, () -> new NetkitDatagramSocket(net.a.sockets(), new InetSocketAddress(5304)));
        unbound.close();
        assertTrue(unbound.isClosed());
        assertThrows(SocketException.class, () -> unbound.send(packet("x", TwoHosts.B, 1)));
        try (DatagramSocket again = new NetkitDatagramSocket(net.a.sockets(), new InetSocketAddress(5304))) {
            assertEquals(5304, again.getLocalPort(), "the closed socket's port is free");
        }
    }

    @Test
    void largeDatagramsAreFragmentedAndTruncatedToTheBuffer() throws Exception {
        try (DatagramSocket b = new NetkitDatagramSocket(net.b.sockets(), new InetSocketAddress(5305));
                DatagramSocket a = net.a.datagramSocket()) {
            byte[] big = new byte[20000];
            Arrays.fill(big, (byte) 7);
            a.send(new DatagramPacket(big, big.length, InetAddress.getByName(TwoHosts.B), 5305));
            b.setSoTimeout(5000);
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            b.receive(p);
            assertArrayEquals(big, Arrays.copyOf(p.getData(), p.getLength()));
            a.send(new DatagramPacket(big, big.length, InetAddress.getByName(TwoHosts.B), 5305));
            DatagramPacket small = new DatagramPacket(new byte[100], 100);
            b.receive(small);
            assertEquals(100, small.getLength(), "the rest is discarded, as the JDK does");
        }
    }
}
