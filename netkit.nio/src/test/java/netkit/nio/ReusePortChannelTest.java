package netkit.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** {@code StandardSocketOptions.SO_REUSEPORT} on netkit channels is netkit's SO_REUSEPORT (#12). */
class ReusePortChannelTest {
    private final NioNet n = new NioNet();

    @Test
    void serverChannelsShareAPortWhenEverySetsIt() throws Exception {
        try (ServerSocketChannel one = n.server.openServerSocketChannel();
                ServerSocketChannel two = n.server.openServerSocketChannel();
                ServerSocketChannel three = n.server.openServerSocketChannel();
                SocketChannel client = n.client.openSocketChannel()) {
            assertTrue(one.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT));
            assertTrue(client.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT));
            assertFalse(one.getOption(StandardSocketOptions.SO_REUSEPORT));
            one.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            two.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertTrue(two.getOption(StandardSocketOptions.SO_REUSEPORT));
            one.bind(NioNet.address(1, 8500));
            two.bind(NioNet.address(1, 8500));
            assertThrows(BindException.class, () -> three.bind(NioNet.address(1, 8500)));
        }
    }

    @Test
    void datagramChannelsShareAPortWhenEverySetsIt() throws Exception {
        try (DatagramChannel one = n.server.openDatagramChannel();
                DatagramChannel two = n.server.openDatagramChannel()) {
            one.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            two.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            one.bind(NioNet.address(1, 8501));
            two.bind(NioNet.address(1, 8501));
            assertEquals(NioNet.address(1, 8501), two.getLocalAddress());
        }
    }

    /** The adaptor's urgent data: SO_OOBINLINE off as the JDK's channels, so the byte leaves the stream. */
    @Test
    void theSocketAdaptorSendsUrgentDataThatLeavesTheStreamUnlessInline() throws Exception {
        ServerSocketChannel l = n.server.openServerSocketChannel();
        l.bind(NioNet.address(1, 8502));
        l.configureBlocking(false);
        SocketChannel c = n.client.openSocketChannel();
        c.configureBlocking(false);
        c.connect(NioNet.address(1, 8502));
        n.run(Duration.ofMillis(10));
        assertTrue(c.finishConnect());
        SocketChannel s = l.accept();
        s.configureBlocking(false);
        assertFalse(s.socket().getOOBInline());
        c.write(ByteBuffer.wrap("ab".getBytes()));
        n.run(Duration.ofMillis(50));
        c.socket().sendUrgentData('!');
        c.write(ByteBuffer.wrap("cd".getBytes()));
        assertEquals("abcd", read(s, 4));
        s.socket().setOOBInline(true);
        assertTrue(s.socket().getOOBInline());
        c.socket().sendUrgentData('?');
        n.run(Duration.ofMillis(50));
        c.write(ByteBuffer.wrap("ef".getBytes()));
        assertEquals("?ef", read(s, 3));
    }

    private String read(SocketChannel s, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < 20 && b.hasRemaining(); i++) {
            this.n.run(Duration.ofMillis(50));
            s.read(b);
        }
        return new String(b.array(), 0, b.position());
    }
}
