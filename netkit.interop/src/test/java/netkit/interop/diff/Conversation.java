package netkit.interop.diff;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One case's exchange with one stack: sends crafted IPv4 packets from {@link VtepProbe#PROBE} and
 * writes what came back, normalised, into a transcript that is compared between the stacks. What is
 * normalised away: MAC addresses, IP ID, TTL and DF, initial sequence numbers (the target's sequence
 * numbers are written relative to its ISN {@code S}, acknowledgments relative to ours {@code P}; a
 * new incarnation's ISN only as above or not above the old one's sequence space), option values
 * (MSS, window scale, timestamps: presence only), window values (zero or not) - except in
 * {@link #detail} cases, which write the window, the MSS, whether the window scale shift is valid
 * and whether TSecr echoes our TSval; SACK blocks and the urgent pointer are always written;
 * repeated answers (retransmissions, probes: their count is a timer's) are written once, and a pure
 * ACK followed by data carrying the same acknowledgment is written as the data alone. Checksums are
 * verified, never compared.
 */
final class Conversation {
    /** The probe's initial sequence number. */
    static final long P = 1_000_000L;
    static final int LISTEN_PORT = 7000;
    static final int UDP_PORT = 7001;
    static final int CLOSED_PORT = 7009;
    /** A TCP server that closes every connection as soon as it has accepted it (the target closes first). */
    static final int CLOSING_PORT = 7002;
    static final int PROBE = Frames.addr(VtepProbe.PROBE);
    static final int TARGET = Frames.addr(VtepProbe.TARGET);

    private final VtepProbe probe;
    final int sport;
    private long targetIsn = -1;
    private byte[] lastSent = new byte[0];
    private final List<String> transcript = new ArrayList<>();
    private int steps;
    /**
     * Whether answers are written with their values (window, MSS, window scale shift, whether TSecr
     * echoes our TSval) rather than normalised: for the cases that compare exactly these.
     */
    boolean detail;
    /** Our next TSval: when not negative, every segment sent carries a timestamps option (RFC 7323). */
    long tsval = -1;
    /** The target's last TSval, echoed as our TSecr. */
    private long targetTsval;
    /** The last TSval we sent. */
    private long sentTsval = -1;
    /** The target's highest sequence number used (past its SYN, data and FIN), relative to its ISN. */
    private long targetMax;
    private String lateWhat;
    private long lateAt;

    Conversation(VtepProbe probe, int sport) {
        this.probe = probe;
        this.sport = sport;
    }

    /** Sends an IPv4 packet as it is. */
    void send(byte[] ip) throws IOException {
        lastSent = ip;
        probe.sendIp(ip);
    }

    /**
     * Sends the fragments of {@code whole}: answers (echo data, ICMP quotes) are then checked against
     * the whole datagram.
     */
    void sendFragments(byte[] whole, byte[]... fragments) throws IOException {
        for (byte[] f : fragments) {
            probe.sendIp(f);
        }
        lastSent = whole;
    }

    /** A TCP segment from the probe to the target: sequence number {@code P + seqOff}, ack {@code S + ackOff}. */
    void tcp(int dport, int flags, long seqOff, long ackOff, int window, byte[] options, byte[] data) throws IOException {
        tcp(dport, flags, seqOff, ackOff, window, options, data, 0);
    }

    /** As {@link #tcp(int, int, long, long, int, byte[], byte[])} with urgent pointer {@code urp}. */
    void tcp(int dport, int flags, long seqOff, long ackOff, int window, byte[] options, byte[] data, int urp)
            throws IOException {
        long ack = (flags & Frames.ACK) != 0 ? (targetIsn < 0 ? 0 : targetIsn) + ackOff : 0;
        if (tsval >= 0) {
            byte[] o = Arrays.copyOf(options, options.length + 12);
            System.arraycopy(Frames.timestamps(tsval, (flags & Frames.ACK) != 0 ? targetTsval : 0), 0, o, options.length, 12);
            options = o;
            sentTsval = tsval++;
        }
        send(Frames.ipv4(PROBE, TARGET, 6, 64, 1, 0x4000,
                new byte[0], Frames.tcp(PROBE, TARGET, sport, dport, P + seqOff, ack, flags, window, options, data, urp)));
    }

    /** Collects the answers to what was sent since the last step and writes them into the transcript. */
    void expect(String what) throws InterruptedException {
        expect(what, 150, 2000);
    }

    void expect(String what, long quietMillis, long maxMillis) throws InterruptedException {
        expect(what, probe.collect(quietMillis, maxMillis));
    }

    /**
     * Collects answers until one carries a FIN (at most {@code maxMillis}) and writes them: what a
     * server's close sends comes when its process gets round to it, and is answered at once (before
     * the target's retransmission timer runs out, which would add a timer-dependent repeat).
     */
    void expectFin(String what, long maxMillis) throws InterruptedException {
        List<byte[]> got = new ArrayList<>();
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (System.nanoTime() < end && got.stream().noneMatch(Conversation::isFin)) {
            got.addAll(probe.collect(20, 20));
        }
        expect(what, got);
    }

    private static boolean isFin(byte[] p) {
        int hl = (p[0] & 0x0f) * 4;
        return p[9] == 6 && p.length > hl + 13 && (p[hl + 13] & Frames.FIN) != 0;
    }

    private void expect(String what, List<byte[]> got) {
        List<String> lines = new ArrayList<>();
        for (byte[] p : got) {
            String line = describe(p);
            if (!lines.isEmpty() && lines.get(lines.size() - 1).equals(line)) {
                continue; // repeats (retransmissions, probes) are counted by timers, not compared
            }
            if (!lines.isEmpty() && acknowledgedBy(lines.get(lines.size() - 1), line)) {
                lines.remove(lines.size() - 1);
            }
            lines.add(line);
        }
        transcript.add(++steps + " " + what + ": " + (lines.isEmpty() ? "silence" : String.join("; ", lines)));
    }

    private static final Pattern PURE_ACK = Pattern.compile("(TCP \\d+>\\S+) \\[A\\] (seq=\\S+ ack=\\S+) win=>0( opts=\\S+)?");

    /**
     * Whether {@code ack} is a pure ACK that {@code next}, data with the same sequence and
     * acknowledgment numbers (and the same SACK blocks), carries as well: whether the ACK goes alone
     * or with the data is the receiver's choice (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2), so the two are compared as one.
     */
    private static boolean acknowledgedBy(String ack, String next) {
        Matcher m = PURE_ACK.matcher(ack);
        return m.matches() && next.matches(Pattern.quote(m.group(1)) + " \\[P?A\\] " + Pattern.quote(m.group(2))
                + " win=\\S+" + (m.group(3) == null ? "" : Pattern.quote(m.group(3))) + " len=\\d+");
    }

    /**
     * Waits for what arrives in the probe's late queue (ICMP time exceeded) until {@code afterMillis}
     * from now, after all the other cases have run: see {@link #finishLate}.
     */
    void expectLate(String what, long afterMillis) {
        lateWhat = what;
        lateAt = System.nanoTime() + afterMillis * 1_000_000;
    }

    /** Whether a step waits for a late answer ({@link #expectLate}). */
    boolean waitsLate() {
        return lateWhat != null;
    }

    /** Writes the late answers into the transcript, waiting for {@link #expectLate}'s time first; false if none was asked. */
    boolean finishLate() throws InterruptedException {
        if (lateWhat == null) {
            return false;
        }
        long wait = (lateAt - System.nanoTime()) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        List<String> lines = new ArrayList<>();
        for (byte[] p : probe.collectLate(500)) {
            lines.add(describe(p));
        }
        transcript.add(++steps + " " + lateWhat + ": " + (lines.isEmpty() ? "silence" : String.join("; ", lines)));
        lateWhat = null;
        return true;
    }

    /** Opens a connection to {@link #LISTEN_PORT} (SYN with an MSS option only, then ACK). */
    void handshake() throws IOException, InterruptedException {
        handshake(LISTEN_PORT, Frames.mssOption(1400));
    }

    /** Opens a connection to {@code port} with a SYN carrying {@code options} (and timestamps if {@link #tsval} is set). */
    void handshake(int port, byte[] options) throws IOException, InterruptedException {
        tcp(port, Frames.SYN, 0, 0, 65535, options, new byte[0]);
        expect("SYN");
        if (targetIsn < 0) {
            throw new IllegalStateException("no SYN-ACK in " + transcript);
        }
        tcp(port, Frames.ACK, 1, 1, 65535, new byte[0], new byte[0]);
        expect("ACK");
    }

    List<String> transcript() {
        return transcript;
    }

    /** One answer, normalised. */
    String describe(byte[] p) {
        int hl = (p[0] & 0x0f) * 4;
        StringBuilder b = new StringBuilder();
        if (Frames.checksum(p, 0, hl, 0) != 0xffff) {
            b.append("BAD-IP-CHECKSUM ");
        }
        if (hl > 20) {
            b.append("ipopts=").append(ipOptions(p, hl)).append(' ');
        }
        if ((Frames.get16(p, 6) & 0x3fff) != 0) {
            b.append("fragment ");
        }
        int proto = p[9] & 0xff;
        int len = Math.min(p.length, Frames.get16(p, 2));
        byte[] l4 = Arrays.copyOfRange(p, hl, len);
        switch (proto) {
            case 6 -> b.append(tcp(l4));
            case 17 -> b.append("UDP ").append(Frames.get16(l4, 0)).append('>').append(port(Frames.get16(l4, 2))).append(" len=")
                    .append(l4.length - 8);
            case 1 -> b.append(icmp(l4));
            default -> b.append("proto ").append(proto);
        }
        return b.toString();
    }

    private static String ipOptions(byte[] p, int hl) {
        StringBuilder b = new StringBuilder();
        for (int i = 20; i < hl;) {
            int type = p[i] & 0xff;
            if (type == 0) {
                break;
            }
            if (type == 1) {
                i++;
                continue;
            }
            int l = i + 1 < hl ? p[i + 1] & 0xff : 0;
            if (type == 7 && l >= 3) {
                int filled = ((p[i + 2] & 0xff) - 4) / 4;
                b.append("RR(").append(filled).append(" of ").append((l - 3) / 4).append(')');
            } else {
                b.append("opt").append(type);
            }
            if (l < 2) {
                break;
            }
            i += l;
        }
        return b.toString();
    }

    private String tcp(byte[] t) {
        int from = Frames.get16(t, 0);
        int dport = Frames.get16(t, 2);
        long seq = Frames.get32(t, 4);
        long ack = Frames.get32(t, 8);
        int off = (t[12] & 0xf0) >> 2;
        int flags = t[13] & 0x3f;
        int window = Frames.get16(t, 14);
        StringBuilder b = new StringBuilder("TCP ").append(from).append('>').append(port(dport)).append(' ');
        if (Frames.checksum(t, 0, t.length, Frames.pseudo(TARGET, PROBE, 6, t.length)) != 0xffff) {
            b.append("BAD-CHECKSUM ");
        }
        String names = "FSRPAU";
        b.append('[');
        for (int i = 0; i < 6; i++) {
            if ((flags & 1 << i) != 0) {
                b.append(names.charAt(i));
            }
        }
        b.append(']');
        boolean syn = (flags & Frames.SYN) != 0;
        if (syn && targetIsn < 0) {
            targetIsn = seq;
            b.append(" seq=S+0");
        } else if (syn && (int) (seq - targetIsn) != 0) {
            // a new incarnation's ISN (RFC 1122 §4.2.2.13, RFC 6191): its value is the stack's own,
            // but it must lie above every sequence number the old incarnation used
            b.append(" seq=S' (").append((int) (seq - targetIsn) > targetMax ? "above" : "not above")
                    .append(" the old incarnation's S+").append(targetMax).append(')');
            targetIsn = seq;
            targetMax = 0;
        } else {
            b.append(" seq=").append(targetIsn < 0 ? Long.toString(seq) : "S" + signed(seq - targetIsn));
        }
        if ((flags & Frames.ACK) != 0) {
            b.append(" ack=P").append(signed(ack - P));
        }
        b.append(" win=").append(detail ? Integer.toString(window) : window == 0 ? "0" : ">0");
        if ((flags & 0x20) != 0) {
            b.append(" urp=").append(Frames.get16(t, 18));
        }
        TreeSet<String> opts = new TreeSet<>();
        for (int i = 20; i < off && i < t.length;) {
            int kind = t[i] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            int l = i + 1 < off ? t[i + 1] & 0xff : 0;
            if (l < 2 || i + l > off) {
                opts.add("opt" + kind + "(bad length " + l + ")");
                break;
            }
            opts.add(switch (kind) {
                case 2 -> detail && l == 4 ? "MSS=" + Frames.get16(t, i + 2) : "MSS";
                // the shift follows the receive buffer's configured maximum (RFC 7323 §2.3; Linux:
                // tcp_rmem[2], host configuration): only its validity is compared
                case 3 -> detail && l == 3 ? (t[i + 2] & 0xff) <= 14 ? "WS(shift<=14)" : "WS(shift>14)" : "WS";
                case 4 -> "SACKOK";
                case 5 -> sackBlocks(t, i, l);
                case 8 -> timestamps(t, i, l);
                default -> "opt" + kind;
            });
            i += l;
        }
        if (!opts.isEmpty()) {
            b.append(" opts=").append(String.join(",", opts));
        }
        if (t.length > off) {
            b.append(" len=").append(t.length - off);
        }
        if (targetIsn >= 0) {
            long end = (int) (seq - targetIsn) + t.length - off + (syn ? 1 : 0) + (flags & Frames.FIN);
            targetMax = Math.max(targetMax, end);
        }
        return b.toString();
    }

    /**
     * The probe's port of this conversation as {@code probe} (a case repeated runs from another
     * port); any other port, an answer that belongs to another case, as its number.
     */
    private String port(int p) {
        return p == sport ? "probe" : Integer.toString(p);
    }

    /** SACK blocks (RFC 2018) relative to our ISN, in the order sent: the first must hold the latest segment. */
    private static String sackBlocks(byte[] t, int at, int l) {
        List<String> blocks = new ArrayList<>();
        for (int i = at + 2; i + 8 <= at + l; i += 8) {
            blocks.add("P" + signed(Frames.get32(t, i) - P) + "..P" + signed(Frames.get32(t, i + 4) - P));
        }
        return "SACK(" + String.join(",", blocks) + ")";
    }

    private String timestamps(byte[] t, int at, int l) {
        if (l != 10) {
            return "TS(bad length " + l + ")";
        }
        targetTsval = Frames.get32(t, at + 2);
        long ecr = Frames.get32(t, at + 6);
        if (!detail) {
            return "TS";
        }
        return "TS(ecr=" + (sentTsval < 0 ? ecr == 0 ? "0" : "nonzero" : ecr == sentTsval ? "ours" : ecr == 0 ? "0" : "other") + ")";
    }

    private static String signed(long d) {
        int v = (int) d;
        return v >= 0 ? "+" + v : Integer.toString(v);
    }

    private String icmp(byte[] m) {
        StringBuilder b = new StringBuilder("ICMP ").append(m[0] & 0xff).append('/').append(m[1] & 0xff);
        if (Frames.checksum(m, 0, m.length, 0) != 0xffff) {
            b.append(" BAD-CHECKSUM");
        }
        int type = m[0] & 0xff;
        if (type == 0) {
            int shl = (lastSent[0] & 0x0f) * 4;
            byte[] sentData = lastSent.length >= shl + 8 ? Arrays.copyOfRange(lastSent, shl + 4, lastSent.length) : new byte[0];
            byte[] gotData = Arrays.copyOfRange(m, 4, m.length);
            b.append(Arrays.equals(sentData, gotData) ? " id,seq,data echoed" : " data differs (" + gotData.length + " bytes)");
        } else if (type == 3 || type == 11 || type == 12) {
            if (type == 12) {
                b.append(" ptr=").append(m[4] & 0xff);
            }
            byte[] quote = Arrays.copyOfRange(m, 8, m.length);
            int qhl = quote.length > 0 ? (quote[0] & 0x0f) * 4 : 0;
            boolean prefix = quote.length <= lastSent.length
                    && Arrays.equals(quote, Arrays.copyOf(lastSent, quote.length));
            b.append(" quotes ip header+").append(quote.length - qhl).append(prefix ? " (as sent)" : " (altered)");
        }
        return b.toString();
    }
}
