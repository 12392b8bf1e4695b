package netkit.console.names;

import netkit.api.SockAddr;
import netkit.api.netdb.HostEntry;
import netkit.api.netdb.NetDb;
import netkit.api.netdb.NetDbException;
import netkit.api.netdb.ResolverConfiguration;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code netkit:host NAME|ADDRESS} (the output of Linux {@code host}) and {@code netkit:nslookup
 * NAME|ADDRESS} (of {@code nslookup}), through the {@link NetDb} service: hosts table, cache and
 * name servers. A failed lookup prints one line and fails the command (exit status 1).
 */
@Component(service = HostCommands.class, property = {"osgi.command.scope=netkit", "osgi.command.function=host",
    "osgi.command.function=nslookup"})
public final class HostCommands {
    // optional, so the console bundle resolves without the resolver (Karaf resolves mandatory service references)
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NetDb resolver;

    /** For Declarative Services. */
    public HostCommands() {
    }

    /** With {@code netdb} (plain Java, tests). */
    public HostCommands(NetDb netdb) {
        this.resolver = netdb;
    }

    private NetDb netdb() {
        NetDb d = resolver;
        if (d == null) {
            throw new IllegalStateException("no resolver: the netkit.dns bundle is not running");
        }
        return d;
    }

    /** Looks a name or address up and prints it as Linux host does. */
    @Descriptor("look up a host name or address: host NAME|ADDRESS")
    public String host(@Descriptor("host name or IPv4 address") String target) throws NetDbException {
        StringBuilder out = new StringBuilder();
        Integer address = quad(target);
        try {
            if (address != null) {
                HostEntry h = netdb().gethostbyaddr(address);
                String ptr = reverse(address);
                out.append(ptr).append(" domain name pointer ").append(h.name()).append(".\n");
                for (String alias : h.aliases()) {
                    out.append(ptr).append(" domain name pointer ").append(alias).append(".\n");
                }
                return out.toString();
            }
            HostEntry h = netdb().gethostbyname(target);
            for (int i = 0; i < h.aliases().size(); i++) {
                String next = i + 1 < h.aliases().size() ? h.aliases().get(i + 1) : h.name();
                out.append(h.aliases().get(i)).append(" is an alias for ").append(next).append(".\n");
            }
            for (int a : h.addresses()) {
                out.append(h.name()).append(" has address ").append(SockAddr.formatAddress(a)).append('\n');
            }
            return out.toString();
        } catch (NetDbException e) {
            throw new NetDbException(e.error(), "Host " + target + " not found: " + rcode(e));
        }
    }

    /** Looks a name or address up and prints it as nslookup does. */
    @Descriptor("look up a host name or address, nslookup style: nslookup NAME|ADDRESS")
    public String nslookup(@Descriptor("host name or IPv4 address") String target) throws NetDbException {
        StringBuilder out = new StringBuilder();
        ResolverConfiguration c = netdb().configuration();
        if (!c.nameServers().isEmpty()) {
            String server = SockAddr.formatAddress(c.nameServers().get(0));
            out.append("Server:\t\t").append(server).append('\n');
            out.append("Address:\t").append(server).append("#53\n\n");
        } else {
            out.append("Server:\t\t(none: hosts table only)\n\n");
        }
        Integer address = quad(target);
        try {
            if (address != null) {
                HostEntry h = netdb().gethostbyaddr(address);
                out.append(reverse(address)).append("\tname = ").append(h.name()).append(".\n");
                for (String alias : h.aliases()) {
                    out.append(reverse(address)).append("\tname = ").append(alias).append(".\n");
                }
                return out.toString();
            }
            HostEntry h = netdb().gethostbyname(target);
            for (int i = 0; i < h.aliases().size(); i++) {
                out.append(h.aliases().get(i)).append("\tcanonical name = ")
                        .append(i + 1 < h.aliases().size() ? h.aliases().get(i + 1) : h.name()).append(".\n");
            }
            for (int a : h.addresses()) {
                out.append("Name:\t").append(h.name()).append('\n');
                out.append("Address: ").append(SockAddr.formatAddress(a)).append('\n');
            }
            return out.toString();
        } catch (NetDbException e) {
            System.out.print(out);
            throw new NetDbException(e.error(), "** server can't find " + target + ": " + switch (e.error()) {
                case HOST_NOT_FOUND -> "NXDOMAIN";
                case TRY_AGAIN -> "SERVFAIL";
                case NO_RECOVERY -> "REFUSED";
                case NO_DATA -> "No answer";
            });
        }
    }

    private static Integer quad(String text) {
        try {
            return SockAddr.parseAddress(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String reverse(int address) {
        return (address & 0xff) + "." + ((address >>> 8) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + (address >>> 24) + ".in-addr.arpa";
    }

    /** The RCODE text host and nslookup print for each failure. */
    private static String rcode(NetDbException e) {
        return switch (e.error()) {
            case HOST_NOT_FOUND -> "3(NXDOMAIN)";
            case TRY_AGAIN -> "2(SERVFAIL)";
            case NO_RECOVERY -> "5(REFUSED)";
            case NO_DATA -> "0(NOERROR), no address";
        };
    }
}
