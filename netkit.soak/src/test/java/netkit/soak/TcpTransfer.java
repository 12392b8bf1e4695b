package netkit.soak;

import static netkit.soak.Scenario.WOULD_BLOCK;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.SockAddr;
import netkit.api.TokenSet;
import netkit.stack.testing.TestNet;

/**
 * One TCP connection from a client node to a listener of its own on the server node, data both
 * ways, ended in one of four ways. Every byte received is compared with the byte sent at that
 * offset as it arrives, and at the end of each stream the SHA-256 of everything received with that
 * of everything sent.
 */
final class TcpTransfer extends Activity {
    /** How the connection ends. */
    enum Mode {
        /** Both send, shut down writing, read to end of stream, close. */
        GRACEFUL,
        /** The client sends and closes at once (close races its own data and FIN); the server only reads. */
        CLIENT_CLOSES,
        /** The server sends and closes at once; the client only reads. */
        SERVER_CLOSES,
        /** One side aborts (SO_LINGER 0) after a random number of bytes: the other must see a reset or finish. */
        ABORT
    }

    /** Errno values a side may get once its peer aborted. */
    private static final Set<Errno> AFTER_ABORT = EnumSet.of(Errno.ECONNRESET, Errno.EPIPE);
    /**
     * Errno values after TCP restarted on either node: ENETDOWN on the detached socket,
     * EPROTONOSUPPORT/ECONNREFUSED while it is absent, ECONNRESET/EPIPE from the reset of the peer.
     */
    private static final Set<Errno> AFTER_RESTART = EnumSet.of(Errno.ENETDOWN, Errno.EPROTONOSUPPORT,
            Errno.ECONNREFUSED, Errno.ECONNRESET, Errno.EPIPE);

    final Mode mode;
    final int port;
    final End c;
    final End s;
    private int listener = -1;
    private boolean accepted;
    private boolean connected;
    private long lastProgress;
    private boolean gaveUp;
    private boolean found;

    /** One side: its socket, what it sends and what it must receive. */
    final class End {
        final String name;
        final Node node;
        final byte[] out;
        final byte[] in;
        final int chunk;
        final byte[] buf;
        /** Whether it received a checksum-blind corruption ({@link Scenario#checksumBlind}). */
        boolean blind;
        int token = -1;
        int sent;
        int got;
        boolean shut;
        boolean eof;
        boolean closed;
        boolean done;
        boolean aborted;
        boolean closeAfterSend;
        long abortAt = -1;
        int sndbuf;
        int rcvbuf;
        boolean nodelay;
        Failure failure;
        final MessageDigest digest = Scenario.sha256();
        End peer;

        End(String name, Node node, byte[] out, byte[] in, Random r) {
            this.name = "t" + id + "." + name + "@" + node;
            this.node = node;
            this.out = out;
            this.in = in;
            this.chunk = 1 + r.nextInt(r.nextBoolean() ? 1500 : 65536);
            this.buf = new byte[512 + r.nextInt(65536)];
        }

        int call(Call call, Scenario.Op op) throws Failure {
            return sc.call(call, true, name, op);
        }

        void options() throws Failure {
            call(Call.SETSOCKOPT, () -> set(Net.SOL_SOCKET, Net.SO_NONBLOCK, 1));
            if (sndbuf > 0) {
                call(Call.SETSOCKOPT, () -> set(Net.SOL_SOCKET, Net.SO_SNDBUF, sndbuf));
            }
            if (rcvbuf > 0) {
                call(Call.SETSOCKOPT, () -> set(Net.SOL_SOCKET, Net.SO_RCVBUF, rcvbuf));
            }
            if (nodelay) {
                call(Call.SETSOCKOPT, () -> set(Net.IPPROTO_TCP, Net.TCP_NODELAY, 1));
            }
        }

        private int set(int level, int option, int value) throws netkit.api.ErrnoException {
            node.sockets.setsockopt(token, level, option, value);
            return 0;
        }

        void step() throws Failure {
            if (closed) {
                return;
            }
            if (abortAt >= 0 && sent + got >= abortAt) {
                call(Call.SETSOCKOPT, () -> set(Net.SOL_SOCKET, Net.SO_LINGER, 0));
                aborted = true;
                close();
                return;
            }
            while (sent < out.length) {
                int n = Math.min(chunk, out.length - sent);
                int r = call(Call.SEND, () -> node.sockets.send(token, out, sent, n, Net.MSG_DONTWAIT));
                if (r == WOULD_BLOCK) {
                    break;
                }
                sent += r;
                progress();
            }
            if (sent == out.length && !shut) {
                if (closeAfterSend) {
                    done = true;
                    close();
                    return;
                }
                call(Call.SHUTDOWN, () -> {
                    node.sockets.shutdown(token, Net.SHUT_WR);
                    return 0;
                });
                shut = true;
            }
            while (!eof) {
                int r = call(Call.RECV, () -> node.sockets.recv(token, buf, 0, buf.length, Net.MSG_DONTWAIT));
                if (r == WOULD_BLOCK) {
                    break;
                }
                progress();
                if (r == 0) {
                    eof = true;
                    if (got != in.length) {
                        finding("end of stream after " + got + " of " + in.length + " bytes");
                    } else if (!MessageDigest.isEqual(digest.digest(), Scenario.sha256(in))) {
                        finding("SHA-256 of the " + got + " bytes received differs from what was sent");
                    } else {
                        sc.tally.bytes += got;
                    }
                    break;
                }
                if (got + r <= in.length && Scenario.checksumBlind(buf, r, in, got)) {
                    // Two bit errors that cancel in the ones'-complement sum (RFC 1071): no
                    // transport checksum can see them (Linux accepts them too); a real link's CRC
                    // would have. Counted, not a finding; the transfer ends here.
                    blind = true;
                    eof = true;
                    break;
                }
                if (got + r > in.length || !Arrays.equals(buf, 0, r, in, got, got + r)) {
                    finding("bytes " + got + ".." + (got + r) + " differ from those sent (" + in.length + " sent)"
                            + Scenario.firstDifference(buf, r, in, got));
                    eof = true;
                    break;
                }
                digest.update(buf, 0, r);
                got += r;
            }
            if (shut && eof) {
                done = true;
                close();
            }
        }

        void fail(Failure f) {
            if (failure == null && !closed) {
                failure = f;
                if (f.errno != null) {
                    boolean allowed = disturbed && AFTER_RESTART.contains(f.errno)
                            || peer.aborted && AFTER_ABORT.contains(f.errno)
                            || (blind || peer.blind) && AFTER_ABORT.contains(f.errno) // it stopped reading
                            || f.errno == Errno.ETIMEDOUT && sc.arpPoisonedOrGaveUp()
                            || f.errno == Errno.EHOSTUNREACH && f.call == Call.CONNECT_RESULT && sc.arpGaveUp();
                    if (!allowed) {
                        finding(f.call + " failed with " + f.errno + (disturbed ? " after a TCP restart"
                                : peer.aborted ? " after the peer aborted" : " on an undisturbed connection"));
                    }
                }
            }
            close();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (token >= 0) {
                try {
                    call(Call.CLOSESOCKET, () -> {
                        node.sockets.closesocket(token);
                        return 0;
                    });
                } catch (Failure f) {
                    finding("closesocket failed with " + f.errno); // even a detached socket closes
                }
            }
        }

        void abortClose() {
            if (!closed && token >= 0) {
                try {
                    call(Call.SETSOCKOPT, () -> set(Net.SOL_SOCKET, Net.SO_LINGER, 0));
                } catch (Failure f) {
                    // detached: the close below still frees it
                }
            }
            close();
        }

        String state() {
            return name + " sent " + sent + "/" + out.length + " got " + got + "/" + in.length
                    + (shut ? " shut" : "") + (eof ? " eof" : "") + (closed ? " closed" : "")
                    + (failure != null ? " " + failure.getMessage() : "");
        }
    }

    TcpTransfer(Scenario sc, int id, Node client, Node server, Random r) {
        super(sc, id, client, server, true);
        this.port = 10_000 + id;
        int k = r.nextInt(100);
        mode = k < 50 ? Mode.GRACEFUL : k < 65 ? Mode.CLIENT_CLOSES : k < 80 ? Mode.SERVER_CLOSES : Mode.ABORT;
        byte[] up = mode == Mode.SERVER_CLOSES ? new byte[0] : Scenario.bytes(r, sc.size(r));
        byte[] down = mode == Mode.CLIENT_CLOSES ? new byte[0] : Scenario.bytes(r, sc.size(r));
        c = new End("client", client, up, down, r);
        s = new End("server", server, down, up, r);
        c.peer = s;
        s.peer = c;
        c.closeAfterSend = mode == Mode.CLIENT_CLOSES;
        s.closeAfterSend = mode == Mode.SERVER_CLOSES;
        if (mode == Mode.ABORT) {
            End aborter = r.nextBoolean() ? c : s;
            aborter.abortAt = r.nextInt(up.length + down.length + 1);
        }
        for (End e : new End[] {c, s}) {
            if (r.nextInt(4) == 0) {
                e.sndbuf = 512 + r.nextInt(16_384);
            }
            if (r.nextInt(4) == 0) {
                e.rcvbuf = 512 + r.nextInt(16_384);
            }
            e.nodelay = r.nextBoolean();
        }
    }

    @Override
    void open() {
        sc.tally.transfers++;
        lastProgress = sc.now();
        try {
            listener = s.call(Call.SOCKET, () -> server.sockets.socket(Net.AF_INET, Net.SOCK_STREAM, 0));
            int l = listener;
            s.call(Call.SETSOCKOPT, () -> {
                server.sockets.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
                return 0;
            });
            if (s.rcvbuf > 0) {
                s.call(Call.SETSOCKOPT, () -> {
                    server.sockets.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVBUF, s.rcvbuf);
                    return 0;
                });
            }
            s.call(Call.BIND, () -> {
                server.sockets.bind(l, SockAddr.of(Net.INADDR_ANY, port));
                return 0;
            });
            s.call(Call.LISTEN, () -> {
                server.sockets.listen(l, 1);
                return 0;
            });
        } catch (Failure f) {
            closeListener();
            s.fail(f);
        }
        try {
            c.token = c.call(Call.SOCKET, () -> client.sockets.socket(Net.AF_INET, Net.SOCK_STREAM, 0));
            c.options();
            c.call(Call.CONNECT, () -> {
                client.sockets.connect(c.token, SockAddr.of(TestNet.address(server.index), port));
                return 0;
            });
        } catch (Failure f) {
            c.fail(f);
        }
    }

    @Override
    void step() {
        if (finished) {
            return;
        }
        if (!accepted && listener >= 0) {
            try {
                int t = s.call(Call.ACCEPT, () -> server.sockets.accept(listener).token());
                if (t != WOULD_BLOCK) {
                    s.token = t;
                    accepted = true;
                    progress();
                    closeListener();
                    s.options();
                }
            } catch (Failure f) {
                closeListener();
                s.fail(f);
            }
        }
        if (!connected && !c.closed) {
            try {
                TokenSet w = TokenSet.of(c.token);
                int ready = c.call(Call.SELECT, () -> client.sockets.select(null, w, null, java.time.Duration.ZERO));
                if (ready > 0) {
                    int err = c.call(Call.GETSOCKOPT,
                            () -> client.sockets.getsockopt(c.token, Net.SOL_SOCKET, Net.SO_ERROR));
                    if (err != 0) {
                        throw sc.failed(Call.CONNECT_RESULT, Errno.of(err), true, c.name);
                    }
                    connected = true;
                    progress();
                }
            } catch (Failure f) {
                c.fail(f);
            }
        }
        for (End e : new End[] {c, s}) {
            if ((e == c ? connected : accepted) && !e.closed) {
                try {
                    e.step();
                } catch (Failure f) {
                    e.fail(f);
                }
            }
        }
        if (c.closed && !accepted && listener >= 0 && sc.now() - lastProgress > Scenario.QUIET_NANOS / 4) {
            closeListener(); // the client is gone before it was accepted: nobody will come
            s.closed = true;
        }
        if (!c.closed || !s.closed) {
            if (sc.now() - lastProgress > Scenario.QUIET_NANOS) {
                giveUp();
            }
            return;
        }
        finish();
    }

    private void giveUp() {
        gaveUp = true;
        boolean excused = disturbed || c.aborted || s.aborted || c.failure != null || s.failure != null
                || sc.arpPoisonedOrGaveUp();
        if (!excused) {
            finding("no progress for " + Scenario.QUIET_NANOS / 1_000_000_000L + " s: " + c.state() + "; "
                    + s.state() + "; " + sc.netstat());
        }
        closeListener();
        c.abortClose();
        s.abortClose();
        s.closed = true;
        finish();
    }

    private void finish() {
        finished = true;
        if (found) {
            return;
        }
        if (c.blind || s.blind) {
            sc.tally.checksumBlindCorruptions++;
        } else if (gaveUp) {
            sc.tally.transfersGivenUp++;
        } else if (c.done && s.done && c.failure == null && s.failure == null) {
            sc.tally.transfersCompleted++;
        } else {
            sc.tally.transfersFailedAsExpected++;
        }
    }

    private void closeListener() {
        if (listener >= 0) {
            int l = listener;
            listener = -1;
            try {
                s.call(Call.CLOSESOCKET, () -> {
                    server.sockets.closesocket(l);
                    return 0;
                });
            } catch (Failure f) {
                finding("closing the listener failed with " + f.errno);
            }
        }
    }

    private void progress() {
        lastProgress = sc.now();
    }

    private void finding(String what) {
        found = true;
        sc.finding(describe() + ": " + what);
    }

    @Override
    String describe() {
        return "TCP transfer " + id + " " + client + "->" + server + ":" + port + " " + mode + " up " + c.out.length
                + " B down " + s.out.length + " B" + (c.abortAt >= 0 ? " client aborts at " + c.abortAt : "")
                + (s.abortAt >= 0 ? " server aborts at " + s.abortAt : "") + (disturbed ? " (TCP restarted)" : "");
    }
}
