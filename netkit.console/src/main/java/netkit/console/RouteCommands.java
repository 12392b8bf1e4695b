package netkit.console;

import netkit.api.ErrnoException;
import netkit.api.SockAddr;
import netkit.api.admin.ArpEntry;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.wire.MacAddress;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code netkit:route} and {@code netkit:arp}, in the manner of {@code ip route} and {@code ip neigh}. */
@Component(service = RouteCommands.class, property = {"osgi.command.scope=netkit", "osgi.command.function=route",
    "osgi.command.function=arp"})
public final class RouteCommands {
    private final NetworkAdmin admin;

    @Activate
    public RouteCommands(@Reference NetworkAdmin admin) {
        this.admin = admin;
    }

    /** The routing table. */
    @Descriptor("show the routing table")
    public String route() {
        StringBuilder sb = new StringBuilder();
        for (RouteEntry r : admin.routes()) {
            sb.append(r.prefix() == 0 && r.destination() == 0 ? "default"
                    : SockAddr.formatAddress(r.destination()) + "/" + r.prefix());
            if (r.gateway() != 0) {
                sb.append(" via ").append(SockAddr.formatAddress(r.gateway()));
            }
            sb.append(" dev ").append(r.iface()).append(" proto ").append(r.origin());
            if (r.gateway() == 0) {
                sb.append(" scope link");
            }
            if (r.source() != 0) {
                sb.append(" src ").append(SockAddr.formatAddress(r.source()));
            }
            if (r.metric() != 0) {
                sb.append(" metric ").append(r.metric());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Adds or deletes a static route. */
    @Descriptor("change routes: route add DEST/PREFIX|default [via GW] [dev IFACE] [metric N] | route del DEST/PREFIX")
    public String route(@Descriptor("add, del or list") String op, @Descriptor("route") String... args)
            throws ErrnoException {
        if (op.equals("list") || op.equals("show")) {
            return route();
        }
        if (args.length == 0) {
            throw new IllegalArgumentException("route " + op + " needs a destination");
        }
        int[] dst = prefix(args[0]);
        if (op.equals("del") || op.equals("delete")) {
            admin.deleteRoute(dst[0], dst[1]);
            return "deleted\n";
        }
        if (!op.equals("add")) {
            throw new IllegalArgumentException("unknown route operation '" + op + "'");
        }
        int gw = 0;
        String dev = null;
        int metric = 0;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "via" -> gw = SockAddr.parseAddress(args[i + 1]);
                case "dev" -> dev = args[i + 1];
                case "metric" -> metric = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unexpected '" + args[i] + "'");
            }
        }
        admin.addRoute(dst[0], dst[1], gw, dev, metric);
        return "added\n";
    }

    static int[] prefix(String s) {
        if (s.equals("default")) {
            return new int[] {0, 0};
        }
        int slash = s.indexOf('/');
        int a = SockAddr.parseAddress(slash < 0 ? s : s.substring(0, slash));
        int p = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
        if (p < 0 || p > 32) {
            throw new IllegalArgumentException("prefix out of range: " + p);
        }
        return new int[] {a, p};
    }

    /** The ARP cache. */
    @Descriptor("show the ARP cache")
    public String arp() {
        StringBuilder sb = new StringBuilder();
        for (ArpEntry e : admin.arp()) {
            sb.append(SockAddr.formatAddress(e.address())).append(" dev ").append(e.iface());
            if (e.mac() != 0) {
                sb.append(" lladdr ").append(MacAddress.format(e.mac()));
            }
            sb.append(' ').append(e.state());
            if (e.queued() > 0) {
                sb.append(" queued ").append(e.queued());
            }
            if (e.mac() != 0) {
                sb.append(" age ").append(e.ageMillis() / 1000).append('s');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Flushes the ARP cache. */
    @Descriptor("flush the ARP cache: arp flush [IFACE]")
    public String arp(@Descriptor("flush") String op, @Descriptor("interface") String... iface) {
        if (!op.equals("flush")) {
            throw new IllegalArgumentException("unknown arp operation '" + op + "'");
        }
        int n = admin.flushArp(iface.length > 0 ? iface[0] : null);
        return "flushed " + n + " entries\n";
    }
}
