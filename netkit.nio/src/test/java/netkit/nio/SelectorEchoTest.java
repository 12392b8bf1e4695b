package netkit.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import netkit.api.spi.impair.Impairment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Selector-driven echo on netkit NIO: one thread runs a server selector (accept, read, echo back with
 * OP_WRITE when the send buffer is full) and a client selector (many connections, each sending seeded
 * random bytes and reading the echo), moving simulated time between rounds. Every byte is compared by
 * SHA-256, without and with seeded loss on the wire.
 */
class SelectorEchoTest {

    /** One client connection: what it still has to send, and digests of what went and came back. */
    private static final class Client {
        final SocketChannel ch;
        final ByteBuffer out;
        final MessageDigest sent = sha256();
        final MessageDigest got = sha256();
        long received;
        final int size;

        Client(SocketChannel ch, byte[] data) {
            this.ch = ch;
            this.out = ByteBuffer.allocateDirect(data.length);
            out.put(data).flip();
            sent.update(data);
            size = data.length;
        }
    }

    /** One echoed connection on the server: bytes read and not yet written back. */
    private static final class Echo {
        final ByteBuffer pending = ByteBuffer.allocateDirect(16 * 1024);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} connections of {1} bytes, loss {2}")
    @CsvSource({"40, 50000, 0", "40, 50000, 0.01", "200, 5000, 0.02"})
    void echoesEveryByteOverManyConnectionsOnOneThread(int connections, int size, double loss) throws Exception {
        NioNet n = new NioNet();
        if (loss > 0) {
            n.net.hub.segment("lan").impairment(new Impairment(loss, 0, 0, 0, 100, 0, 0, 15));
        }
        Selector serverSel = n.server.openSelector();
        ServerSocketChannel listener = n.server.openServerSocketChannel();
        listener.bind(NioNet.address(1, 7), 1024);
        listener.configureBlocking(false);
        listener.register(serverSel, SelectionKey.OP_ACCEPT);

        Selector clientSel = n.client.openSelector();
        Random r = new Random(connections * 31L + size);
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = n.client.openSocketChannel();
            ch.configureBlocking(false);
            byte[] data = new byte[size];
            r.nextBytes(data);
            Client c = new Client(ch, data);
            clients.add(c);
            boolean now = ch.connect(NioNet.address(1, 7));
            ch.register(clientSel, now ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
        }
        int done = 0;
        ByteBuffer in = ByteBuffer.allocate(8192);
        long rounds = 0;
        while (done < connections) {
            assertTrue(rounds++ < 2_000_000, "echo stalled: " + done + " of " + connections + " done");
            serverRound(serverSel, listener);
            done += clientRound(clientSel, in);
            n.run(Duration.ofMillis(1));
            assertTrue(n.net.loop.nanoTime() < Duration.ofMinutes(10).toNanos(), "simulated time ran out");
        }
        for (Client c : clients) {
            assertEquals(c.size, c.received);
            assertArrayEquals(c.sent.digest(), c.got.digest());
            c.ch.close();
        }
        n.run(Duration.ofSeconds(1));
        serverRound(serverSel, listener); // the server sees end of stream and closes its side
        n.run(Duration.ofSeconds(1));
        serverRound(serverSel, listener);
        serverSel.selectNow(); // keys cancelled by the last round leave at the next select
        assertEquals(1, serverSel.keys().size(), "only the listener is left: " + serverSel.keys());
        clientSel.selectNow();
        assertEquals(0, clientSel.keys().size());
        serverSel.close();
        listener.close();
    }

    private static void serverRound(Selector sel, ServerSocketChannel listener) throws IOException {
        sel.selectNow();
        for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext();) {
            SelectionKey k = it.next();
            it.remove();
            if (k.isAcceptable()) {
                SocketChannel c;
                while ((c = listener.accept()) != null) {
                    c.configureBlocking(false);
                    c.register(sel, SelectionKey.OP_READ, new Echo());
                }
                continue;
            }
            SocketChannel ch = (SocketChannel) k.channel();
            Echo e = (Echo) k.attachment();
            if (k.isReadable() && e.pending.hasRemaining()) {
                int got = ch.read(e.pending);
                if (got < 0) {
                    ch.close();
                    continue;
                }
            }
            e.pending.flip();
            ch.write(e.pending);
            e.pending.compact();
            int ops = (e.pending.position() > 0 ? SelectionKey.OP_WRITE : 0)
                    | (e.pending.hasRemaining() ? SelectionKey.OP_READ : 0);
            k.interestOps(ops);
        }
    }

    /** Returns how many clients finished this round (all their echo read; they stop selecting). */
    private static int clientRound(Selector sel, ByteBuffer in) throws IOException {
        sel.selectNow();
        int finished = 0;
        for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext();) {
            SelectionKey k = it.next();
            it.remove();
            Client c = (Client) k.attachment();
            if (k.isConnectable()) {
                assertTrue(c.ch.finishConnect());
                k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                continue;
            }
            if (k.isWritable()) {
                c.ch.write(c.out);
                if (!c.out.hasRemaining()) {
                    k.interestOps(SelectionKey.OP_READ);
                }
            }
            if (k.isReadable()) {
                int got;
                while ((got = c.ch.read(in.clear())) > 0) {
                    c.got.update(in.array(), 0, got);
                    c.received += got;
                }
                if (c.received == c.size) {
                    k.cancel();
                    finished++;
                }
                assertTrue(got == 0, "the echo server closed early");
            }
        }
        return finished;
    }
}
