package netkit.interop.diff;

import static netkit.interop.diff.Conversation.CLOSED_PORT;
import static netkit.interop.diff.Conversation.CLOSING_PORT;
import static netkit.interop.diff.Conversation.LISTEN_PORT;
import static netkit.interop.diff.Conversation.PROBE;
import static netkit.interop.diff.Conversation.TARGET;
import static netkit.interop.diff.Conversation.UDP_PORT;
import static netkit.interop.diff.Frames.ACK;
import static netkit.interop.diff.Frames.FIN;
import static netkit.interop.diff.Frames.PSH;
import static netkit.interop.diff.Frames.RST;
import static netkit.interop.diff.Frames.SYN;
import static netkit.interop.diff.Frames.URG;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The table of differential cases: each a name and a script of crafted packets and expected-answer steps. */
final class DiffCases {
    /** One case's script against one stack. */
    interface Script {
        void run(Conversation c) throws Exception;
    }

    record Case(String name, Script script) {
    }

    private static final byte[] NONE = new byte[0];
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WORLD = "world".getBytes(StandardCharsets.US_ASCII);

    /** How long the first fragment of an incomplete datagram waits for an answer: past both stacks' 30 s timeout. */
    private static final long REASSEMBLY_WAIT_MILLIS = 32_000;

    private DiffCases() {
    }

    private static byte[] echo(int seq) {
        return Frames.icmpEcho(0x4242, seq, "differential-echo-payload-0123456789".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] ip(int src, int proto, int ttl, byte[] options, byte[] payload) {
        return Frames.ipv4(src, TARGET, proto, ttl, 7, 0, options, payload);
    }

    private static byte[] whole(byte[] icmp) {
        return Frames.ipv4(PROBE, TARGET, 1, 64, 0, 0, NONE, icmp);
    }

    /** The IPv4 fragment of {@code payload[from..to)} ({@code from} a multiple of 8). */
    private static byte[] fragment(int id, byte[] payload, int from, int to, boolean more) {
        return Frames.ipv4(PROBE, TARGET, 1, 64, id, (more ? 0x2000 : 0) | from / 8, NONE,
                java.util.Arrays.copyOfRange(payload, from, to));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A SYN from {@code src} to the listening port (for sources that must never get an answer). */
    private static byte[] synFrom(int src, int sport) {
        return ip(src, 6, 64, NONE, Frames.tcp(src, TARGET, sport, LISTEN_PORT, Conversation.P, 0, SYN, 65535,
                Frames.mssOption(1400), NONE));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Brings the target to TIME_WAIT: a connection to {@link Conversation#CLOSING_PORT}, whose server
     * closes at once (its FIN comes with or after the handshake's ACK), then our FIN acknowledging
     * theirs, which the target acknowledges: it closed first, so it waits 2·MSL.
     */
    private static void timeWait(Conversation c, byte[] synOptions) throws Exception {
        c.tcp(CLOSING_PORT, SYN, 0, 0, 65535, synOptions, NONE);
        c.expect("SYN");
        c.tcp(CLOSING_PORT, ACK, 1, 1, 65535, NONE, NONE);
        c.expectFin("ACK, the server closes", 3000);
        c.tcp(CLOSING_PORT, FIN | ACK, 1, 2, 65535, NONE, NONE);
        c.expect("our FIN");
    }

    static List<Case> all() {
        return List.of(
            // first, so that the 30 s reassembly timeout runs while the other cases do
            new Case("fragment-without-the-rest", c -> {
                byte[] m = echo(10);
                c.send(fragment(0x4444, m, 0, 24, true));
                c.expect("the first fragment only");
                // RFC 1122 §3.3.2: "if the timer runs out, the partially-reassembled datagram MUST be
                // discarded and an ICMP Time Exceeded message sent to the source host (if fragment
                // zero has been received)"; Linux's ipfrag_time and netkit's default are both 30 s
                c.expectLate("after the reassembly timeout", REASSEMBLY_WAIT_MILLIS);
            }),
            new Case("syn-to-closed-port", c -> {
                c.tcp(CLOSED_PORT, SYN, 0, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN");
            }),
            new Case("syn-to-listening-port-options", c -> {
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, Frames.synOptions(1400, 12345), NONE);
                c.expect("SYN mss,sackok,ts,ws");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("syn-unknown-option", c -> { // RFC 9293 MUST-6
                byte[] unknown = {(byte) 0xfe, 6, (byte) 0xab, (byte) 0xcd, 0x12, 0x34, 1, 1};
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, concat(unknown, Frames.synOptions(1400, 12345)), NONE);
                c.expect("SYN with option kind 254 length 6 before MSS, SACK-permitted, timestamps, window scale");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("syn-option-length-zero", c -> { // RFC 9293 MUST-7
                byte[] zero = {(byte) 0xfe, 0, 1, 1};
                byte[] rest = java.util.Arrays.copyOfRange(Frames.synOptions(1400, 12345), 4, 24);
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, concat(Frames.mssOption(1400), zero, rest), NONE);
                c.expect("SYN with MSS, an option of length 0, SACK-permitted, timestamps, window scale");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("syn-option-length-beyond-header", c -> { // RFC 9293 MUST-7
                byte[] past = {4, 2, 1, 1, (byte) 0xfe, 40, 0, 0};
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, concat(Frames.mssOption(1400), past), NONE);
                c.expect("SYN with MSS, SACK-permitted and an option claiming 40 bytes of 4 left");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("ack-to-closed-port", c -> {
                c.tcp(CLOSED_PORT, ACK, 0, 5000, 65535, NONE, NONE);
                c.expect("ACK");
            }),
            new Case("fin-to-closed-port", c -> {
                c.tcp(CLOSED_PORT, FIN, 0, 0, 65535, NONE, NONE);
                c.expect("FIN");
            }),
            new Case("rst-to-closed-port", c -> {
                c.tcp(CLOSED_PORT, RST, 0, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("syn-with-data", c -> {
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, Frames.mssOption(1400), HELLO);
                c.expect("SYN+5 bytes");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("tcp-bad-checksum", c -> {
                byte[] seg = Frames.tcp(PROBE, TARGET, c.sport, LISTEN_PORT, Conversation.P, 0, SYN, 65535,
                        Frames.mssOption(1400), NONE);
                seg[16] ^= 0x55;
                c.send(ip(PROBE, 6, 64, NONE, seg));
                c.expect("SYN with bad checksum");
            }),
            new Case("rst-in-window-in-syn-received", c -> {
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN");
                c.tcp(LISTEN_PORT, RST, 11, 0, 0, NONE, NONE);
                c.expect("RST seq P+11");
                c.tcp(LISTEN_PORT, ACK, 1, 1, 65535, NONE, NONE);
                c.expect("ACK completing the handshake");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("rst-out-of-window-in-syn-received", c -> {
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN");
                c.tcp(LISTEN_PORT, RST, 1 + (1L << 30), 0, 0, NONE, NONE);
                c.expect("RST far out of window");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-data-out-of-window", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH, 1 + (1L << 30), 1, 65535, NONE, HELLO);
                c.expect("data far out of window");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-rst-in-window-challenge-ack", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, RST, 101, 0, 0, NONE, NONE);
                c.expect("RST seq P+101");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-syn-challenge-ack", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, SYN, 1001, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN on established");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-data-echoed", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 65535, NONE, HELLO);
                c.expect("5 bytes to the echo server");
                c.tcp(LISTEN_PORT, RST, 6, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("zero-window-probe", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 0, NONE, HELLO);
                c.expect("5 bytes with our window 0", 1500, 2500);
                c.tcp(LISTEN_PORT, RST, 6, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("udp-to-closed-port", c -> {
                c.send(ip(PROBE, 17, 64, NONE, Frames.udp(PROBE, TARGET, c.sport, CLOSED_PORT, HELLO)));
                c.expect("UDP");
            }),
            new Case("udp-bad-checksum-to-closed-port", c -> {
                byte[] u = Frames.udp(PROBE, TARGET, c.sport, CLOSED_PORT, HELLO);
                u[6] ^= 0x33;
                c.send(ip(PROBE, 17, 64, NONE, u));
                c.expect("UDP with a bad checksum");
            }),
            new Case("udp-zero-checksum-to-closed-port", c -> {
                byte[] u = Frames.udp(PROBE, TARGET, c.sport, CLOSED_PORT, HELLO);
                u[6] = 0;
                u[7] = 0;
                c.send(ip(PROBE, 17, 64, NONE, u));
                c.expect("UDP without checksum (0)");
            }),
            new Case("udp-to-open-port", c -> {
                c.send(ip(PROBE, 17, 64, NONE, Frames.udp(PROBE, TARGET, c.sport, UDP_PORT, HELLO)));
                c.expect("UDP");
            }),
            new Case("icmp-echo", c -> {
                c.send(ip(PROBE, 1, 64, NONE, echo(1)));
                c.expect("echo request");
            }),
            new Case("icmp-echo-bad-checksum", c -> {
                byte[] m = echo(11);
                m[2] ^= 0x40;
                c.send(ip(PROBE, 1, 64, NONE, m));
                c.expect("echo request with a bad ICMP checksum");
            }),
            new Case("icmp-echo-record-route", c -> {
                c.send(ip(PROBE, 1, 64, Frames.recordRoute(9), echo(2)));
                c.expect("echo request with Record Route");
            }),
            new Case("icmp-echo-ttl-1", c -> {
                c.send(ip(PROBE, 1, 1, NONE, echo(3)));
                c.expect("echo request, TTL 1");
            }),
            new Case("ip-bad-header-checksum", c -> {
                byte[] p = ip(PROBE, 1, 64, NONE, echo(4));
                p[10] ^= 0x11;
                c.send(p);
                c.expect("echo request with a bad IP checksum");
            }),
            new Case("ip-option-length-beyond-header", c -> {
                byte[] rr = Frames.recordRoute(1);
                rr[1] = 39;
                c.send(ip(PROBE, 1, 64, rr, echo(5)));
                c.expect("Record Route claiming 39 bytes in an 8-byte option area");
            }),
            new Case("ip-option-length-zero", c -> {
                c.send(ip(PROBE, 1, 64, new byte[] {(byte) 0x94, 0, 0, 0}, echo(6)));
                c.expect("option with length 0");
            }),
            new Case("fragments-in-order", c -> {
                byte[] m = echo(7);
                c.sendFragments(whole(m), fragment(0x1111, m, 0, 24, true), fragment(0x1111, m, 24, m.length, false));
                c.expect("echo request in two fragments");
            }),
            new Case("fragments-overlapping", c -> {
                byte[] m = echo(8);
                byte[] other = m.clone();
                for (int i = 16; i < other.length; i++) {
                    other[i] ^= 0x5a;
                }
                c.sendFragments(whole(m), fragment(0x2222, m, 0, 24, true), fragment(0x2222, other, 16, other.length, false));
                c.expect("echo request in two fragments overlapping by 8 bytes with different data");
            }),
            new Case("fragments-duplicate", c -> {
                byte[] m = echo(9);
                byte[] first = fragment(0x3333, m, 0, 24, true);
                c.sendFragments(whole(m), first, first, fragment(0x3333, m, 24, m.length, false));
                c.expect("echo request in two fragments, the first sent twice");
            }),
            new Case("echo-to-broadcast", c -> {
                c.send(Frames.ipv4(PROBE, Frames.addr("192.168.77.255"), 1, 64, 7, 0, NONE, echo(12)));
                c.expect("echo request to the subnet broadcast");
            }),
            new Case("udp-closed-from-broadcast-source", c -> {
                int src = Frames.addr("192.168.77.255");
                c.send(ip(src, 17, 64, NONE, Frames.udp(src, TARGET, c.sport, CLOSED_PORT, HELLO)));
                c.expect("UDP to a closed port from 192.168.77.255");
            }),
            new Case("syn-from-multicast-source", c -> {
                c.send(synFrom(Frames.addr("224.0.0.9"), c.sport));
                c.expect("SYN from 224.0.0.9");
            }),
            new Case("syn-from-limited-broadcast-source", c -> {
                c.send(synFrom(Frames.addr("255.255.255.255"), c.sport));
                c.expect("SYN from 255.255.255.255");
            }),
            new Case("syn-from-martian-source", c -> {
                c.send(synFrom(Frames.addr("127.0.0.1"), c.sport));
                c.expect("SYN from 127.0.0.1");
            }),
            // SYN-ACK option values: exact, with the stack-specific ones listed in differences.md
            new Case("syn-ack-option-values", c -> {
                c.detail = true;
                c.tsval = 12345;
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, Frames.mssSackOkWs(1400, 7), NONE);
                c.expect("SYN mss 1400,sackok,ws 7,ts");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("syn-ack-values-without-options", c -> {
                c.detail = true;
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, NONE, NONE);
                c.expect("SYN without options");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("syn-ack-values-mss-only", c -> {
                c.detail = true;
                c.tcp(LISTEN_PORT, SYN, 0, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN mss 1400");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("ack-to-listening-port", c -> {
                c.tcp(LISTEN_PORT, ACK, 0, 5000, 65535, NONE, NONE);
                c.expect("ACK without a connection");
            }),
            new Case("established-ack-of-unsent-data", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK, 1, 1001, 65535, NONE, NONE);
                c.expect("ACK for 1000 bytes never sent");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-data-with-ack-of-unsent-data", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1001, 65535, NONE, HELLO);
                c.expect("5 bytes acknowledging 1000 bytes never sent");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-ack-out-of-window", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK, 1 + (1L << 30), 1, 65535, NONE, NONE);
                c.expect("ACK with a sequence number far out of window");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-fin-out-of-order", c -> {
                c.handshake(LISTEN_PORT, Frames.mssSackOk(1400));
                c.tcp(LISTEN_PORT, FIN | ACK, 6, 1, 65535, NONE, NONE);
                c.expect("FIN at P+6, 5 bytes missing before it");
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 65535, NONE, HELLO);
                c.expect("the 5 bytes: the echo server reads them and the end");
                c.tcp(LISTEN_PORT, RST, 7, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("established-ack-below-window", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK, 1, 1 - (1L << 20), 65535, NONE, NONE);
                c.expect("ACK 1 MiB below SND.UNA");
                c.tcp(LISTEN_PORT, RST, 1, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            // TIME_WAIT on the target's side (it closed first)
            new Case("time-wait-fin-retransmitted", c -> {
                timeWait(c, Frames.mssOption(1400));
                c.tcp(CLOSING_PORT, FIN | ACK, 1, 2, 65535, NONE, NONE);
                c.expect("our FIN again");
            }),
            new Case("time-wait-old-duplicate-data", c -> {
                timeWait(c, Frames.mssOption(1400));
                c.tcp(CLOSING_PORT, ACK | PSH, -4, 2, 65535, NONE, HELLO);
                c.expect("5 bytes wholly below RCV.NXT");
            }),
            new Case("time-wait-syn-above-rcv-nxt", c -> {
                timeWait(c, Frames.mssOption(1400));
                c.tcp(CLOSING_PORT, SYN, 100_000, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN 100000 above the old connection's");
                c.tcp(CLOSING_PORT, RST, 100_001, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("time-wait-syn-below-rcv-nxt", c -> {
                timeWait(c, Frames.mssOption(1400));
                c.tcp(CLOSING_PORT, SYN, -100_000, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN 100000 below the old connection's");
            }),
            new Case("time-wait-rst-then-syn-below", c -> {
                timeWait(c, Frames.mssOption(1400));
                c.tcp(CLOSING_PORT, RST, 2, 0, 0, NONE, NONE);
                c.expect("RST at RCV.NXT");
                c.tcp(CLOSING_PORT, SYN, -100_000, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN 100000 below the old connection's");
                c.tcp(CLOSING_PORT, RST, -99_999, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("time-wait-timestamps-syn-below-newer-ts", c -> {
                c.tsval = 1000;
                timeWait(c, Frames.mssOption(1400));
                c.tsval = 5000;
                c.tcp(CLOSING_PORT, SYN, -100_000, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN below, its TSval above the old connection's (RFC 6191)");
                c.tcp(CLOSING_PORT, RST, -99_999, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("time-wait-timestamps-syn-below-older-ts", c -> {
                c.tsval = 1000;
                timeWait(c, Frames.mssOption(1400));
                c.tsval = 10;
                c.tcp(CLOSING_PORT, SYN, -100_000, 0, 65535, Frames.mssOption(1400), NONE);
                c.expect("SYN below, its TSval below the old connection's");
            }),
            // urgent data (RFC 9293 §3.8.5, RFC 6093): the pointer is the offset of the byte after it
            new Case("urgent-data", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH | URG, 1, 1, 65535, NONE, HELLO, 5);
                c.expect("5 bytes, URG, urgent pointer 5");
                c.tcp(LISTEN_PORT, RST, 6, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("urgent-pointer-beyond-the-segment", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH | URG, 1, 1, 65535, NONE, HELLO, 100);
                c.expect("5 bytes, URG, urgent pointer 100");
                c.tcp(LISTEN_PORT, RST, 6, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("urgent-pointer-zero", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH | URG, 1, 1, 65535, NONE, HELLO, 0);
                c.expect("5 bytes, URG, urgent pointer 0");
                c.tcp(LISTEN_PORT, RST, 6, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            // reassembly in TCP: out of order (SACK blocks, RFC 2018 §4), overlapping
            new Case("out-of-order-sack-blocks", c -> {
                c.handshake(LISTEN_PORT, Frames.mssSackOk(1400));
                c.tcp(LISTEN_PORT, ACK | PSH, 11, 1, 65535, NONE, HELLO);
                c.expect("5 bytes at P+11, 10 missing before them");
                c.tcp(LISTEN_PORT, ACK | PSH, 21, 1, 65535, NONE, WORLD);
                c.expect("5 bytes at P+21, another hole");
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 65535, NONE, bytes("0123456789"));
                c.expect("the first hole filled");
                c.tcp(LISTEN_PORT, ACK | PSH, 16, 16, 65535, NONE, bytes("abcde"));
                c.expect("the second hole filled");
                c.tcp(LISTEN_PORT, RST, 26, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("overlapping-in-order", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 65535, NONE, HELLO);
                c.expect("5 bytes");
                c.tcp(LISTEN_PORT, ACK | PSH, 3, 6, 65535, NONE, bytes("lloworld"));
                c.expect("8 bytes, the first 3 already received");
                c.tcp(LISTEN_PORT, RST, 11, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            new Case("overlapping-out-of-order", c -> {
                c.handshake(LISTEN_PORT, Frames.mssSackOk(1400));
                c.tcp(LISTEN_PORT, ACK | PSH, 6, 1, 65535, NONE, WORLD);
                c.expect("5 bytes at P+6");
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 65535, NONE, bytes("helloWO"));
                c.expect("7 bytes at P+1, the last 2 overlapping the queued ones");
                c.tcp(LISTEN_PORT, RST, 11, 0, 0, NONE, NONE);
                c.expect("RST");
            }),
            // the target's zero-window probing, then our window opens (RFC 9293 §3.8.6.1)
            new Case("zero-window-then-update", c -> {
                c.handshake();
                c.tcp(LISTEN_PORT, ACK | PSH, 1, 1, 0, NONE, HELLO);
                c.expect("5 bytes with our window 0", 1500, 2500);
                c.tcp(LISTEN_PORT, ACK, 6, 1, 65535, NONE, NONE);
                c.expect("window update");
                c.tcp(LISTEN_PORT, RST, 6, 0, 0, NONE, NONE);
                c.expect("RST");
            }));
    }
}
