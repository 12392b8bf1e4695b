package netkit.console;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.LinkCounters;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.OwnerUsage;
import netkit.api.admin.SocketStatus;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:netstat}: every socket with its token, owner, addresses, state and queues, then the
 * orphans (connections closed by the application, still finishing: token {@code -}, owner
 * {@code orphan}); Linux's {@code -t -u -l -a -n} select and format them, {@code -s} prints the
 * protocol counters, {@code -i} the interface table; {@code -b}: each owning bundle's sockets and
 * buffers against its quotas. Options as getopt reads them ({@code -tuln}); {@code --tsv} prints
 * tab-separated values. Results are objects ({@link Listing}, {@link ProtocolStatistics}) that print
 * as the console shows them.
 */
@Component(service = NetstatCommand.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=netstat"})
public final class NetstatCommand {
    private final NetworkAdmin admin;

    @Activate
    public NetstatCommand(@Reference NetworkAdmin admin) {
        this.admin = admin;
    }

    /** Usage, as the descriptor says it. */
    static final String USAGE = "netstat [-s] [-t] [-u] [-l] [-a] [-n] [-e] [-i] [-b] [--tsv]";

    /**
     * The socket table (every socket; {@code -t}/{@code -u} keep TCP or UDP, {@code -l} listening
     * sockets only, {@code -a} all, neither: non-listening ones, as Linux), the protocol counters
     * ({@code -s}), the interface table ({@code -i}) or what each bundle holds ({@code -b}).
     */
    @Descriptor("show sockets, like Linux netstat: " + USAGE + " (no option: every socket with its token and "
            + "owning bundle; -t TCP, -u UDP, -l listening only, -a all, -n numeric addresses, -e adds protocol "
            + "internals: cwnd, ssthresh, srtt, rto, retransmits; -s per-protocol counters (Ip, Icmp, IcmpMsg, Tcp, "
            + "Udp, TcpExt, IpExt, Arp; -st: TCP only, -su: UDP only); -i the interface table; -b each bundle's "
            + "sockets and buffer KiB against its quotas; --tsv tab-separated values for scripts; combinable as -tuln)")
    public Object netstat(@Descriptor("options") String... args) {
        Options o = Options.parse("netstat", "stulanebi", args, "tsv", "internals", "bundles", "statistics",
                "tcp", "udp", "listening", "all", "numeric", "extend", "interfaces");
        if (!o.operands().isEmpty()) {
            throw new IllegalArgumentException("netstat: unexpected argument '" + o.operands().get(0) + "'; usage: "
                    + USAGE);
        }
        boolean tsv = o.has("--tsv");
        boolean tcp = o.has("-t") || o.has("--tcp");
        boolean udp = o.has("-u") || o.has("--udp");
        if (o.has("-s") || o.has("--statistics")) {
            Set<String> sections = new HashSet<>();
            if (tcp) {
                sections.addAll(ProtocolStatistics.TCP_SECTIONS);
            }
            if (udp) {
                sections.addAll(ProtocolStatistics.UDP_SECTIONS);
            }
            return new ProtocolStatistics(admin.statistics(), Set.copyOf(sections), tsv);
        }
        if (o.has("-b") || o.has("--bundles")) {
            Table t = new Table("Owner", "Sockets", "Buffer KiB");
            for (OwnerUsage u : admin.owners()) {
                t.row(u.owner(), u.sockets() + "/" + u.maxSockets(),
                        kib(u.bufferBytes()) + "/" + kib(u.maxBufferBytes()));
            }
            return new Listing("", t, "", tsv);
        }
        if (o.has("-i") || o.has("--interfaces")) {
            return interfaces(tsv);
        }
        boolean listening = o.has("-l") || o.has("--listening");
        boolean all = o.has("-a") || o.has("--all");
        boolean filtered = tcp || udp || listening || all; // bare netstat: every socket, netkit's own listing
        boolean numeric = o.has("-n") || o.has("--numeric");
        boolean internals = o.has("-e") || o.has("--extend") || o.has("--internals");
        Table t = new Table("Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State", "Token",
                "Owner");
        StringBuilder extra = new StringBuilder();
        for (SocketStatus s : admin.sockets()) {
            if (filtered && !selected(s, tcp, udp, listening, all)) {
                continue;
            }
            String token = s.token() < 0 ? "-" : String.valueOf(s.token()); // an orphan has none
            t.row(s.protocol(), s.recvQ(), s.sendQ(), addr(s.local(), numeric, true), addr(s.remote(), numeric, false),
                    s.state(), token, s.owner());
            if (internals && (s.tcpInfo() != null || !s.details().isEmpty())) {
                extra.append(s.token() < 0 ? addr(s.local()) + " " + addr(s.remote()) : "token " + token).append(':');
                if (s.tcpInfo() != null) {
                    extra.append(' ').append(tcpInfo(s.tcpInfo()));
                }
                for (Map.Entry<String, String> d : s.details().entrySet()) {
                    extra.append(' ').append(d.getKey()).append(' ').append(d.getValue());
                }
                extra.append('\n');
            }
        }
        String title = !filtered ? "" : "Active Internet connections " + (listening && !all ? "(only servers)"
                : all ? "(servers and established)" : "(w/o servers)");
        return new Listing(title, t, extra.toString(), tsv);
    }

    /**
     * Linux's choice: {@code -t}/{@code -u} name the protocols (neither: all); {@code -a} every
     * state, {@code -l} listening sockets only (TCP LISTEN; a UDP or ICMP socket without a peer),
     * otherwise the others.
     */
    static boolean selected(SocketStatus s, boolean tcp, boolean udp, boolean listening, boolean all) {
        if ((tcp || udp) && !(tcp && s.protocol().equals("tcp") || udp && s.protocol().equals("udp"))) {
            return false;
        }
        boolean listens = s.protocol().equals("tcp") ? s.state().equals("LISTEN") : !s.state().equals("ESTABLISHED");
        return all || listening == listens;
    }

    /** {@code netstat -i}: the kernel interface table of Linux netstat. */
    private Listing interfaces(boolean tsv) {
        Table t = new Table("Iface", "MTU", "RX-OK", "RX-ERR", "RX-DRP", "RX-OVR", "TX-OK", "TX-ERR", "TX-DRP",
                "TX-OVR", "Flg");
        for (InterfaceStatus i : admin.interfaces()) {
            LinkCounters c = i.counters();
            // net-tools' letters in its order: B broadcast or L loopback, R running, U up (no M: no multicast)
            String flags = (i.linkKind() == InterfaceStatus.LinkKind.LOOPBACK ? "L" : "B") + (i.running() ? "R" : "")
                    + (i.up() ? "U" : "");
            t.row(i.name(), i.mtu(), c.rxPackets(), c.rxErrors(), c.rxDropped(), Math.max(0, c.rxOverruns()),
                    c.txPackets(), c.txErrors(), c.txDropped(), 0, flags);
        }
        return new Listing("Kernel Interface table", t, "", tsv);
    }

    /**
     * A connection's statistics in the words and order of Linux's {@code ss -ti} (times in ms, rtt
     * as srtt/rttvar); netkit counts cwnd, ssthresh, lost and sacked in bytes where ss counts
     * segments. Figures netkit does not have are not printed.
     */
    static String tcpInfo(TcpInfo i) {
        StringBuilder b = new StringBuilder();
        if (i.timestampsOk()) {
            b.append("ts ");
        }
        if (i.sackOk()) {
            b.append("sack ");
        }
        if (!i.congestionControl().isEmpty()) {
            b.append(i.congestionControl()).append(' ');
        }
        if (i.windowScaleOk()) {
            b.append("wscale:").append(i.sndWscale()).append(',').append(i.rcvWscale()).append(' ');
        }
        b.append("rto:").append(ms(i.rtoMicros()));
        if (i.backoff() > 0) {
            b.append(" backoff:").append(i.backoff());
        }
        b.append(" rtt:").append(ms(i.rttMicros())).append('/').append(ms(i.rttVarMicros()));
        b.append(" ato:").append(ms(i.atoMicros()));
        b.append(" mss:").append(i.sndMss()).append(" pmtu:").append(i.pmtu()).append(" advmss:").append(i.advMss());
        b.append(" cwnd:").append(i.sndCwndBytes());
        if (i.sndSsthreshBytes() != Long.MAX_VALUE && i.sndSsthreshBytes() > 0) {
            b.append(" ssthresh:").append(i.sndSsthreshBytes());
        }
        b.append(" bytes_sent:").append(i.bytesSent());
        if (i.bytesRetrans() > 0) {
            b.append(" bytes_retrans:").append(i.bytesRetrans());
        }
        b.append(" bytes_acked:").append(i.bytesAcked()).append(" bytes_received:").append(i.bytesReceived());
        b.append(" segs_out:").append(i.segsOut()).append(" segs_in:").append(i.segsIn());
        b.append(" data_segs_out:").append(i.dataSegsOut()).append(" data_segs_in:").append(i.dataSegsIn());
        age(b, "lastsnd", i.lastDataSentMillis());
        age(b, "lastrcv", i.lastDataRecvMillis());
        age(b, "lastack", i.lastAckRecvMillis());
        if (i.totalRetrans() > 0) {
            b.append(" retrans:").append(i.retransmits()).append('/').append(i.totalRetrans());
        }
        if (i.lostBytes() > 0) {
            b.append(" lost:").append(i.lostBytes());
        }
        if (i.sackedBytes() > 0) {
            b.append(" sacked:").append(i.sackedBytes());
        }
        if (i.notSentBytes() > 0) {
            b.append(" notsent:").append(i.notSentBytes());
        }
        b.append(" snd_wnd:").append(i.sndWndBytes()).append(" rcv_wnd:").append(i.rcvWndBytes());
        return b.toString();
    }

    private static void age(StringBuilder b, String name, long millis) {
        if (millis >= 0) {
            b.append(' ').append(name).append(':').append(millis);
        }
    }

    /** Microseconds as ss prints milliseconds: up to three decimals, no trailing zeros. */
    private static String ms(long micros) {
        String s = String.format(Locale.ROOT, "%.3f", micros / 1000.0);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }

    static String addr(SockAddr a) {
        if (a == null) {
            return "*:*";
        }
        return (a.address() == 0 ? "*" : SockAddr.formatAddress(a.address())) + ":" + (a.port() == 0 ? "*" : a.port());
    }

    /**
     * With {@code -n} as Linux {@code netstat -n}: {@code 0.0.0.0:53}, a foreign {@code 0.0.0.0:*};
     * otherwise {@code *:53} and {@code *:*} (names are not looked up).
     */
    static String addr(SockAddr a, boolean numeric, boolean local) {
        if (!numeric) {
            return addr(a);
        }
        SockAddr x = a == null ? SockAddr.ANY : a;
        return SockAddr.formatAddress(x.address()) + ":" + (x.port() == 0 ? "*" : String.valueOf(x.port()));
    }
}
