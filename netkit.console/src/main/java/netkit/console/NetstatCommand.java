package netkit.console;

import java.util.Map;
import netkit.api.SockAddr;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.SocketStatus;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code netkit:netstat}: every socket with its token, owner, addresses, state and queues. */
@Component(service = NetstatCommand.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=netstat"})
public final class NetstatCommand {
    private final NetworkAdmin admin;

    @Activate
    public NetstatCommand(@Reference NetworkAdmin admin) {
        this.admin = admin;
    }

    /** The socket table. */
    @Descriptor("show sockets (-i adds protocol internals: cwnd, ssthresh, srtt, rto, retransmits)")
    public String netstat(@Descriptor("show internals") @Parameter(names = {"-i", "--internals"},
            presentValue = "true", absentValue = "false") boolean internals) {
        Table t = new Table("Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State", "Token",
                "Owner");
        StringBuilder extra = new StringBuilder();
        for (SocketStatus s : admin.sockets()) {
            t.row(s.protocol(), s.recvQ(), s.sendQ(), addr(s.local()), addr(s.remote()), s.state(), s.token(),
                    s.owner());
            if (internals && !s.details().isEmpty()) {
                extra.append("token ").append(s.token()).append(':');
                for (Map.Entry<String, String> d : s.details().entrySet()) {
                    extra.append(' ').append(d.getKey()).append(' ').append(d.getValue());
                }
                extra.append('\n');
            }
        }
        return t + extra.toString();
    }

    static String addr(SockAddr a) {
        if (a == null) {
            return "*:*";
        }
        return (a.address() == 0 ? "*" : SockAddr.formatAddress(a.address())) + ":" + (a.port() == 0 ? "*" : a.port());
    }
}
