package netkit.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Selector and channel edge cases on the simulated clock. */
class SelectorEdgeCaseTest {
    private final NioNet n = new NioNet();

    /** A connected pair: [client, accepted server side], both non-blocking. */
    private SocketChannel[] pair(int port) throws Exception {
        ServerSocketChannel l = n.server.openServerSocketChannel();
        l.bind(NioNet.address(1, port));
        l.configureBlocking(false);
        SocketChannel c = n.client.openSocketChannel();
        c.configureBlocking(false);
        assertFalse(c.connect(NioNet.address(1, port)));
        assertTrue(c.isConnectionPending());
        assertFalse(c.finishConnect(), "nothing moved yet");
        n.run(Duration.ofMillis(10));
        assertTrue(c.finishConnect());
        SocketChannel s = l.accept();
        s.configureBlocking(false);
        l.close();
        return new SocketChannel[] {c, s};
    }

    @Test
    void aWakeupBeforeSelectMakesItReturnAtOnceOnce() throws Exception {
        Selector sel = n.client.openSelector();
        sel.wakeup();
        assertEquals(0, sel.select());
        CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return sel.select();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(50);
        assertFalse(blocked.isDone(), "the wakeup was used up");
        sel.wakeup();
        assertEquals(0, blocked.get(5, TimeUnit.SECONDS));
        sel.close();
        assertThrows(ClosedSelectorException.class, sel::selectNow);
    }

    @Test
    void aSelectTimeoutRunsOnTheStacksClock() throws Exception {
        Selector sel = n.client.openSelector();
        long start = n.net.loop.nanoTime();
        Thread t = new Thread(() -> {
            try {
                sel.select(5000);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        while (t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        n.run(Duration.ofSeconds(4));
        Thread.sleep(20);
        assertTrue(t.isAlive(), "4 simulated seconds are not 5");
        n.run(Duration.ofSeconds(1));
        t.join(5000);
        assertFalse(t.isAlive(), "5 simulated seconds end it");
        assertEquals(5_000_000_000L, n.net.loop.nanoTime() - start);
        assertEquals(0, n.net.loop.pendingTimers() - baselineTimers(), "its timer is gone");
    }

    private long baselineTimers() {
        return new NioNet().net.loop.pendingTimers();
    }

    @Test
    void readinessIsLevelTriggeredAndInterestChangesAreSeen() throws Exception {
        SocketChannel[] p = pair(7100);
        Selector sel = n.server.openSelector();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        assertEquals(0, sel.selectNow());
        p[0].write(ByteBuffer.wrap(new byte[10]));
        n.run(Duration.ofMillis(10));
        assertEquals(1, sel.selectNow());
        assertEquals(SelectionKey.OP_READ, k.readyOps());
        sel.selectedKeys().clear();
        assertEquals(1, sel.selectNow(), "unread data: selected again");
        sel.selectedKeys().clear();
        assertEquals(10, p[1].read(ByteBuffer.allocate(100)));
        assertEquals(0, sel.selectNow());
        k.interestOps(SelectionKey.OP_WRITE);
        assertEquals(1, sel.selectNow(), "writable all along: no rise, the interest change counts");
        assertEquals(SelectionKey.OP_WRITE, k.readyOps());
        assertThrows(UnsupportedOperationException.class, () -> sel.selectedKeys().add(k));
        assertThrows(IllegalArgumentException.class, () -> k.interestOps(SelectionKey.OP_ACCEPT));
    }

    @Test
    void cancelAndCloseWhileRegistered() throws Exception {
        SocketChannel[] p = pair(7101);
        Selector sel = n.server.openSelector();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        k.cancel();
        assertFalse(k.isValid());
        assertThrows(CancelledKeyException.class, () -> k.interestOps(0));
        assertEquals(1, sel.keys().size(), "until the next select");
        sel.selectNow();
        assertEquals(0, sel.keys().size());
        assertFalse(p[1].isRegistered());
        SelectionKey again = p[1].register(sel, SelectionKey.OP_READ);
        p[1].close();
        assertFalse(again.isValid());
        p[0].write(ByteBuffer.wrap(new byte[10]));
        n.run(Duration.ofMillis(10));
        assertEquals(0, sel.selectNow(), "a closed channel is never selected");
        assertEquals(0, sel.keys().size());
        assertThrows(ClosedChannelException.class, () -> p[1].read(ByteBuffer.allocate(1)));
        sel.close();
    }

    @Test
    void closingTheSelectorCancelsItsKeys() throws Exception {
        SocketChannel[] p = pair(7102);
        Selector sel = n.server.openSelector();
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        sel.close();
        assertFalse(k.isValid());
        assertFalse(p[1].isRegistered());
        assertThrows(ClosedSelectorException.class, sel::keys);
        Selector other = n.server.openSelector();
        p[1].register(other, SelectionKey.OP_READ); // the channel goes on
    }

    @Test
    void channelsOfAnotherProviderAreRefused() throws Exception {
        Selector sel = n.server.openSelector();
        SocketChannel mine = n.client.openSocketChannel();
        mine.configureBlocking(false);
        assertThrows(IllegalSelectorException.class, () -> mine.register(sel, SelectionKey.OP_READ));
        try (SocketChannel jdk = SocketChannel.open()) {
            jdk.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> jdk.register(sel, SelectionKey.OP_READ));
        }
    }

    @Test
    void theEndOfStreamIsMinusOneAndARefusedConnectIsConnectException() throws Exception {
        SocketChannel[] p = pair(7103);
        p[0].shutdownOutput();
        assertTrue(p[0].socket().isOutputShutdown());
        n.run(Duration.ofMillis(10));
        assertEquals(-1, p[1].read(ByteBuffer.allocate(10)));
        SocketChannel c = n.client.openSocketChannel();
        c.configureBlocking(false);
        c.connect(NioNet.address(1, 9)); // nobody listens
        n.run(Duration.ofMillis(10));
        assertThrows(ConnectException.class, c::finishConnect);
        assertFalse(c.isOpen(), "a failed connect closes the channel, as the JDK's");
    }

    @Test
    void aNonBlockingAcceptWithNothingQueuedIsNull() throws Exception {
        ServerSocketChannel l = n.server.openServerSocketChannel();
        l.configureBlocking(false);
        l.bind(null);
        assertNull(l.accept());
        assertTrue(l.socket().isBound());
        assertTrue(l.socket().getLocalPort() > 0);
    }

    @Test
    void theSocketAdaptorCarriesOptionsAndAddresses() throws Exception {
        SocketChannel[] p = pair(7104);
        java.net.Socket s = p[0].socket();
        s.setTcpNoDelay(true);
        assertTrue(s.getTcpNoDelay());
        s.setSendBufferSize(32768);
        assertEquals(32768, s.getSendBufferSize());
        s.setSoLinger(true, 3);
        assertEquals(3, s.getSoLinger());
        s.setSoLinger(false, 0); // a lingering close would wait on the simulated clock
        assertEquals(-1, s.getSoLinger());
        assertTrue(s.isConnected());
        assertEquals(NioNet.address(1, 7104), s.getRemoteSocketAddress());
        assertEquals(NioNet.address(1, 7104).getAddress(), s.getInetAddress());
        assertEquals(NioNet.address(0, s.getLocalPort()), s.getLocalSocketAddress());
        assertEquals(p[0], s.getChannel());
        s.close();
        assertTrue(s.isClosed());
        assertFalse(p[0].isOpen());
    }
}
