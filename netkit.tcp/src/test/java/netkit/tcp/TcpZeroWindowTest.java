package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.8.6.1 and RFC 1122 §4.2.2.17 (MUST-37, issue #12): a sender facing a zero window
 * keeps the connection open indefinitely as long as the receiver answers its probes; only
 * unanswered probes count toward giving up. Hours of simulated time, no wall time.
 */
class TcpZeroWindowTest {
    private final TcpHarness h = new TcpHarness();
    private final RawPeer peer = new RawPeer(h);
    private int isn;
    /** The highest sequence number the peer acknowledges (relative to B's ISN + 1). */
    private int acked;
    private int window;
    private boolean answering = true;
    private int fromB;
    private int s;

    /** The peer connects to B:80 with a 1000-byte window, no timestamps; B's socket accepts it. */
    private void connect(int peerWindow) throws Exception {
        int l = h.listen(80, 4);
        peer.onSegment = seg -> {
            int flags = seg[13] & 0x3f;
            if ((flags & TcpHeader.SYN) != 0) {
                isn = Bytes.get32(seg, 4);
                return;
            }
            fromB++;
            if (answering && (flags & TcpHeader.RST) == 0) {
                peer.send(40000, 80, 1001, isn + 1 + acked, TcpHeader.ACK, window, new byte[0], 0);
            }
        };
        window = peerWindow;
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, peerWindow, RawPeer.mss(1460), 0);
        h.run(Duration.ofMillis(10));
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK, peerWindow, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        s = h.b.accept(l).token();
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
    }

    private int error() throws Exception {
        return h.b.getsockopt(s, Net.SOL_SOCKET, Net.SO_ERROR);
    }

    /**
     * Data outstanding when the window closes: the peer takes 500 of 1000 bytes sent and shrinks
     * its window to zero, then answers every retransmission with that. Before: ETIMEDOUT after
     * 15 "retransmissions", about 925 s, although each was answered.
     */
    @Test
    void answeredProbesKeepAConnectionWithDataOutstandingAliveForHours() throws Exception {
        connect(1000);
        acked = 0;
        window = 1000;
        h.b.send(s, new byte[3000], 0, 3000, 0);
        h.run(Duration.ofMillis(1));
        acked = 500;
        window = 0;
        peer.send(40000, 80, 1001, isn + 1 + acked, TcpHeader.ACK, 0, new byte[0], 0);
        h.run(Duration.ofHours(3));
        assertEquals(0, error(), "still connected after 3 hours of a closed window");
        int probes = fromB;
        assertTrue(probes > 80 && probes < 200, "probes every 2 minutes at most: " + probes);
        answering = false; // the peer goes away
        h.run(Duration.ofHours(1));
        assertEquals(Errno.ETIMEDOUT.number(), error(), "unanswered probes end it");
        assertEquals(1, h.counter(1, TcpCounter.ABORT_ON_TIMEOUT));
    }

    /**
     * The peer opens its window again after hours: the data outstanding and the rest follow.
     */
    @Test
    void theTransferResumesWhenTheWindowOpens() throws Exception {
        connect(1000);
        h.b.send(s, new byte[3000], 0, 3000, 0);
        h.run(Duration.ofMillis(1));
        acked = 500;
        window = 0;
        peer.send(40000, 80, 1001, isn + 1 + acked, TcpHeader.ACK, 0, new byte[0], 0);
        h.run(Duration.ofHours(2));
        // The peer now takes everything: it acknowledges what arrives in order.
        int[] next = {500};
        peer.onSegment = seg -> {
            if ((seg[13] & TcpHeader.RST) != 0) {
                return;
            }
            int hl = ((seg[12] & 0xff) >>> 4) * 4;
            int rel = Bytes.get32(seg, 4) - (isn + 1);
            if (rel == next[0]) {
                next[0] += seg.length - hl;
            }
            peer.send(40000, 80, 1001, isn + 1 + next[0], TcpHeader.ACK, 65535, new byte[0], 0);
        };
        peer.send(40000, 80, 1001, isn + 1 + 500, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofSeconds(5));
        assertEquals(3000, next[0], "all data delivered");
        assertEquals(0, error());
    }

    /**
     * No data outstanding (everything sent was acknowledged, more is queued): the persist timer's
     * probes must stop when they go unanswered. Before: it probed for ever.
     */
    @Test
    void unansweredPersistProbesEndTheConnection() throws Exception {
        connect(1000);
        h.b.send(s, new byte[3000], 0, 3000, 0);
        h.run(Duration.ofMillis(1));
        acked = 1000;
        window = 0;
        peer.send(40000, 80, 1001, isn + 1 + acked, TcpHeader.ACK, 0, new byte[0], 0);
        h.run(Duration.ofHours(3));
        assertEquals(0, error(), "answered: alive");
        answering = false;
        h.run(Duration.ofHours(1));
        assertEquals(Errno.ETIMEDOUT.number(), error(), "unanswered persist probes end it");
        assertEquals(1, h.counter(1, TcpCounter.ABORT_ON_TIMEOUT));
    }

    /**
     * Only our FIN outstanding into a zero window (the application shut down writing once the peer's
     * window was exactly full): the receiver must answer the FIN it cannot take with an ACK, and
     * the sender must not count those answered FINs as failed retransmissions.
     */
    @Test
    void aFinIntoAClosedWindowOfAStackIsAnsweredAndTheConnectionLives() throws Exception {
        TcpHarness two = new TcpHarness();
        int l = two.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        two.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        two.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVBUF, 16 * 1024);
        two.b.bind(l, netkit.api.SockAddr.of(0, 80));
        two.b.listen(l, 4);
        int c = two.connect(80);
        assertEquals(0, two.awaitConnect(c, Duration.ofSeconds(5)));
        two.run(Duration.ofMillis(10));
        int acc = two.b.accept(l).token();
        // Exactly the window: 16 KiB, all of it acknowledged with a zero window.
        assertEquals(16 * 1024, two.a.send(c, new byte[16 * 1024], 0, 16 * 1024, Net.MSG_DONTWAIT));
        two.run(Duration.ofSeconds(1));
        two.a.shutdown(c, Net.SHUT_WR);
        two.run(Duration.ofHours(3));
        assertEquals(0, two.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR), "alive after 3 hours");
        byte[] buf = new byte[64 * 1024];
        int got = 0;
        two.b.setsockopt(acc, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        for (int i = 0; i < 600; i++) { // the FIN follows by the (backed-off) retransmission timer
            int n;
            try {
                n = two.b.recv(acc, buf, 0, buf.length, 0);
            } catch (netkit.api.ErrnoException e) {
                assertEquals(Errno.EWOULDBLOCK, e.errno());
                two.run(Duration.ofSeconds(1));
                continue;
            }
            if (n == 0) {
                break;
            }
            got += n;
        }
        assertEquals(16 * 1024, got, "all data, then the FIN, once B reads");
    }
}
