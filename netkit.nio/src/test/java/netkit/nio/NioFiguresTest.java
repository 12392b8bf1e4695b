package netkit.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SocketManager;
import org.junit.jupiter.api.Test;

/**
 * Figures printed, not asserted (#15): the cost of an empty non-blocking recv with and without
 * MSG_TRY, and Selector echo throughput on netkit (two stacks, in-JVM wire, real time) against the
 * JDK's own NIO over kernel loopback. The echoes still check every byte.
 */
class NioFiguresTest {

    @Test
    void emptyNonBlockingRecv() throws Exception {
        NioNet n = new NioNet();
        java.nio.channels.ServerSocketChannel l = n.server.openServerSocketChannel();
        l.bind(NioNet.address(1, 7200));
        java.nio.channels.SocketChannel c = n.client.openSocketChannel();
        c.configureBlocking(false);
        c.connect(NioNet.address(1, 7200));
        n.run(Duration.ofMillis(10));
        c.finishConnect();
        SocketManager sm = n.client.sockets();
        int token = ((NetkitChannel) c).netkitSocket().token;
        byte[] buf = new byte[1024];
        int rounds = 20_000; // the throwing path: its cost is the point
        int tries = 300_000;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                try {
                    sm.recv(token, buf, 0, buf.length, Net.MSG_DONTWAIT);
                } catch (ErrnoException e) {
                    // EWOULDBLOCK, as before MSG_TRY
                }
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < tries; i++) {
                sm.recv(token, buf, 0, buf.length, Net.MSG_TRY);
            }
            long t2 = System.nanoTime();
            if (pass == 1) {
                System.out.printf("empty non-blocking recv: MSG_DONTWAIT (throws EWOULDBLOCK) %.0f ns, MSG_TRY "
                        + "(returns WOULDBLOCK) %.0f ns per call%n", (t1 - t0) / (double) rounds,
                        (t2 - t1) / (double) tries);
            }
        }
    }

    @Test
    void selectorEchoThroughput() throws Exception {
        int connections = 16;
        int size = 1 << 19;
        double mb = 2.0 * connections * size / 1e6; // each byte goes there and back
        try (RealNet net = new RealNet()) {
            ThreadedEcho.run(net.provider(1, "s"), RealNet.address(1, 7300), net.provider(0, "c"), 4, 1 << 18); // warm-up
            double s = ThreadedEcho.run(net.provider(1, "s"), RealNet.address(1, 7301), net.provider(0, "c"),
                    connections, size);
            System.out.printf("Selector echo, netkit NIO, two stacks on the in-JVM wire: %d x %d B, %.1f MB moved in "
                    + "%.2f s = %.0f MB/s%n", connections, size, mb, s, mb / s);
        }
        SelectorProvider jdk = SelectorProvider.provider();
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        ThreadedEcho.run(jdk, lo, jdk, 4, 1 << 18);
        double s = ThreadedEcho.run(jdk, lo, jdk, connections, size);
        System.out.printf("Selector echo, JDK NIO over kernel loopback: %d x %d B, %.1f MB moved in %.2f s = %.0f MB/s%n",
                connections, size, mb, s, mb / s);
    }
}
