package netkit.console;

import java.util.Map;
import netkit.api.admin.NetworkAdmin;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.StackStatistics;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:nstat}: the stack's protocol counters, one per line, named as Linux's {@code nstat}
 * names them (the protocol, then the counter: {@code TcpActiveOpens}; Linux's own extensions of
 * TCP under {@code TcpExt}: {@code TcpExtTCPLossProbes}, {@code TcpExtTCPHystartDelayDetect}); the
 * counters that are not zero, or all of them with {@code -z}.
 */
@Component(service = NstatCommand.class, property = {"osgi.command.scope=netkit",
    "osgi.command.function=nstat"})
public final class NstatCommand {
    private final NetworkAdmin admin;

    @Activate
    public NstatCommand(@Reference NetworkAdmin admin) {
        this.admin = admin;
    }

    /** The counters, {@code nstat -a} style (absolute values since the stack started). */
    @Descriptor("show the protocol counters (-z: zeros too)")
    public String nstat(@Descriptor("show counters that are zero too") @Parameter(names = {"-z", "--zeros"},
            presentValue = "true", absentValue = "false") boolean zeros) {
        StackStatistics s = admin.statistics();
        StringBuilder sb = new StringBuilder("#netkit ").append(admin.stackName()).append('\n');
        add(sb, "Ip", s.ip(), zeros);
        add(sb, "Arp", s.arp(), zeros);
        add(sb, "Icmp", s.icmp(), zeros);
        add(sb, "Udp", s.udp(), zeros);
        add(sb, "Tcp", s.tcp(), zeros);
        return sb.toString();
    }

    private static void add(StringBuilder sb, String group, CounterSnapshot<?> snapshot, boolean zeros) {
        for (Map.Entry<String, Long> e : snapshot.byName().entrySet()) {
            if (e.getValue() == 0 && !zeros) {
                continue;
            }
            String name = e.getKey();
            // Linux's TCP extensions (TCP..., TW...) are TcpExt counters in nstat.
            String prefix = group.equals("Tcp") && (name.startsWith("TCP") || name.startsWith("TW")) ? "TcpExt" : group;
            String full = prefix + name;
            sb.append(full);
            for (int i = full.length(); i < 32; i++) {
                sb.append(' ');
            }
            sb.append(' ').append(e.getValue()).append('\n');
        }
    }
}
