package netkit.console;

import java.util.Map;
import netkit.api.SockAddr;
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
 * {@code orphan}); {@code -b}: each owning bundle's sockets and buffers against its quotas.
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
    @Descriptor("show sockets (-i adds protocol internals: cwnd, ssthresh, srtt, rto, retransmits; "
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
            if (internals && !s.details().isEmpty()) {
                extra.append(s.token() < 0 ? addr(s.local()) + " " + addr(s.remote()) : "token " + token).append(':');
                for (Map.Entry<String, String> d : s.details().entrySet()) {
                    extra.append(' ').append(d.getKey()).append(' ').append(d.getValue());
                }
                extra.append('\n');
            }
        }
        return t + extra.toString();
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
