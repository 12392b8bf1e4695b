package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;
import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.spi.protocol.SocketOptions;
import netkit.stack.Stack;
import netkit.stack.StackSettings;
import netkit.stack.socket.Owner;
import netkit.stack.socket.SocketTable;
import netkit.stack.testing.BlockingCall;
import netkit.stack.testing.TestNet;
import org.junit.jupiter.api.Test;

/**
 * Accept and the token table (issue #12, tokens; issue #10, one bundle exhausting sockets): a
 * blocked accept holds no table slot, an accept over the table or the owner's quota gives EMFILE
 * and leaves the connection queued (as Linux does), failed accepts do not bring a closed token back
 * early, and one owner over its quota does not stop another from accepting and transferring.
 */
class AcceptQuotaTest {
    /** A client stack and a server stack with TCP on a simulated wire. */
    private static final class Fixture {
        final TestNet net;
        final SocketManager client;

        Fixture(StackSettings serverSettings) {
            net = new TestNet(2, serverSettings, 1500);
            net.stack(0).addProtocol(new TcpProtocol());
            net.stack(1).addProtocol(new TcpProtocol());
            client = net.stack(0).sockets("client");
        }

        Stack server() {
            return net.stack(1);
        }

        SocketManager serverOwner(String bundle, long id) {
            return server().sockets(new Owner(bundle + " [" + id + "]", id, bundle));
        }

        /** A connection from the client stack to the server's {@code port}, handshake completed. */
        int connect(int port) throws ErrnoException {
            int c = client.socket(AF_INET, SOCK_STREAM, 0);
            client.setsockopt(c, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
            assertEquals(Errno.EINPROGRESS, errno(() -> client.connect(c, SockAddr.of(TestNet.address(1), port))));
            net.run(Duration.ofMillis(50));
            assertEquals(0, client.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR));
            assertEquals(1, client.select(null, TokenSet.of(c), null, Duration.ZERO), "connected");
            return c;
        }

        /** Bytes from the client's {@code c} arrive at the server's {@code s}, and back. */
        void transfer(int c, SocketManager server, int s) throws ErrnoException {
            server.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
            byte[] hello = "hello".getBytes();
            assertEquals(5, client.send(c, hello, 0, 5, 0));
            net.run(Duration.ofMillis(50));
            byte[] got = new byte[16];
            assertEquals(5, server.recv(s, got, 0, 16, 0));
            assertArrayEquals(hello, java.util.Arrays.copyOf(got, 5));
            assertEquals(5, server.send(s, got, 0, 5, 0));
            net.run(Duration.ofMillis(50));
            assertEquals(5, client.recv(c, new byte[16], 0, 16, 0));
        }
    }

    private static int listener(SocketManager api, int port, boolean nonBlocking) throws ErrnoException {
        int l = api.socket(AF_INET, SOCK_STREAM, 0);
        if (nonBlocking) {
            api.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        }
        api.bind(l, SockAddr.of(0, port));
        api.listen(l, 8);
        return l;
    }

    @Test
    void aBlockedAcceptHoldsNoSlotAndEmfileLeavesTheConnectionQueued() throws Exception {
        Fixture t = new Fixture(StackSettings.builder().maxSockets(2).socketsPerOwner(2).build());
        SocketManager server = t.serverOwner("server", 5);
        SocketManager other = t.serverOwner("other", 6);
        int l = listener(server, 80, false);
        BlockingCall<Integer> accept = BlockingCall.start(t.server(), () -> server.accept(l).token());
        accept.awaitBlocked();
        int o = other.socket(AF_INET, SOCK_STREAM, 0); // before: EMFILE, the blocked accept held the slot
        int c = t.connect(80);
        assertEquals(Errno.EMFILE, accept.joinFailure().errno(), "the table filled while accept waited");
        assertEquals(1, server.select(TokenSet.of(l), null, null, Duration.ZERO), "the connection stays queued");
        assertEquals(Errno.EMFILE, errno(() -> server.accept(l)), "still no room: still queued");
        other.closesocket(o);
        int s = server.accept(l).token();
        t.transfer(c, server, s);
    }

    @Test
    void aBlockedAcceptSleepsThroughOtherSocketsWakeUpsAndTimesOut() throws Exception {
        Fixture t = new Fixture(StackSettings.builder().maxSockets(16).socketsPerOwner(2).build());
        SocketManager server = t.serverOwner("server", 5);
        int l = listener(server, 80, false);
        server.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVTIMEO, 1000);
        long start = t.net.loop.nanoTime();
        BlockingCall<Integer> accept = BlockingCall.start(t.server(), () -> server.accept(l).token());
        accept.awaitBlocked();
        server.socket(AF_INET, SOCK_STREAM, 0); // the owner is at its quota, but nothing waits to be accepted
        SocketManager other = t.serverOwner("other", 6);
        listener(other, 81, true);
        t.connect(81); // readiness changes on the stack wake every waiter
        accept.awaitBlocked();
        t.net.run(Duration.ofMillis(1000));
        assertEquals(Errno.EWOULDBLOCK, accept.joinFailure().errno(), "SO_RCVTIMEO, not EMFILE");
        long waited = accept.returnedAt() - start;
        assertTrue(waited >= 1_000_000_000L && waited <= t.net.loop.nanoTime() - start,
                "returned at the deadline (or when it next got the lock), after " + waited + " ns");
    }

    @Test
    void anAcceptOverTheBufferQuotaGivesEnobufsAndLeavesTheConnectionQueued() throws Exception {
        Fixture t = new Fixture(StackSettings.builder().maxSockets(16).socketsPerOwner(10)
                .bufferBytesPerOwner(4L * SocketOptions.DEFAULT_BUFFER).build());
        SocketManager server = t.serverOwner("server", 5);
        int l = listener(server, 80, true);
        int other = server.socket(AF_INET, SOCK_STREAM, 0); // with the listener: the whole buffer quota
        int c = t.connect(80);
        assertEquals(Errno.ENOBUFS, errno(() -> server.accept(l)), "the child would inherit 512 KiB of buffers");
        assertEquals(1, server.select(TokenSet.of(l), null, null, Duration.ZERO), "the connection stays queued");
        server.closesocket(other);
        t.transfer(c, server, server.accept(l).token());
    }

    @Test
    void failedAcceptsDoNotBringAClosedTokenBackEarly() throws Exception {
        Fixture t = new Fixture(StackSettings.defaults());
        SocketManager server = t.serverOwner("server", 5);
        int stale = server.socket(AF_INET, SOCK_STREAM, 0);
        int l = listener(server, 80, true);
        server.closesocket(stale);
        SocketTable table = t.server().socketLayer().table();
        // a poller's failed accepts, as many as there are free tokens ahead of the closed one
        int ahead = table.space() - table.open() - 1;
        for (int i = 0; i < ahead; i++) {
            assertEquals(Errno.EWOULDBLOCK, errno(() -> server.accept(l)));
        }
        for (int i = 0; i < 100; i++) {
            int s = server.socket(AF_INET, SOCK_STREAM, 0);
            assertNotEquals(stale, s, "creation " + i + " got the closed token back");
            server.closesocket(s);
        }
    }

    @Test
    void anOwnerOverItsQuotaCannotAcceptWhileAnotherAcceptsAndTransfers() throws Exception {
        Fixture t = new Fixture(StackSettings.builder().maxSockets(16).socketsPerOwner(4).build());
        SocketManager greedy = t.serverOwner("greedy", 5);
        SocketManager polite = t.serverOwner("polite", 6);
        int gl = listener(greedy, 80, true);
        int[] held = new int[3];
        for (int i = 0; i < 3; i++) {
            held[i] = greedy.socket(AF_INET, SOCK_STREAM, 0);
        }
        assertEquals(Errno.EMFILE, errno(() -> greedy.socket(AF_INET, SOCK_STREAM, 0)));
        assertEquals(Errno.ENOBUFS, errno(() -> greedy.setsockopt(held[0], Net.SOL_SOCKET, Net.SO_SNDBUF, 1 << 20)),
                "four default sockets fill the buffer quota");
        int gc = t.connect(80);
        assertEquals(Errno.EMFILE, errno(() -> greedy.accept(gl)));
        assertEquals(1, greedy.select(TokenSet.of(gl), null, null, Duration.ZERO), "the connection stays queued");

        int pl = listener(polite, 81, true);
        int pc = t.connect(81);
        int ps = polite.accept(pl).token();
        t.transfer(pc, polite, ps);

        greedy.closesocket(held[0]);
        int gs = greedy.accept(gl).token();
        t.transfer(gc, greedy, gs);
    }
}
