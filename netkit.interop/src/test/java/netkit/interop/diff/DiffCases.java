package netkit.interop.diff;

import static netkit.interop.diff.Conversation.CLOSED_PORT;
import static netkit.interop.diff.Conversation.LISTEN_PORT;
import static netkit.interop.diff.Conversation.PROBE;
import static netkit.interop.diff.Conversation.TARGET;
import static netkit.interop.diff.Conversation.UDP_PORT;
import static netkit.interop.diff.Frames.ACK;
import static netkit.interop.diff.Frames.FIN;
import static netkit.interop.diff.Frames.PSH;
import static netkit.interop.diff.Frames.RST;
import static netkit.interop.diff.Frames.SYN;

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

    static List<Case> all() {
        return List.of(
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
            new Case("fragment-without-the-rest", c -> {
                byte[] m = echo(10);
                c.sendFragments(whole(m), fragment(0x4444, m, 0, 24, true));
                c.expect("the first fragment only");
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
            }));
    }
}
