package netkit.soak;

import static netkit.soak.Scenario.WOULD_BLOCK;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.RecvInfo;
import netkit.api.SockAddr;
import netkit.stack.testing.TestNet;

/**
 * Datagrams from a client node to a server node that echoes each one back. A datagram carries
 * (exchange, sequence, length) and bytes derived from them, so every copy that arrives, at the
 * server or back at the client, is checked whole: it arrives intact or not at all (the wire may
 * duplicate it).
 */
final class UdpExchange extends Activity {
    /**
     * Errno values after UDP restarted on either node: ENETDOWN on the detached socket,
     * EPROTONOSUPPORT while it is absent, and a connected client may hear of the absent protocol
     * (ENOPROTOOPT) or port (ECONNREFUSED).
     */
    private static final Set<Errno> AFTER_RESTART = EnumSet.of(Errno.ENETDOWN, Errno.EPROTONOSUPPORT,
            Errno.ECONNREFUSED, Errno.ENOPROTOOPT);

    final int port;
    final int count;
    final boolean connectedClient;
    private final long gapNanos;
    private final int maxSize;
    private final long seed;
    private final byte[] buf = new byte[65_536];
    private final RecvInfo info = new RecvInfo();
    private final BitSet arrived = new BitSet();
    private final BitSet echoed = new BitSet();
    private int cs = -1;
    private int ss = -1;
    private int next;
    private long nextAt;
    private boolean found;
    private boolean failed;

    UdpExchange(Scenario sc, int id, Node client, Node server, Random r) {
        super(sc, id, client, server, false);
        this.port = 20_000 + id;
        this.count = 1 + r.nextInt(40);
        this.connectedClient = r.nextBoolean();
        this.gapNanos = r.nextInt(20_000_000);
        this.maxSize = r.nextInt(5) == 0 ? 6_000 : 1_400;
        this.seed = r.nextLong();
    }

    @Override
    void open() {
        nextAt = sc.now();
        try {
            ss = call("server", Call.SOCKET, () -> server.sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, 0));
            call("server", Call.SETSOCKOPT, () -> {
                server.sockets.setsockopt(ss, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
                return 0;
            });
            call("server", Call.BIND, () -> {
                server.sockets.bind(ss, SockAddr.of(Net.INADDR_ANY, port));
                return 0;
            });
            cs = call("client", Call.SOCKET, () -> client.sockets.socket(Net.AF_INET, Net.SOCK_DGRAM, 0));
            call("client", Call.SETSOCKOPT, () -> {
                client.sockets.setsockopt(cs, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
                return 0;
            });
            if (connectedClient) {
                call("client", Call.CONNECT, () -> {
                    client.sockets.connect(cs, serverAddress());
                    return 0;
                });
            }
        } catch (Failure f) {
            fail(f);
        }
    }

    private SockAddr serverAddress() {
        return SockAddr.of(TestNet.address(server.index), port);
    }

    private int call(String side, Call call, Scenario.Op op) throws Failure {
        return sc.call(call, false, "u" + id + "." + side + "@" + (side.equals("client") ? client : server), op);
    }

    @Override
    void step() {
        if (finished) {
            return;
        }
        long now = sc.now();
        try {
            while (next < count && now >= nextAt) {
                byte[] d = datagram(next);
                int r = connectedClient
                        ? call("client", Call.SEND, () -> client.sockets.send(cs, d, 0, d.length, Net.MSG_DONTWAIT))
                        : call("client", Call.SENDTO,
                                () -> client.sockets.sendto(cs, d, 0, d.length, Net.MSG_DONTWAIT, serverAddress()));
                if (r == WOULD_BLOCK) {
                    break;
                }
                next++;
                sc.tally.datagramsSent++;
                nextAt = now + gapNanos;
            }
            while (true) {
                int r = call("server", Call.RECVFROM,
                        () -> server.sockets.recvfrom(ss, buf, 0, buf.length, Net.MSG_DONTWAIT, info));
                if (r == WOULD_BLOCK) {
                    break;
                }
                int seq = check(r, "at the server");
                if (seq >= 0 && !arrived.get(seq)) {
                    arrived.set(seq);
                    sc.tally.datagramsDelivered++;
                }
                SockAddr from = info.from();
                byte[] copy = java.util.Arrays.copyOf(buf, r);
                call("server", Call.SENDTO, () -> server.sockets.sendto(ss, copy, 0, copy.length, Net.MSG_DONTWAIT, from));
            }
            while (next > 0) {
                int r = connectedClient
                        ? call("client", Call.RECV, () -> client.sockets.recv(cs, buf, 0, buf.length, Net.MSG_DONTWAIT))
                        : call("client", Call.RECVFROM,
                                () -> client.sockets.recvfrom(cs, buf, 0, buf.length, Net.MSG_DONTWAIT, info));
                if (r == WOULD_BLOCK) {
                    break;
                }
                int seq = check(r, "back at the client");
                if (seq >= 0 && !echoed.get(seq)) {
                    echoed.set(seq);
                    sc.tally.datagramsDelivered++;
                }
            }
        } catch (Failure f) {
            fail(f);
            return;
        }
        if (next == count && now - nextAt > 2_000_000_000L) {
            close();
        }
    }

    private void fail(Failure f) {
        if (f.errno != null && !(disturbed && AFTER_RESTART.contains(f.errno))
                && !(f.errno == Errno.EHOSTUNREACH && sc.arpGaveUp())) {
            finding(f.call + " failed with " + f.errno + (disturbed ? " after a UDP restart" : " on an undisturbed exchange"));
        }
        failed = true;
        close();
    }

    private void close() {
        for (int side = 0; side < 2; side++) {
            Node n = side == 0 ? client : server;
            int t = side == 0 ? cs : ss;
            if (t < 0) {
                continue;
            }
            try {
                call(side == 0 ? "client" : "server", Call.CLOSESOCKET, () -> {
                    n.sockets.closesocket(t);
                    return 0;
                });
            } catch (Failure f) {
                finding("closesocket failed with " + f.errno);
            }
        }
        cs = -1;
        ss = -1;
        finished = true;
    }

    /** The sequence number of a datagram received whole and intact, else a finding and -1. */
    private int check(int length, String where) {
        if (length < 12) {
            finding("a " + length + "-byte datagram " + where);
            return -1;
        }
        ByteBuffer h = ByteBuffer.wrap(buf, 0, 12);
        int ex = h.getInt();
        int seq = h.getInt();
        int len = h.getInt();
        if (ex != id || seq < 0 || seq >= next || len != length
                || !java.util.Arrays.equals(buf, 0, length, datagram(seq), 0, length)) {
            finding("a damaged datagram " + where + " (exchange " + ex + " seq " + seq + " length " + len + "/" + length + ")");
            return -1;
        }
        return seq;
    }

    /** Datagram {@code seq}: its header, then bytes that depend on the exchange's seed and seq. */
    private byte[] datagram(int seq) {
        Random r = new Random(seed * 31 + seq);
        int len = 12 + r.nextInt(maxSize - 11);
        byte[] d = new byte[len];
        r.nextBytes(d);
        ByteBuffer.wrap(d).putInt(id).putInt(seq).putInt(len);
        return d;
    }

    private void finding(String what) {
        if (!found) {
            found = true;
            sc.finding(describe() + ": " + what);
        }
    }

    @Override
    String describe() {
        return "UDP exchange " + id + " " + client + "->" + server + ":" + port + " " + count + " datagrams"
                + (connectedClient ? " (connected)" : "") + (disturbed ? " (UDP restarted)" : "")
                + (failed ? "" : "");
    }
}
