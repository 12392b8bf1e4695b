package netkit.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import netkit.api.stats.ArpCounter;
import netkit.api.stats.Counter;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.IcmpCounter;
import netkit.api.stats.IpCounter;
import netkit.api.stats.StackStatistics;
import netkit.api.stats.TcpCounter;
import netkit.api.stats.UdpCounter;

/**
 * What {@code netkit:netstat -s} returns: the stack's counters ({@link StackStatistics}, the one
 * counter model) printed as Linux's {@code netstat -s} (net-tools, statistics.c) prints
 * {@code /proc/net/snmp} and {@code netstat}: sections {@code Ip:}, {@code Icmp:} (with the input and
 * output histograms), {@code IcmpMsg:} ({@code InTypeN}/{@code OutTypeN}), {@code Tcp:}, {@code Udp:},
 * {@code TcpExt:} and {@code IpExt:}; counters with a net-tools sentence print as that sentence
 * ({@code 12 segments retransmitted}), the others as {@code Name: value}. As in net-tools, optional
 * counters and those without a sentence ({@code InCsumErrors}, the {@code *Ext} sections) print only
 * when not zero. {@code Arp:} is netkit's own
 * section (Linux has no ARP statistics in {@code netstat -s}).
 *
 * @param stats    the counters
 * @param sections which sections to print ({@code -t}: Tcp and TcpExt; {@code -u}: Udp; all when empty)
 * @param tsv      the script-friendly form: {@code Section<TAB>Name<TAB>value} lines, every counter
 */
public record ProtocolStatistics(StackStatistics stats, Set<String> sections, boolean tsv) {
    /** Sentences of net-tools; {@code ?} marks an optional counter (printed when not zero). */
    private static final Map<String, String> IP = Map.ofEntries(Map.entry("InReceives", "%d total packets received"),
            Map.entry("InHdrErrors", "?%d with invalid headers"),
            Map.entry("InAddrErrors", "?%d with invalid addresses"),
            Map.entry("InUnknownProtos", "?%d with unknown protocol"),
            Map.entry("InDiscards", "%d incoming packets discarded"),
            Map.entry("InDelivers", "%d incoming packets delivered"),
            Map.entry("OutRequests", "%d requests sent out"),
            Map.entry("OutDiscards", "?%d outgoing packets dropped"),
            Map.entry("OutNoRoutes", "?%d dropped because of missing route"),
            Map.entry("ReasmTimeout", "?%d fragments dropped after timeout"),
            Map.entry("ReasmReqds", "?%d reassemblies required"),
            Map.entry("ReasmOKs", "?%d packets reassembled ok"),
            Map.entry("ReasmFails", "?%d packet reassembles failed"),
            Map.entry("FragOKs", "?%d fragments received ok"),
            Map.entry("FragFails", "?%d fragments failed"),
            Map.entry("FragCreates", "?%d fragments created"));
    private static final Map<String, String> TCP = Map.ofEntries(
            Map.entry("ActiveOpens", "%d active connection openings"),
            Map.entry("PassiveOpens", "%d passive connection openings"),
            Map.entry("AttemptFails", "%d failed connection attempts"),
            Map.entry("EstabResets", "%d connection resets received"),
            Map.entry("CurrEstab", "%d connections established"),
            Map.entry("InSegs", "%d segments received"),
            Map.entry("OutSegs", "%d segments sent out"),
            Map.entry("RetransSegs", "%d segments retransmitted"),
            Map.entry("InErrs", "%d bad segments received"),
            Map.entry("OutRsts", "%d resets sent"));
    private static final Map<String, String> UDP = Map.ofEntries(Map.entry("InDatagrams", "%d packets received"),
            Map.entry("NoPorts", "%d packets to unknown port received"),
            Map.entry("InErrors", "%d packet receive errors"),
            Map.entry("OutDatagrams", "%d packets sent"),
            Map.entry("RcvbufErrors", "%d receive buffer errors"));
    /** TcpExt names and sentences of net-tools for the netkit counters that Linux has in TcpExt. */
    private static final Map<TcpCounter, String[]> TCP_EXT = new LinkedHashMap<>();

    static {
        ext(TcpCounter.SYN_COOKIES_SENT, "SyncookiesSent", "%d SYN cookies sent");
        ext(TcpCounter.SYN_COOKIES_RECV, "SyncookiesRecv", "%d SYN cookies received");
        ext(TcpCounter.TIME_WAIT, "TW", "%d TCP sockets finished time wait in fast timer");
        ext(TcpCounter.TIME_WAIT_REUSED, "TWRecycled", "%d time wait sockets recycled by time stamp");
        ext(TcpCounter.PAWS_REJECTED, "PAWSEstab",
                "%d packets rejected in established connections because of timestamp");
        ext(TcpCounter.LISTEN_OVERFLOWS, "ListenOverflows", "%d times the listen queue of a socket overflowed");
        ext(TcpCounter.FAST_RETRANSMITS, "TCPFastRetrans", "%d fast retransmits");
        ext(TcpCounter.TIMEOUTS, "TCPTimeouts", null);
        ext(TcpCounter.LOSS_PROBES, "TCPLossProbes", null);
        ext(TcpCounter.LOSS_PROBE_RECOVERY, "TCPLossProbeRecovery", null);
        ext(TcpCounter.FULL_UNDO, "TCPFullUndo", "%d congestion windows fully recovered without slow start");
        ext(TcpCounter.DSACK_UNDO, "TCPDSACKUndo", "%d congestion windows recovered without slow start by DSACK");
        ext(TcpCounter.LOSS_UNDO, "TCPLossUndo", null);
        ext(TcpCounter.LOST_RETRANSMIT, "TCPLostRetransmit", "%d retransmits lost");
        ext(TcpCounter.ABORT_ON_MEMORY, "TCPAbortOnMemory", "%d connections aborted due to memory pressure");
        ext(TcpCounter.ABORT_ON_TIMEOUT, "TCPAbortOnTimeout", "%d connections aborted due to timeout");
        ext(TcpCounter.ABORT_ON_ORPHAN_LIMIT, "TCPAbortOnOrphanLimit", null);
        ext(TcpCounter.CHALLENGE_ACKS, "TCPChallengeACK", null);
        ext(TcpCounter.CHALLENGE_ACKS_LIMITED, "TCPChallengeACKLimited", null);
        ext(TcpCounter.ACK_SKIPPED_SEQ, "TCPACKSkippedSeq", null);
        ext(TcpCounter.ACK_SKIPPED_PAWS, "TCPACKSkippedPAWS", null);
        ext(TcpCounter.TIME_WAIT_OVERFLOW, "TCPTimeWaitOverflow", null);
        ext(TcpCounter.RACK_LOST, "TCPRackLost", null);
        ext(TcpCounter.ORPHANS, "TCPOrphans", null);
        ext(TcpCounter.MEMORY_BYTES, "TCPMemoryBytes", null);
    }

    private static void ext(TcpCounter c, String linuxName, String sentence) {
        TCP_EXT.put(c, new String[] {linuxName, sentence});
    }

    /** Section names {@code -t} and {@code -u} select. */
    static final Set<String> TCP_SECTIONS = Set.of("Tcp", "TcpExt");
    static final Set<String> UDP_SECTIONS = Set.of("Udp");

    private boolean shows(String section) {
        return sections.isEmpty() || sections.contains(section);
    }

    /** The sections in the order they print. */
    private static final String[] ORDER = {"Ip", "Icmp", "IcmpMsg", "Tcp", "Udp", "TcpExt", "IpExt", "Arp"};

    @Override
    public String toString() {
        List<String[]> lines = lines();
        StringBuilder sb = new StringBuilder();
        for (String section : ORDER) {
            if (!shows(section)) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            for (String[] l : lines) {
                if (!l[0].equals(section)) {
                    continue;
                }
                if (tsv) {
                    body.append(l[0]).append('\t').append(l[1]).append('\t').append(l[2]).append('\n');
                } else if (l[3] != null) { // null: a zero optional counter
                    body.append(l[3]).append('\n');
                }
            }
            if (!tsv && (body.length() > 0 || !section.equals("IcmpMsg"))) { // IcmpMsg: only types seen
                sb.append(section).append(":\n");
            }
            sb.append(body);
        }
        return sb.toString();
    }

    /** Every counter: section, name, value, and the printed line (null when not printed). */
    private List<String[]> lines() {
        List<String[]> out = new ArrayList<>();
        if (shows("Ip")) {
            out.add(new String[] {"Ip", "Forwarding", "2", "    Forwarding: 2"}); // a host (RFC 1213 notForwarding)
            // /proc/net/snmp's order; the other IpCounters are in IpExt
            for (IpCounter c : new IpCounter[] {IpCounter.IN_RECEIVES, IpCounter.IN_HDR_ERRORS,
                IpCounter.IN_ADDR_ERRORS, IpCounter.IN_UNKNOWN_PROTOS, IpCounter.IN_DISCARDS, IpCounter.IN_DELIVERS,
                IpCounter.OUT_REQUESTS, IpCounter.OUT_DISCARDS, IpCounter.OUT_NO_ROUTES, IpCounter.REASM_TIMEOUT,
                IpCounter.REASM_REQDS, IpCounter.REASM_OKS, IpCounter.REASM_FAILS, IpCounter.FRAG_OKS,
                IpCounter.FRAG_FAILS, IpCounter.FRAG_CREATES}) {
                sentence(out, "Ip", c, stats.ip(), IP);
                if (c == IpCounter.IN_ADDR_ERRORS) {
                    out.add(new String[] {"Ip", "ForwDatagrams", "0", "    0 forwarded"});
                }
            }
        }
        CounterSnapshot<IcmpCounter> icmp = stats.icmp();
        if (shows("Icmp")) {
            long outMsgs = 0;
            for (IcmpCounter c : new IcmpCounter[] {IcmpCounter.OUT_ECHOS, IcmpCounter.OUT_ECHO_REPS,
                IcmpCounter.OUT_DEST_UNREACHS, IcmpCounter.OUT_TIME_EXCDS, IcmpCounter.OUT_PARM_PROBS}) {
                outMsgs += icmp.get(c);
            }
            line(out, "Icmp", "InMsgs", icmp.get(IcmpCounter.IN_MSGS), "%d ICMP messages received", false);
            line(out, "Icmp", "InErrors", icmp.get(IcmpCounter.IN_ERRORS), "%d input ICMP message failed", false);
            line(out, "Icmp", "InCsumErrors", icmp.get(IcmpCounter.IN_CSUM_ERRORS), null, false);
            histogram(out, "ICMP input histogram:", new Object[][] {
                {"InDestUnreachs", IcmpCounter.IN_DEST_UNREACHS, "destination unreachable"},
                {"InTimeExcds", IcmpCounter.IN_TIME_EXCDS, "timeout in transit"},
                {"InEchos", IcmpCounter.IN_ECHOS, "echo requests"},
                {"InEchoReps", IcmpCounter.IN_ECHO_REPS, "echo replies"}});
            line(out, "Icmp", "OutMsgs", outMsgs, "%d ICMP messages sent", false);
            line(out, "Icmp", "OutErrors", 0, "%d ICMP messages failed", false);
            histogram(out, "ICMP output histogram:", new Object[][] {
                {"OutDestUnreachs", IcmpCounter.OUT_DEST_UNREACHS, "destination unreachable"},
                {"OutTimeExcds", IcmpCounter.OUT_TIME_EXCDS, "time exceeded"},
                {"OutParmProbs", IcmpCounter.OUT_PARM_PROBS, "wrong parameters"},
                {"OutEchos", IcmpCounter.OUT_ECHOS, "echo requests"},
                {"OutEchoReps", IcmpCounter.OUT_ECHO_REPS, "echo replies"}});
            // the others (rate limited, suppressed, raw sockets' counts) under their names, when not zero
            java.util.EnumSet<IcmpCounter> shown = java.util.EnumSet.of(IcmpCounter.IN_MSGS, IcmpCounter.IN_ERRORS,
                    IcmpCounter.IN_CSUM_ERRORS, IcmpCounter.IN_DEST_UNREACHS, IcmpCounter.IN_TIME_EXCDS,
                    IcmpCounter.IN_ECHOS, IcmpCounter.IN_ECHO_REPS, IcmpCounter.OUT_DEST_UNREACHS,
                    IcmpCounter.OUT_TIME_EXCDS, IcmpCounter.OUT_PARM_PROBS, IcmpCounter.OUT_ECHOS,
                    IcmpCounter.OUT_ECHO_REPS);
            for (IcmpCounter c : IcmpCounter.values()) {
                if (!shown.contains(c)) {
                    line(out, "Icmp", c.displayName(), icmp.get(c), null, true);
                }
            }
        }
        if (shows("IcmpMsg")) {
            // per type, in type order, as /proc/net/snmp's IcmpMsg: only the types seen
            Object[][] types = {{"InType0", IcmpCounter.IN_ECHO_REPS}, {"InType3", IcmpCounter.IN_DEST_UNREACHS},
                {"InType8", IcmpCounter.IN_ECHOS}, {"InType11", IcmpCounter.IN_TIME_EXCDS},
                {"OutType0", IcmpCounter.OUT_ECHO_REPS}, {"OutType3", IcmpCounter.OUT_DEST_UNREACHS},
                {"OutType8", IcmpCounter.OUT_ECHOS}, {"OutType11", IcmpCounter.OUT_TIME_EXCDS},
                {"OutType12", IcmpCounter.OUT_PARM_PROBS}};
            for (Object[] t : types) {
                long v = icmp.get((IcmpCounter) t[1]);
                out.add(new String[] {"IcmpMsg", (String) t[0], String.valueOf(v),
                    v == 0 ? null : "        " + t[0] + ": " + v});
            }
        }
        if (shows("Tcp")) { // the RFC 1213 counters in /proc/net/snmp's order: InCsumErrors last
            for (TcpCounter c : TcpCounter.values()) {
                if (TCP.containsKey(c.displayName())) {
                    sentence(out, "Tcp", c, stats.tcp(), TCP);
                }
            }
            sentence(out, "Tcp", TcpCounter.IN_CSUM_ERRORS, stats.tcp(), TCP);
        }
        if (shows("Udp")) {
            for (UdpCounter c : new UdpCounter[] {UdpCounter.IN_DATAGRAMS, UdpCounter.NO_PORTS, UdpCounter.IN_ERRORS,
                UdpCounter.OUT_DATAGRAMS, UdpCounter.RCVBUF_ERRORS, UdpCounter.IN_CSUM_ERRORS}) {
                sentence(out, "Udp", c, stats.udp(), UDP);
            }
        }
        if (shows("TcpExt")) {
            for (Map.Entry<TcpCounter, String[]> e : TCP_EXT.entrySet()) {
                line(out, "TcpExt", e.getValue()[0], stats.tcp().get(e.getKey()), e.getValue()[1], true);
            }
            // every other extension counter under its own (Linux) name
            for (TcpCounter c : TcpCounter.values()) {
                if (!TCP_EXT.containsKey(c) && !TCP.containsKey(c.displayName()) && c != TcpCounter.IN_CSUM_ERRORS) {
                    line(out, "TcpExt", c.displayName(), stats.tcp().get(c), null, true);
                }
            }
        }
        if (shows("IpExt")) {
            for (IpCounter c : new IpCounter[] {IpCounter.REASM_OVERLAPS, IpCounter.REASM_EVICTIONS,
                IpCounter.IN_MARTIAN_SRC, IpCounter.RX_FAULTS}) {
                line(out, "IpExt", c.displayName(), stats.ip().get(c), null, true);
            }
        }
        if (shows("Arp")) {
            for (ArpCounter c : ArpCounter.values()) {
                line(out, "Arp", c.displayName(), stats.arp().get(c), null, false);
            }
        }
        return out;
    }

    private static <E extends Enum<E> & Counter> void sentence(List<String[]> out, String section, E c,
            CounterSnapshot<E> s, Map<String, String> sentences) {
        String text = sentences.get(c.displayName());
        boolean optional = text != null && text.startsWith("?");
        line(out, section, c.displayName(), s.get(c), optional ? text.substring(1) : text, optional);
    }

    /**
     * A counter: its sentence, or {@code Name: value}; {@code optional}: printed only when not zero,
     * as net-tools prints every counter it has no sentence for ({@code InCsumErrors: 3}).
     */
    private static void line(List<String[]> out, String section, String name, long value, String sentence,
            boolean optional) {
        String text = (optional || sentence == null) && value == 0 ? null
                : "    " + (sentence != null ? String.format(sentence, value) : name + ": " + value);
        out.add(new String[] {section, name, String.valueOf(value), text});
    }

    /** net-tools' histogram: a title, then the non-zero entries indented twice. */
    private void histogram(List<String[]> out, String title, Object[][] entries) {
        boolean titled = false;
        for (Object[] e : entries) {
            long v = stats.icmp().get((IcmpCounter) e[1]);
            String text = null;
            if (v != 0) {
                text = (titled ? "" : "    " + title + "\n") + "        " + e[2] + ": " + v;
                titled = true;
            }
            out.add(new String[] {"Icmp", (String) e[0], String.valueOf(v), text});
        }
    }
}
