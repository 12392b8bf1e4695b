package netkit.tcp;

import static netkit.api.testing.ErrnoAssertions.errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import netkit.api.Errno;
import netkit.api.Net;
import netkit.api.ReadinessListener;
import netkit.api.SockAddr;
import netkit.api.wire.Bytes;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 requirements about what a peer may send that no other test covered, with crafted
 * segments on the simulated clock; docs/rfc9293.md names each test. Options are handled as Linux
 * handles them: unknown kinds skipped by their length ({@code tcp_parse_options}); an illegal length
 * drops the segment when room for more options follows it ({@code tcp_do_parse_auth_options}, 6.7+
 * with TCP-AO), and nearer the end only ends the parsing. The differential test (netkit.interop)
 * compares both with the kernel.
 */
class TcpMalformedInputTest {
    private static final int UNKNOWN = 0xfe; // RFC 6994's experimental kind, which netkit does not use
    private final TcpHarness h = new TcpHarness();
    private final RawPeer peer = new RawPeer(h);
    /** TCP segments B sent to the peer (header at 0). */
    private final List<byte[]> toPeer = new ArrayList<>();
    private int isn;

    TcpMalformedInputTest() {
        peer.onSegment = seg -> {
            toPeer.add(seg);
            if ((seg[13] & TcpHeader.SYN) != 0) {
                isn = Bytes.get32(seg, 4);
            }
        };
    }

    private static int flags(byte[] seg) {
        return seg[13] & 0x3f;
    }

    private static int dataLength(byte[] seg) {
        return seg.length - ((seg[12] & 0xff) >>> 4) * 4;
    }

    private static TcpOptions options(byte[] seg) {
        TcpOptions o = new TcpOptions();
        o.parse(seg, 20, ((seg[12] & 0xff) >>> 4) * 4 - 20);
        return o;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static byte[] bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return a;
    }

    private static final byte[] SACK_PERMITTED = {TcpOptions.SACK_PERMITTED, 2};

    /** The SYN-ACK B answered the peer's SYN with {@code synOptions}; fails when there is none. */
    private byte[] synAck(int port, byte[] synOptions) {
        toPeer.clear();
        peer.send(port, 80, 1000, 0, TcpHeader.SYN, 65535, synOptions, 0);
        h.run(Duration.ofMillis(10));
        byte[] s = toPeer.stream().filter(seg -> flags(seg) == (TcpHeader.SYN | TcpHeader.ACK)).findFirst()
                .orElseThrow(() -> new AssertionError("no SYN-ACK: " + toPeer.size() + " segments"));
        assertEquals(1001, Bytes.get32(s, 8), "the SYN acknowledged");
        return s;
    }

    /** Completes the handshake {@link #synAck} began and returns B's accepted socket. */
    private int established(int l, int port) throws Exception {
        peer.send(port, 80, 1001, isn + 1, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        int s = h.b.accept(l).token();
        h.b.setsockopt(s, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        return s;
    }

    /** The largest data segment B sends when asked to send 3000 bytes: its send MSS. */
    private int sendMss(int s) throws Exception {
        toPeer.clear();
        assertEquals(3000, h.b.send(s, new byte[3000], 0, 3000, 0));
        h.run(Duration.ofMillis(10));
        return toPeer.stream().mapToInt(TcpMalformedInputTest::dataLength).max().orElse(0);
    }

    /** MUST-6: a SYN with an unknown option (kind 0xFE, length 6) is answered as without it, the options after it read. */
    @Test
    void aSynWithAnUnknownOptionIsAnsweredNormally() throws Exception {
        int l = h.listen(80, 4);
        byte[] s = synAck(40000, concat(bytes(UNKNOWN, 6, 0xab, 0xcd, 0x12, 0x34), RawPeer.mss(1000), SACK_PERMITTED));
        assertTrue(options(s).sackPermitted, "SACK-permitted after the unknown option was read");
        assertEquals(1460, options(s).mss);
        assertEquals(1000, sendMss(established(l, 40000)), "and so was the MSS");
    }

    /** MUST-6: an unknown option on a data segment is skipped; the data is taken. */
    @Test
    void dataWithAnUnknownOptionIsTaken() throws Exception {
        int l = h.listen(80, 4);
        synAck(40000, RawPeer.mss(1460));
        int s = established(l, 40000);
        toPeer.clear();
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535,
                bytes(TcpOptions.NOP, UNKNOWN, 6, 1, 2, 3, 4, TcpOptions.NOP), 100);
        h.run(Duration.ofMillis(100));
        assertEquals(100, h.b.recv(s, new byte[200], 0, 200, 0));
        assertEquals(1101, Bytes.get32(toPeer.get(toPeer.size() - 1), 8), "acknowledged");
    }

    /**
     * MUST-7: an option of length 0 in the last 4 bytes ends the parsing, not the segment (Linux's
     * "silly options"): the SYN is answered, the MSS before it counts, the SACK-permitted after it
     * is not read.
     */
    @Test
    void anOptionOfLengthZeroNearTheEndEndsTheParsingNotTheSegment() throws Exception {
        int l = h.listen(80, 4);
        byte[] s = synAck(40000, concat(RawPeer.mss(1000), bytes(UNKNOWN, 0), SACK_PERMITTED));
        assertFalse(options(s).sackPermitted, "nothing after the bad length was read");
        assertEquals(1000, sendMss(established(l, 40000)), "what came before it was");
    }

    /**
     * MUST-7: an illegal length with room for more options after it drops the segment, answered by
     * nothing: no SYN-ACK from a listener, no RST from a closed port (Linux, whichever way it was built:
     * 24 bytes of options are left at the bad one).
     */
    @Test
    void anIllegalLengthWithRoomForMoreOptionsDropsTheSegment() throws Exception {
        int l = h.listen(80, 4);
        byte[] bad = concat(bytes(UNKNOWN, 0, TcpOptions.NOP, TcpOptions.NOP), RawPeer.mss(1000), SACK_PERMITTED,
                bytes(TcpOptions.NOP, TcpOptions.NOP), RawPeer.timestamps(1, 0));
        long errors = h.counter(1, netkit.api.stats.TcpCounter.IN_ERRS);
        toPeer.clear();
        peer.send(40000, 80, 1000, 0, TcpHeader.SYN, 65535, bad, 0);
        peer.send(40001, 81, 1000, 5000, TcpHeader.ACK, 65535, bad, 0);
        h.run(Duration.ofSeconds(5));
        assertEquals(List.of(), toPeer, "no answer at all");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.accept(l)));
        assertEquals(errors + 2, h.counter(1, netkit.api.stats.TcpCounter.IN_ERRS));
        synAck(40000, RawPeer.mss(1000)); // the same SYN without it is answered
    }

    /** MUST-7: on a data segment, an illegal length with room for more options after it drops the data. */
    @Test
    void dataWithAnIllegalOptionLengthEarlyIsDropped() throws Exception {
        int l = h.listen(80, 4);
        synAck(40000, RawPeer.mss(1460));
        int s = established(l, 40000);
        toPeer.clear();
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535,
                bytes(UNKNOWN, 0, 1, 1, 1, 1, 1, 1), 100);
        h.run(Duration.ofMillis(100));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.recv(s, new byte[200], 0, 200, 0)));
        assertEquals(List.of(), toPeer, "not even acknowledged");
    }

    /**
     * Where the drop ends: an illegal length starting with 5 or more bytes of options left drops the
     * segment (Linux built with TCP-AO: room for the smallest authentication option), one in the
     * last 4 bytes does not; END stops the scan.
     */
    @Test
    void illegalLengthsDropASegmentOnlyWithRoomForAnotherOption() {
        assertTrue(TcpInstance.illegalOptionLength(bytes(UNKNOWN, 0, 0, 0, 0), 0, 5));
        assertTrue(TcpInstance.illegalOptionLength(bytes(2, 4, 5, 0xb4, UNKNOWN, 9, 0, 0, 0), 0, 9));
        assertTrue(TcpInstance.illegalOptionLength(bytes(1, UNKNOWN, 1, 0, 0, 0), 0, 6));
        assertFalse(TcpInstance.illegalOptionLength(bytes(UNKNOWN, 0, 0, 0), 0, 4));
        assertFalse(TcpInstance.illegalOptionLength(bytes(1, UNKNOWN, 0, 0, 0), 0, 5));
        assertFalse(TcpInstance.illegalOptionLength(bytes(2, 4, 5, 0xb4, UNKNOWN, 40, 0, 0), 0, 8));
        assertFalse(TcpInstance.illegalOptionLength(bytes(0, UNKNOWN, 0, 0, 0, 0), 0, 6));
        assertFalse(TcpInstance.illegalOptionLength(bytes(UNKNOWN, 6, 1, 2, 3, 4, 1, 1), 0, 8));
    }

    /** MUST-7: an option whose length runs past the header ends the parsing; the SYN is answered. */
    @Test
    void anOptionRunningPastTheHeaderEndsTheParsing() throws Exception {
        int l = h.listen(80, 4);
        synAck(40000, concat(RawPeer.mss(1000), bytes(UNKNOWN, 40, 0, 0))); // 8 bytes of options in all
        assertEquals(1000, sendMss(established(l, 40000)));
        // length 1 is illegal too, and a kind without room for its length octet
        synAck(40001, concat(RawPeer.mss(1200), bytes(TcpOptions.NOP, TcpOptions.NOP, UNKNOWN, 1)));
        synAck(40002, concat(RawPeer.mss(1200), bytes(TcpOptions.NOP, TcpOptions.NOP, TcpOptions.NOP, UNKNOWN)));
    }

    /** MUST-7, as Linux: a known option of the wrong length is skipped, and the options after it read. */
    @Test
    void aKnownOptionOfTheWrongLengthIsIgnored() throws Exception {
        int l = h.listen(80, 4);
        byte[] s = synAck(40000, concat(bytes(TcpOptions.MSS, 3, 5, TcpOptions.TIMESTAMPS, 6, 0, 0, 0, 0),
                SACK_PERMITTED, bytes(TcpOptions.NOP)));
        assertTrue(options(s).sackPermitted, "read past both");
        assertFalse(options(s).hasTimestamps, "6-byte timestamps are not timestamps");
        assertEquals(536, sendMss(established(l, 40000)), "a 3-byte MSS option is no MSS option");
    }

    /** MUST-7: an illegal length in the last 4 bytes of a data segment's options: the data is taken. */
    @Test
    void dataWithAnIllegalOptionLengthNearTheEndIsTaken() throws Exception {
        int l = h.listen(80, 4);
        synAck(40000, RawPeer.mss(1460));
        int s = established(l, 40000);
        toPeer.clear();
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, bytes(UNKNOWN, 0, 0, 0), 100);
        h.run(Duration.ofMillis(100));
        assertEquals(100, h.b.recv(s, new byte[200], 0, 200, 0));
        assertEquals(1101, Bytes.get32(toPeer.get(toPeer.size() - 1), 8));
    }

    /**
     * MUST-50: IP options TCP does not know (an experimental kind, RFC 4727, and Record Route) are
     * ignored: the SYN is answered and the data taken.
     */
    @Test
    void ipOptionsAreIgnored() throws Exception {
        int l = h.listen(80, 4);
        byte[] experimental = bytes(1, 30, 4, 0xab, 0xcd); // NOP, kind 30 (copy 0, class 0), length 4
        toPeer.clear();
        peer.sendTo(RawPeer.B_MAC, RawPeer.B_IP, experimental, 40000, 80, 1000, 0, TcpHeader.SYN, 65535,
                RawPeer.mss(1460), 0);
        h.run(Duration.ofMillis(10));
        assertTrue(toPeer.stream().anyMatch(seg -> flags(seg) == (TcpHeader.SYN | TcpHeader.ACK)), "answered");
        int s = established(l, 40000);
        byte[] recordRoute = concat(experimental, bytes(7, 7, 4, 0, 0, 0, 0)); // one free slot
        toPeer.clear();
        peer.sendTo(RawPeer.B_MAC, RawPeer.B_IP, recordRoute, 40000, 80, 1001, isn + 1,
                TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 100);
        h.run(Duration.ofMillis(100));
        assertEquals(100, h.b.recv(s, new byte[200], 0, 200, 0));
        assertEquals(1101, Bytes.get32(toPeer.get(toPeer.size() - 1), 8));
    }

    /**
     * MUST-57: a SYN (or any segment) to a broadcast or multicast address is dropped without an
     * answer: no SYN-ACK from a listener, no RST from a closed port.
     */
    @Test
    void segmentsToBroadcastAndMulticastAreSilentlyDiscarded() throws Exception {
        int l = h.listen(80, 4);
        long broadcastMac = 0xffffffffffffL;
        int[][] destinations = {{0x0a0000ff, 0}, {0xffffffff, 0}, {0xe0000001, 1}, {0xe00000fb, 1}};
        toPeer.clear();
        for (int[] d : destinations) {
            long mac = d[1] == 0 ? broadcastMac : 0x01005e000000L | (d[0] & 0x7fffff); // RFC 1112 §6.4
            peer.sendTo(mac, d[0], new byte[0], 40000, 80, 1000, 0, TcpHeader.SYN, 65535, RawPeer.mss(1460), 0);
            peer.sendTo(mac, d[0], new byte[0], 40000, 81, 1000, 5000, TcpHeader.ACK, 65535, new byte[0], 0);
        }
        h.run(Duration.ofSeconds(5)); // a SYN-ACK would be retransmitted meanwhile
        assertEquals(List.of(), toPeer, "no answer at all");
        assertEquals(Errno.EWOULDBLOCK, errno(() -> h.b.accept(l)));
        // the same to B's own address is answered: SYN-ACK from the listener, RST from the closed port
        peer.send(40000, 81, 1000, 5000, TcpHeader.ACK, 65535, new byte[0], 0);
        h.run(Duration.ofMillis(10));
        assertTrue(toPeer.stream().anyMatch(seg -> (flags(seg) & TcpHeader.RST) != 0), "unicast: RST");
        synAck(40000, RawPeer.mss(1460));
    }

    /**
     * MUST-66, its URG half: a segment with URG into a zero window is processed, its data not taken.
     * The pointer it brought is kept: when the window has opened and the urgent byte arrives in a
     * segment without URG, select's exception set shows it (Linux: EPOLLPRI once the byte is there).
     */
    @Test
    void urgentIntoAZeroWindowIsProcessed() throws Exception {
        int l = h.b.socket(Net.AF_INET, Net.SOCK_STREAM, 0);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_NONBLOCK, 1);
        h.b.setsockopt(l, Net.SOL_SOCKET, Net.SO_RCVBUF, 2048);
        h.b.bind(l, SockAddr.of(0, 80));
        h.b.listen(l, 4);
        synAck(40000, RawPeer.mss(1460));
        int s = established(l, 40000);
        peer.send(40000, 80, 1001, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 1024);
        peer.send(40000, 80, 1001 + 1024, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 1024);
        h.run(Duration.ofMillis(100));
        byte[] last = toPeer.get(toPeer.size() - 1);
        assertEquals(1001 + 2048, Bytes.get32(last, 8), "all taken");
        assertEquals(0, Bytes.get16(last, 14), "B's window is closed");
        toPeer.clear();
        peer.sendUrgent(40000, 80, 1001 + 2048, isn + 1, 10, 1); // urgent data up to 10 bytes from here
        h.run(Duration.ofMillis(10));
        byte[] answer = toPeer.get(toPeer.size() - 1);
        assertEquals(1001 + 2048, Bytes.get32(answer, 8), "its byte was not taken");
        assertEquals(0, Bytes.get16(answer, 14), "the window is still closed");
        assertEquals(0, h.b.poll(s) & ReadinessListener.EXCEPTION, "the urgent byte has not arrived");
        assertEquals(2048, h.b.recv(s, new byte[4096], 0, 4096, 0));
        h.run(Duration.ofMillis(300)); // the window update
        peer.send(40000, 80, 1001 + 2048, isn + 1, TcpHeader.ACK | TcpHeader.PSH, 65535, new byte[0], 20); // no URG
        h.run(Duration.ofMillis(10));
        assertTrue((h.b.poll(s) & ReadinessListener.EXCEPTION) != 0, "the pointer from the zero window was kept");
    }
}
