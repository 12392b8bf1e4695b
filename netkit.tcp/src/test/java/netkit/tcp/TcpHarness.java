package netkit.tcp;

import static netkit.api.Net.AF_INET;
import static netkit.api.Net.SOCK_STREAM;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.SocketManager;
import netkit.api.TokenSet;
import netkit.api.stats.TcpCounter;
import netkit.icmp.IcmpProtocol;
import netkit.stack.Stack;
import netkit.stack.testing.TestNet;

/**
 * Two stacks with TCP on a simulated wire, driven with non-blocking calls while the test moves
 * simulated time: deterministic for a given seed.
 */
final class TcpHarness {
    final TestNet net;
    final TcpProtocol tcpA;
    final TcpProtocol tcpB;
    final SocketManager a;
    final SocketManager b;

    TcpHarness() {
        this(TcpSettings.defaults());
    }

    TcpHarness(TcpSettings settings) {
        this(settings, 1500);
    }

    TcpHarness(TcpSettings settings, int mtu) {
        net = new TestNet(2, netkit.stack.StackSettings.defaults(), mtu);
        tcpA = new Recorded(settings);
        tcpB = new Recorded(settings);
        stack(0).addProtocol(tcpA);
        stack(1).addProtocol(tcpB);
        stack(0).addProtocol(new IcmpProtocol());
        stack(1).addProtocol(new IcmpProtocol());
        a = stack(0).sockets("a");
        b = stack(1).sockets("b");
    }

    Stack stack(int i) {
        return net.stack(i);
    }

    /** TCP as attached to stack {@code i} (0: A, 1: B), for tests that look inside. */
    TcpInstance instance(int i) {
        return ((Recorded) (i == 0 ? tcpA : tcpB)).instance;
    }

    /** TCP that remembers the instance it attached. */
    private static final class Recorded extends TcpProtocol {
        TcpInstance instance;

        Recorded(TcpSettings settings) {
            super(settings);
        }

        @Override
        public netkit.api.spi.protocol.ProtocolInstance attach(netkit.api.spi.protocol.StackContext stack) {
            instance = (TcpInstance) super.attach(stack);
            return instance;
        }
    }

    static SockAddr addr(int i, int port) {
        return SockAddr.of(TestNet.address(i), port);
    }

    void run(Duration d) {
        net.run(d);
    }

    long counter(int stack, TcpCounter counter) {
        return stack(stack).admin().statistics().tcp().get(counter);
    }

    /** A non-blocking listener on B. */
    int listen(int port, int backlog) throws ErrnoException {
        int l = b.socket(AF_INET, SOCK_STREAM, 0);
        b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        b.bind(l, SockAddr.of(0, port));
        b.listen(l, backlog);
        return l;
    }

    /** A non-blocking connect from A; returns the token (connect is under way). */
    int connect(int port) throws ErrnoException {
        int s = a.socket(AF_INET, SOCK_STREAM, 0);
        a.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        try {
            a.connect(s, addr(1, port));
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINPROGRESS) {
                throw e;
            }
        }
        return s;
    }

    /** Runs until A's socket is writable (connected or failed); returns SO_ERROR. */
    int awaitConnect(int s, Duration limit) throws ErrnoException {
        boolean done = net.loop.runUntil(() -> {
            try {
                return a.select(null, TokenSet.of(s), null, Duration.ZERO) > 0;
            } catch (ErrnoException e) {
                return true;
            }
        }, limit);
        if (!done) {
            throw new AssertionError("connect did not finish in " + limit);
        }
        return a.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR);
    }

    /** A connected pair: [client token on A, accepted token on B]. */
    int[] pair(int port) throws ErrnoException {
        int l = listen(port, 16);
        int c = connect(port);
        if (awaitConnect(c, Duration.ofSeconds(5)) != 0) {
            throw new AssertionError("connect failed");
        }
        run(Duration.ofMillis(10));
        int s = b.accept(l).token();
        b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        return new int[] {c, s};
    }

    /**
     * Sends {@code data} from {@code from} to {@code to} and reads everything until end of stream
     * (the sender shuts down writing), moving simulated time as needed.
     */
    byte[] transfer(SocketManager from, int fs, SocketManager to, int ts, byte[] data, Duration limit) {
        Flow f = new Flow(from, fs, to, ts, data);
        pump(limit, f);
        return f.got.toByteArray();
    }

    /** One direction of a transfer, pumped a step at a time. */
    final class Flow {
        final SocketManager from;
        final int fs;
        final SocketManager to;
        final int ts;
        final byte[] data;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        int sent;
        boolean shut;
        boolean eof;
        private final byte[] buf = new byte[64 * 1024];

        Flow(SocketManager from, int fs, SocketManager to, int ts, byte[] data) {
            this.from = from;
            this.fs = fs;
            this.to = to;
            this.ts = ts;
            this.data = data;
        }

        void step() throws ErrnoException {
            if (sent < data.length) {
                try {
                    sent += from.send(fs, data, sent, data.length - sent, Net.MSG_DONTWAIT);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EWOULDBLOCK) {
                        throw e;
                    }
                }
            } else if (!shut) {
                from.shutdown(fs, Net.SHUT_WR);
                shut = true;
            }
            while (!eof) {
                int n;
                try {
                    n = to.recv(ts, buf, 0, buf.length, Net.MSG_DONTWAIT);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EWOULDBLOCK) {
                        throw e;
                    }
                    break;
                }
                if (n == 0) {
                    eof = true;
                } else {
                    got.write(buf, 0, n);
                }
            }
        }
    }

    /** Runs several flows at once on the one simulated clock until every one reached end of stream. */
    void pump(Duration limit, Flow... flows) {
        boolean ok = net.loop.runUntil(() -> {
            boolean all = true;
            for (Flow f : flows) {
                try {
                    f.step();
                } catch (ErrnoException e) {
                    throw new AssertionError("transfer failed: " + e.getMessage(), e);
                }
                all &= f.eof;
            }
            return all;
        }, limit);
        if (!ok) {
            StringBuilder sb = new StringBuilder("transfers did not finish in " + limit + ":");
            for (Flow f : flows) {
                sb.append(" sent ").append(f.sent).append('/').append(f.data.length).append(" got ")
                        .append(f.got.size()).append(';');
            }
            throw new AssertionError(sb.toString());
        }
    }

    static String sha256(byte[] d) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
