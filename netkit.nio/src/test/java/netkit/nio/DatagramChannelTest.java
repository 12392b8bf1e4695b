package netkit.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** DatagramChannel on netkit UDP: send/receive, connected read/write, selection. */
class DatagramChannelTest {
    private final NioNet n = new NioNet();

    @Test
    void sendsAndReceivesDatagramsWithTheirSender() throws Exception {
        DatagramChannel server = n.server.openDatagramChannel();
        server.bind(NioNet.address(1, 5300));
        server.configureBlocking(false);
        Selector sel = n.server.openSelector();
        server.register(sel, SelectionKey.OP_READ);
        assertNull(server.receive(ByteBuffer.allocate(10)), "nothing yet");
        assertEquals(0, sel.selectNow());

        DatagramChannel client = n.client.openDatagramChannel();
        ByteBuffer direct = ByteBuffer.allocateDirect(5);
        direct.put(new byte[] {1, 2, 3, 4, 5}).flip();
        assertEquals(5, client.send(direct, NioNet.address(1, 5300)));
        n.run(Duration.ofMillis(10));
        assertEquals(1, sel.selectNow());
        ByteBuffer in = ByteBuffer.allocate(10);
        java.net.SocketAddress from = server.receive(in);
        assertEquals(client.getLocalAddress().toString().replace("0.0.0.0", "10.0.0.1"), from.toString());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOf(in.array(), in.position()));

        client.connect(NioNet.address(1, 5300));
        client.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {7}), ByteBuffer.wrap(new byte[] {8, 9})}, 0, 2);
        n.run(Duration.ofMillis(10));
        in.clear();
        server.receive(in);
        assertEquals(3, in.position(), "a gathering write is one datagram");
        server.send(ByteBuffer.wrap(new byte[] {42}), from);
        n.run(Duration.ofMillis(10));
        ByteBuffer one = ByteBuffer.allocate(4);
        assertEquals(1, client.read(one));
        assertEquals(42, one.get(0));
        client.configureBlocking(false);
        assertEquals(0, client.read(one.clear()), "non-blocking, nothing there");
    }
}
