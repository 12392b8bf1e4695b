package netkit.tcp;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Net;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;

/**
 * A receiver whose every ACK the test writes: a {@link RawPeer} connects to a listener on stack 1
 * (MSS 1460, no timestamps or window scaling, SACK-permitted or not) and records each data segment
 * the netkit sender sends (sequence numbers relative to its ISN + 1, so the first byte is 0). The
 * test then answers with {@link #ack} (a cumulative ACK and SACK blocks, D-SACK first if it wants),
 * which lets it drive loss recovery through exact ACK patterns.
 */
final class ScriptedReceiver {
    static final int MSS = 1460;
    static final int PORT = 40000;
    /** One data segment seen on the wire, with its TSval (0 without timestamps). */
    record Seg(long seq, int len, long at, boolean fin, int tsVal) {
        long end() {
            return seq + len;
        }
    }

    final TcpHarness h;
    final RawPeer peer;
    final int token; // the accepted socket on stack 1
    final List<Seg> segs = new ArrayList<>();
    private final int window;
    private final int port;
    private final boolean timestamps;
    private int peerTs = 1; // our TSval, one more with each segment (PAWS wants no decrease)
    private volatile int isn; // 0 until the SYN-ACK came (an ISN of 0 would only cost the wait)

    /** Connects from the raw peer to a listener on stack 1 (port {@code port}); accepts. */
    ScriptedReceiver(TcpHarness h, int port, boolean sack, int window) throws Exception {
        this(h, port, sack, window, false);
    }

    /** The same, offering timestamps (RFC 7323) if {@code timestamps}: then ACKs echo what the test says. */
    ScriptedReceiver(TcpHarness h, int port, boolean sack, int window, boolean timestamps) throws Exception {
        this.h = h;
        this.window = window;
        this.timestamps = timestamps;
        peer = new RawPeer(h);
        int l = h.listen(port, 4);
        peer.onSegment = s -> {
            int flags = s[13] & 0x3f;
            if ((flags & TcpHeader.SYN) != 0) {
                isn = Bytes.get32(s, 4);
                return;
            }
            int hl = ((s[12] & 0xff) >>> 4) * 4;
            int len = s.length - hl;
            if (len > 0 || (flags & TcpHeader.FIN) != 0) {
                long seq = (Bytes.get32(s, 4) - isn - 1) & 0xffffffffL;
                netkit.api.wire.TcpOptions o = new netkit.api.wire.TcpOptions();
                o.parse(s, 20, hl - 20);
                segs.add(new Seg(seq, len, h.net.loop.nanoTime(), (flags & TcpHeader.FIN) != 0,
                        o.hasTimestamps ? o.tsVal : 0));
            }
        };
        ByteArrayOutputStream syn = new ByteArrayOutputStream();
        syn.writeBytes(RawPeer.mss(MSS));
        if (sack) {
            syn.writeBytes(new byte[] {1, 1, 4, 2}); // SACK-permitted (RFC 2018 §2)
        }
        if (timestamps) {
            syn.writeBytes(RawPeer.timestamps(peerTs, 0));
        }
        peer.send(PORT, port, 1000, 0, TcpHeader.SYN, window, syn.toByteArray(), 0);
        if (!h.net.loop.runUntil(() -> isn != 0, Duration.ofMillis(100))) {
            throw new AssertionError("no SYN-ACK");
        }
        peer.send(PORT, port, 1001, isn + 1, TcpHeader.ACK, window,
                timestamps ? RawPeer.timestamps(++peerTs, 0) : new byte[0], 0);
        h.run(Duration.ofMillis(50));
        token = h.b.accept(l).token();
        h.b.setsockopt(token, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        this.port = port;
    }

    /** The application on stack 1 writes {@code bytes}. */
    void write(int bytes) throws Exception {
        int n = h.b.send(token, new byte[bytes], 0, bytes, Net.MSG_DONTWAIT);
        if (n != bytes) {
            throw new AssertionError("wrote " + n + " of " + bytes);
        }
    }

    /**
     * An ACK of everything below {@code cumAck} (relative) with SACK blocks given as relative
     * [left, right) pairs, in the order given.
     */
    void ack(long cumAck, long... blocks) {
        ackEcr(0, cumAck, blocks);
    }

    /** The same, echoing {@code tsEcr} when timestamps are on. */
    void ackEcr(int tsEcr, long cumAck, long... blocks) {
        ackTs(++peerTs, tsEcr, cumAck, blocks);
    }

    /** The same with our TSval {@code tsVal} (an ACK overtaken on the way has an older one). */
    void ackTs(int tsVal, int tsEcr, long cumAck, long... blocks) {
        byte[] options = new byte[0];
        if (blocks.length > 0) {
            int n = blocks.length / 2;
            options = new byte[4 + 8 * n];
            options[0] = 1;
            options[1] = 1;
            options[2] = 5;
            options[3] = (byte) (2 + 8 * n);
            for (int i = 0; i < blocks.length; i++) {
                Bytes.put32(options, 4 + 4 * i, (int) (isn + 1 + blocks[i]));
            }
        }
        if (timestamps) {
            byte[] ts = RawPeer.timestamps(tsVal, tsEcr);
            byte[] both = new byte[ts.length + options.length];
            System.arraycopy(ts, 0, both, 0, ts.length);
            System.arraycopy(options, 0, both, ts.length, options.length);
            options = both;
        }
        peer.send(PORT, port, 1001, (int) (isn + 1 + cumAck), TcpHeader.ACK, window, options, 0);
    }

    /** The TSval our last segment carried. */
    int lastTsVal() {
        return peerTs;
    }

    /** Runs the simulated clock until {@code count} data segments have been seen in all (or {@code limit}). */
    void awaitSegments(int count, Duration limit) {
        if (!h.net.loop.runUntil(() -> segs.size() >= count, limit)) {
            throw new AssertionError("saw " + segs.size() + " data segments, not " + count + ", in " + limit);
        }
    }

    /** The segments seen since index {@code from}. */
    List<Seg> since(int from) {
        return List.copyOf(segs.subList(from, segs.size()));
    }
}
