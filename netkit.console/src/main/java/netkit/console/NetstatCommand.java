package netkit.console;

import java.util.Locale;
import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.TcpInfo;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.OwnerUsage;
import netkit.api.admin.SocketStatus;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:netstat}: every socket with its token, owner, addresses, state and queues, then the
 * orphans (connections closed by the application, still finishing: token {@code -}, owner
 * {@code orphan}); {@code -b}: each owning bundle's sockets and buffers against its quotas. {@code -i}
 * adds each TCP connection's {@link TcpInfo} (the record {@code SocketManager.tcpInfo} gives its
 * owner) in {@code ss -ti}'s words, and other protocols' internals.
 */
@Component(service = NetstatCommand.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=netstat"})
public final class NetstatCommand {
    private final NetworkAdmin admin;

    @Activate
    public NetstatCommand(@Reference NetworkAdmin admin) {
        this.admin = admin;
    }

    /** The socket table, or with {@code -b} what each bundle holds of its quotas. */
    @Descriptor("show sockets (-i adds protocol internals, TCP's as ss -ti: rtt, rto, cwnd and ssthresh in bytes, "
            + "retrans, bytes and segments; "
            + "-b shows each bundle's sockets and buffer KiB against its quotas)")
    public String netstat(@Descriptor("show internals") @Parameter(names = {"-i", "--internals"},
            presentValue = "true", absentValue = "false") boolean internals,
            @Descriptor("per bundle: sockets and buffers used/quota") @Parameter(names = {"-b", "--bundles"},
                    presentValue = "true", absentValue = "false") boolean bundles) {
        if (bundles) {
            Table t = new Table("Owner", "Sockets", "Buffer KiB");
            for (OwnerUsage u : admin.owners()) {
                t.row(u.owner(), u.sockets() + "/" + u.maxSockets(),
                        kib(u.bufferBytes()) + "/" + kib(u.maxBufferBytes()));
            }
            return t.toString();
        }
        Table t = new Table("Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State", "Token",
                "Owner");
        StringBuilder extra = new StringBuilder();
        for (SocketStatus s : admin.sockets()) {
            String token = s.token() < 0 ? "-" : String.valueOf(s.token()); // an orphan has none
            t.row(s.protocol(), s.recvQ(), s.sendQ(), addr(s.local()), addr(s.remote()), s.state(), token,
                    s.owner());
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
        return t + extra.toString();
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
}
