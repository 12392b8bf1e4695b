package netkit.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.ErrnoException;
import netkit.api.Net;
import netkit.api.admin.SocketStatus;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * TIME_WAIT under connection churn (#13): a closed connection in TIME_WAIT keeps a compact record
 * (Linux's {@code tcp_timewait_sock}), not its control block and buffers; the record still answers
 * as RFC 9293 §3.10.7.4, RFC 1337 and RFC 6191 say; at most {@code maxTimeWait} are kept; and a
 * connect loop to one destination reuses ports and TIME_WAIT 4-tuples instead of running out.
 */
class TcpTimeWaitTest {

    /** One connect/accept/close cycle to B:80, A closing first (A ends in TIME_WAIT), about 2 ms. */
    private static void cycle(TcpHarness h, int listener) throws ErrnoException {
        int c = h.connect(80);
        h.run(Duration.ofMillis(1));
        assertEquals(0, h.a.getsockopt(c, Net.SOL_SOCKET, Net.SO_ERROR));
        int s = h.b.accept(listener).token();
        h.a.closesocket(c);
        h.run(Duration.ofMillis(1));
        h.b.closesocket(s);
        h.run(Duration.ofMillis(0));
    }

    private static List<SocketStatus> timeWaitRows(TcpHarness h, int stack) {
        List<SocketStatus> out = new ArrayList<>();
        for (SocketStatus s : h.stack(stack).admin().sockets()) {
            if (s.protocol().equals("tcp") && s.state().equals("TIME_WAIT")) {
                out.add(s);
            }
        }
        return out;
    }

    private static long controlBlocksInTimeWait(TcpHarness h, int stack) {
        h.stack(stack).context().lock().lock();
        try {
            return h.instance(stack).connections.all().stream().filter(c -> c.state == TcpState.TIME_WAIT).count();
        } finally {
            h.stack(stack).context().lock().unlock();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void closedConnectionsWaitAsCompactRecords() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 64);
        int n = 5_000;
        cycle(h, l); // warm up: classes loaded, pools filled
        h.run(Duration.ofSeconds(61));
        long before = usedHeapAfterGc();
        for (int i = 0; i < n; i++) {
            cycle(h, l);
        }
        long after = usedHeapAfterGc();
        // Not asserted (the JVM's heap figure moves with everything else in it): printed for the record.
        System.out.printf("TIME_WAIT: %d connections, about %d bytes of heap each (Runtime, after GC)%n", n,
                (after - before) / n);
        assertEquals(n, timeWaitRows(h, 0).size(), "netstat lists every TIME_WAIT connection");
        assertEquals(0, controlBlocksInTimeWait(h, 0), "no control block is kept for TIME_WAIT");
        assertEquals(n, h.counter(0, TcpCounter.TIME_WAIT));
        assertEquals(0, h.counter(0, TcpCounter.MEMORY_BYTES));
        h.run(Duration.ofSeconds(61));
        assertEquals(0, timeWaitRows(h, 0).size(), "2·MSL later every record is gone");
        assertEquals(0, h.counter(0, TcpCounter.TIME_WAIT));
    }

    /**
     * A connect/close loop to one destination: 20,000 connections within 40 s, while each closed one
     * holds its 4-tuple in TIME_WAIT for 60 s. With one port per connection from a 16,384-port range
     * connect failed with EADDRNOTAVAIL ("no free ephemeral port") after 16,384 of them; RFC 6056
     * port choice plus the reuse of TIME_WAIT 4-tuples that timestamps make safe (RFC 6191) keep it going.
     */
    @Test
    void connectLoopToOneDestinationOutlivesTheEphemeralRange() throws Exception {
        TcpHarness h = new TcpHarness();
        int l = h.listen(80, 64);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            try {
                cycle(h, l);
            } catch (ErrnoException e) {
                throw new AssertionError("connection " + i + " failed: " + e.errno(), e);
            }
        }
        assertTrue(h.counter(0, TcpCounter.TIME_WAIT_REUSED) > 0, "TIME_WAIT 4-tuples were reused");
        assertEquals(0, h.counter(0, TcpCounter.ATTEMPT_FAILS));
        assertEquals(0, h.counter(1, TcpCounter.ESTAB_RESETS));
    }

    @Test
    void beyondMaxTimeWaitAConnectionClosesWithoutTimeWait() throws Exception {
        TcpHarness h = new TcpHarness(TcpSettings.builder().maxTimeWait(100).build());
        int l = h.listen(80, 64);
        for (int i = 0; i < 300; i++) {
            cycle(h, l);
        }
        assertEquals(100, timeWaitRows(h, 0).size());
        assertEquals(200, h.counter(0, TcpCounter.TIME_WAIT_OVERFLOW));
        assertEquals(0, h.counter(0, TcpCounter.ESTAB_RESETS), "the connections themselves ended normally");
    }

    /** A raw peer's connection to B:80 that B closes first: B ends in TIME_WAIT. */
    private static final class TimeWaitOnB {
        final TcpHarness h = new TcpHarness();
        final RawPeer peer = new RawPeer(h);
        final List<byte[]> fromB = new ArrayList<>();
        long isn;
        int bTs;
        int peerTs = 100;

        TimeWaitOnB() throws Exception {
            int l = h.listen(80, 4);
            peer.onSegment = fromB::add;
            peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, synOptions(), 0);
            h.run(Duration.ofMillis(5));
            byte[] synAck = last();
            assertEquals(TcpHeader.SYN | TcpHeader.ACK, synAck[13] & 0x3f);
            isn = Bytes.get32(synAck, 4) & 0xffffffffL;
            send(1001, (int) (isn + 1), TcpHeader.ACK);
            h.run(Duration.ofMillis(5));
            int s = h.b.accept(l).token();
            h.b.closesocket(s); // B's FIN
            h.run(Duration.ofMillis(5));
            assertTrue((last()[13] & TcpHeader.FIN) != 0, "B sent its FIN");
            send(1001, (int) (isn + 2), TcpHeader.FIN | TcpHeader.ACK); // ACK of it, and the peer's FIN
            h.run(Duration.ofMillis(5));
            assertEquals(1002, Bytes.get32(last(), 8), "B acknowledged the FIN");
            assertEquals(1, timeWaitRows(h, 1).size());
            fromB.clear();
        }

        private byte[] synOptions() {
            byte[] o = java.util.Arrays.copyOf(RawPeer.mss(1460), 16);
            System.arraycopy(RawPeer.timestamps(peerTs, 0), 0, o, 4, 12);
            return o;
        }

        void send(int seq, int ack, int flags) {
            peerTs++;
            if (!fromB.isEmpty()) {
                bTs = Bytes.get32(last(), 20 + 4); // NOP NOP TS: tsVal at offset 4 of the options
            }
            peer.send(40000, 80, seq, ack, flags, 65535, RawPeer.timestamps(peerTs, bTs), 0);
        }

        byte[] last() {
            return fromB.get(fromB.size() - 1);
        }
    }

    @Test
    void timeWaitAnswersAsRfc9293AndRfc1337Say() throws Exception {
        TimeWaitOnB t = new TimeWaitOnB();
        TcpHarness h = t.h;
        assertEquals(0, controlBlocksInTimeWait(h, 1), "B keeps a compact record");
        // A retransmitted FIN is acknowledged again and restarts the 2·MSL timeout (§3.10.7.4).
        h.run(Duration.ofSeconds(30));
        t.send(1001, (int) (t.isn + 2), TcpHeader.FIN | TcpHeader.ACK);
        h.run(Duration.ofMillis(5));
        assertEquals(1, t.fromB.size(), "the FIN is acknowledged again");
        byte[] ack = t.last();
        assertEquals(TcpHeader.ACK, ack[13] & 0x3f);
        assertEquals((int) (t.isn + 2), Bytes.get32(ack, 4));
        assertEquals(1002, Bytes.get32(ack, 8));
        assertEquals(12, (((ack[12] & 0xff) >>> 4) * 4) - 20, "with timestamps");
        // An RST at RCV.NXT is ignored (RFC 1337: no TIME_WAIT assassination).
        t.send(1002, 0, TcpHeader.RST);
        h.run(Duration.ofMillis(5));
        assertEquals(1, timeWaitRows(h, 1).size(), "an RST does not end TIME_WAIT");
        h.run(Duration.ofSeconds(40)); // 70 s after entering, 40 s after the retransmitted FIN
        assertEquals(1, timeWaitRows(h, 1).size(), "the retransmitted FIN restarted 2·MSL");
        // A SYN whose sequence number and timestamp are both old is not a new incarnation.
        t.fromB.clear();
        t.peer.send(40000, 80, 900, 0, TcpHeader.SYN, 65535, RawPeer.timestamps(50, 0), 0);
        h.run(Duration.ofMillis(5));
        assertEquals(1, timeWaitRows(h, 1).size(), "an old SYN does not end TIME_WAIT");
        assertTrue(t.fromB.stream().noneMatch(s -> (s[13] & TcpHeader.SYN) != 0), "and gets no SYN-ACK");
        // A SYN above RCV.NXT with a newer timestamp opens the next incarnation (RFC 6191).
        t.fromB.clear();
        t.peerTs += 1000;
        t.peer.send(40000, 80, 200_000, 0, TcpHeader.SYN, 65535, t.synOptions(), 0);
        h.run(Duration.ofMillis(5));
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, t.last()[13] & 0x3f, "a new SYN reuses the 4-tuple");
        assertEquals(200_001, Bytes.get32(t.last(), 8));
        assertEquals(0, timeWaitRows(h, 1).size());
    }

    @Test
    void timeWaitEndsAfterTwoMsl() throws Exception {
        TimeWaitOnB t = new TimeWaitOnB();
        t.h.run(Duration.ofSeconds(59));
        assertEquals(1, timeWaitRows(t.h, 1).size());
        t.h.run(Duration.ofSeconds(2));
        assertEquals(0, timeWaitRows(t.h, 1).size());
        assertEquals(0, t.h.counter(1, TcpCounter.TIME_WAIT));
        // The 4-tuple is free: a segment for it now draws a reset.
        t.send(1002, (int) (t.isn + 2), TcpHeader.ACK);
        t.h.run(Duration.ofMillis(5));
        assertEquals(TcpHeader.RST, t.last()[13] & TcpHeader.RST);
    }
}
