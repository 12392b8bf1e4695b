package netkit.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Random;

/**
 * A Selector echo in real time, the same code for any provider: a server thread echoes every
 * connection; the calling thread drives all clients from one selector. Returns the seconds it took;
 * fails unless every echo equals what was sent (SHA-256).
 */
final class ThreadedEcho {
    private ThreadedEcho() {
    }

    static double run(SelectorProvider server, InetSocketAddress bindTo, SelectorProvider client, int connections,
            int size) throws Exception {
        Selector ssel = server.openSelector();
        ServerSocketChannel l = server.openServerSocketChannel();
        l.bind(bindTo, 1024);
        InetSocketAddress at = (InetSocketAddress) l.getLocalAddress();
        l.configureBlocking(false);
        l.register(ssel, SelectionKey.OP_ACCEPT);
        Thread st = new Thread(() -> serve(ssel, l), "echo-server");
        st.setDaemon(true);
        st.start();
        try {
            return clients(client, at, connections, size);
        } finally {
            ssel.close();
            st.join(5000);
            l.close();
        }
    }

    private static void serve(Selector sel, ServerSocketChannel l) {
        try {
            while (sel.isOpen()) {
                sel.select(100);
                if (!sel.isOpen()) {
                    return;
                }
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = l.accept()) != null) {
                            c.configureBlocking(false);
                            c.register(sel, SelectionKey.OP_READ, ByteBuffer.allocateDirect(64 * 1024));
                        }
                        continue;
                    }
                    SocketChannel ch = (SocketChannel) k.channel();
                    ByteBuffer b = (ByteBuffer) k.attachment();
                    if (k.isReadable() && b.hasRemaining() && ch.read(b) < 0) {
                        ch.close();
                        continue;
                    }
                    b.flip();
                    ch.write(b);
                    b.compact();
                    k.interestOps((b.position() > 0 ? SelectionKey.OP_WRITE : 0)
                            | (b.hasRemaining() ? SelectionKey.OP_READ : 0));
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed at the end
        }
    }

    private static final class Client {
        final ByteBuffer out;
        final MessageDigest sent;
        final MessageDigest got;
        long received;

        Client(byte[] data) throws Exception {
            out = ByteBuffer.allocateDirect(data.length);
            out.put(data).flip();
            sent = MessageDigest.getInstance("SHA-256");
            got = MessageDigest.getInstance("SHA-256");
            sent.update(data);
        }
    }

    private static double clients(SelectorProvider p, InetSocketAddress to, int connections, int size)
            throws Exception {
        Selector sel = p.openSelector();
        Random r = new Random(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = p.openSocketChannel();
            ch.configureBlocking(false);
            byte[] data = new byte[size];
            r.nextBytes(data);
            boolean now = ch.connect(to);
            ch.register(sel, now ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT,
                    new Client(data));
        }
        int done = 0;
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        byte[] copy = new byte[64 * 1024];
        while (done < connections) {
            if (sel.select(10_000) == 0 && System.nanoTime() - start > 120_000_000_000L) {
                throw new AssertionError("echo stalled: " + done + " of " + connections);
            }
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext();) {
                SelectionKey k = it.next();
                it.remove();
                Client c = (Client) k.attachment();
                SocketChannel ch = (SocketChannel) k.channel();
                if (k.isConnectable()) {
                    ch.finishConnect();
                    k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    continue;
                }
                if (k.isWritable()) {
                    ch.write(c.out);
                    if (!c.out.hasRemaining()) {
                        k.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (k.isReadable()) {
                    int n;
                    while ((n = ch.read(in.clear())) > 0) {
                        in.flip().get(copy, 0, n);
                        c.got.update(copy, 0, n);
                        c.received += n;
                    }
                    if (c.received == size) {
                        if (!MessageDigest.isEqual(c.sent.digest(), c.got.digest())) {
                            throw new AssertionError("echo differs");
                        }
                        ch.close();
                        done++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sel.close();
        return seconds;
    }
}
