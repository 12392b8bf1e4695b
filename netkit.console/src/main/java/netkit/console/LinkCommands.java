package netkit.console;

import java.io.IOException;
import java.util.List;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code netkit:link}: lists the link drivers present, adds an interface on a driver, and swaps
 * the driver under a live interface (its address and sockets stay; the link is replaced).
 */
@Component(service = LinkCommands.class, property = {"osgi.command.scope=netkit", "osgi.command.function=link"})
public final class LinkCommands {
    private final InterfaceCommands ifconfig;
    private final NetworkAdmin admin;

    @Activate
    public LinkCommands(@Reference InterfaceCommands ifconfig, @Reference NetworkAdmin admin) {
        this.ifconfig = ifconfig;
        this.admin = admin;
    }

    /** The drivers present and what each interface runs on. */
    @Descriptor("list link drivers and interfaces: link list; the drivers' parameters: link drivers")
    public String link(@Descriptor("list or drivers") String op) {
        if (op.equals("drivers")) {
            return LinkDrivers.describe(ifconfig.driverNames(), ifconfig::driver);
        }
        if (!op.equals("list")) {
            throw new IllegalArgumentException("link list | link drivers | link add IFACE DRIVER [KEY=VALUE]... | link swap IFACE DRIVER [KEY=VALUE]...");
        }
        Table t = new Table("Interface", "Driver", "Running");
        for (InterfaceStatus s : admin.interfaces()) {
            t.row(s.name(), s.driver(), s.running() ? "yes" : "no");
        }
        return "drivers: " + String.join(" ", ifconfig.driverNames()) + "\n" + t;
    }

    /** Adds an interface on a driver, or swaps the driver of one. */
    @Descriptor("link add IFACE DRIVER [KEY=VALUE]... | link swap IFACE DRIVER [KEY=VALUE]...")
    public String link(@Descriptor("add or swap") String op, @Descriptor("interface") String iface,
            @Descriptor("driver") String driver, @Descriptor("driver parameters") String... params)
            throws IOException, InvalidSyntaxException {
        boolean exists = admin.interfaces().stream().anyMatch(s -> s.name().equals(iface));
        if (op.equals("add") && exists) {
            throw new IllegalArgumentException(iface + " exists; use link swap");
        }
        if (op.equals("swap") && !exists) {
            throw new IllegalArgumentException("no interface " + iface);
        }
        if (!op.equals("add") && !op.equals("swap")) {
            throw new IllegalArgumentException("unknown link operation '" + op + "'");
        }
        List<String> args = new java.util.ArrayList<>(List.of("driver", driver));
        if (op.equals("swap")) {
            args.add("param");
            args.add("-"); // replaces the old driver's parameters
        }
        for (String p : params) {
            args.add("param");
            args.add(p);
        }
        args.add("up");
        ifconfig.ifconfig(iface, args.toArray(new String[0]));
        return (op.equals("add") ? "added " : "swapped ") + iface + " on " + driver + "\n";
    }
}
