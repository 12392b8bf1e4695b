package netkit.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import netkit.api.ErrnoException;
import netkit.api.admin.RouteEntry;
import netkit.api.spi.impair.FaultInjectingLink;
import netkit.api.spi.impair.ImpairmentParameters;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.stack.iface.InterfaceConfig;
import netkit.stack.iface.NetInterface;
import netkit.stack.route.RoutingTable;

/**
 * The interfaces of a stack and the link drivers that serve them: opens a link when an
 * interface's driver is present, closes it when the driver leaves (the interface stays configured),
 * reopens on reconfiguration or driver swap, and keeps connected and gateway routes in step. Used
 * under the stack lock.
 */
final class Interfaces {
    private static final System.Logger LOG = System.getLogger(Interfaces.class.getName());

    private final Stack stack;
    private final Map<String, NetInterface> byName = new TreeMap<>();
    private final Map<String, RxQueue> queues = new HashMap<>();
    private final Map<String, LinkDriver> drivers = new HashMap<>();

    Interfaces(Stack stack) {
        this.stack = stack;
    }

    NetInterface get(String name) {
        return byName.get(name);
    }

    List<NetInterface> all() {
        return new ArrayList<>(byName.values());
    }

    /** Adds or reconfigures an interface; refuses parameter keys its driver (when present) does not take. */
    void configure(InterfaceConfig cfg) {
        cfg.validate();
        LinkDriver driver = drivers.get(cfg.driver());
        if (driver != null) {
            ImpairmentParameters.checkKeys(driver.name(), driver.parameterKeys(), cfg.parameters());
        }
        NetInterface iface = byName.get(cfg.name());
        boolean relink;
        if (iface == null) {
            iface = new NetInterface(cfg);
            byName.put(cfg.name(), iface);
            relink = true;
        } else {
            InterfaceConfig old = iface.config();
            relink = !old.driver().equals(cfg.driver()) || !old.parameters().equals(cfg.parameters())
                    || old.mac() != cfg.mac() || old.mtu() != cfg.mtu() || iface.link() == null;
            iface.config(cfg);
        }
        if (relink) {
            closeLink(iface);
            openLink(iface);
        }
        updateRoutes(iface);
        if (iface.running() && iface.link().kind() == Link.Kind.ETHERNET) {
            stack.arp().announce(iface);
        }
    }

    /** Removes an interface, its link and routes. */
    void remove(String name) {
        NetInterface iface = byName.remove(name);
        if (iface != null) {
            closeLink(iface);
            stack.routing().removeInterface(name, null);
            stack.arp().flush(name);
        }
    }

    void addDriver(LinkDriver d) {
        drivers.put(d.name(), d);
        for (NetInterface iface : byName.values()) {
            if (iface.link() == null && iface.config().driver().equals(d.name())) {
                openLink(iface);
                updateRoutes(iface);
                if (iface.running() && iface.link().kind() == Link.Kind.ETHERNET) {
                    stack.arp().announce(iface);
                }
            }
        }
    }

    void removeDriver(LinkDriver d) {
        if (drivers.get(d.name()) != d) {
            return;
        }
        drivers.remove(d.name());
        for (NetInterface iface : byName.values()) {
            if (iface.config().driver().equals(d.name())) {
                closeLink(iface);
            }
        }
    }

    private void openLink(NetInterface iface) {
        InterfaceConfig cfg = iface.config();
        LinkDriver d = drivers.get(cfg.driver());
        iface.linkError(null);
        if (d == null) {
            return; // stays configured, not running, until the driver appears
        }
        RxQueue q = new RxQueue(stack, iface);
        try {
            // Impairment parameters work on every driver: the stack decorates the link (seeded per interface).
            Link link = FaultInjectingLink.open(d, new LinkConfig(cfg.name(), cfg.mtu(), cfg.mac(), cfg.parameters(),
                    stack.pool()), q, stack.loop(), (stack.stackName() + "/" + cfg.name()).hashCode());
            q.link(link);
            iface.link(link);
            queues.put(cfg.name(), q);
        } catch (IOException | RuntimeException e) {
            iface.linkError(e.getMessage() != null ? e.getMessage() : e.toString());
            LOG.log(System.Logger.Level.WARNING, "cannot open " + cfg.driver() + " link for " + cfg.name(), e);
        }
    }

    private void closeLink(NetInterface iface) {
        Link l = iface.link();
        iface.link(null);
        RxQueue q = queues.remove(iface.name());
        if (q != null) {
            q.close();
        }
        if (l != null) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing link of " + iface.name() + " failed", e);
            }
        }
    }

    /** Connected route for the interface's network, default route through its gateway. */
    private void updateRoutes(NetInterface iface) {
        RoutingTable rt = stack.routing();
        String name = iface.name();
        rt.removeInterface(name, RoutingTable.CONNECTED);
        rt.removeInterface(name, "gateway");
        InterfaceConfig c = iface.config();
        if (c.address() == 0) {
            return;
        }
        try {
            rt.add(new RouteEntry(c.address() & c.mask(), c.prefix(), 0, name, c.address(), RoutingTable.CONNECTED,
                    0));
            if (c.gateway() != 0) {
                rt.add(new RouteEntry(0, 0, c.gateway(), name, c.address(), "gateway", 0));
            }
        } catch (ErrnoException e) {
            LOG.log(System.Logger.Level.WARNING, "route for " + name + ": " + e.getMessage());
        }
    }

    /** Closes every link (stack shutdown). */
    void closeAll() {
        for (NetInterface iface : byName.values()) {
            closeLink(iface);
        }
    }
}
