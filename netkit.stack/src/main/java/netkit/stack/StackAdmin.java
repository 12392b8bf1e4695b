package netkit.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import netkit.api.admin.DynamicAddress;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.ArpEntry;
import netkit.api.admin.InterfaceStatus;
import netkit.api.admin.NetworkAdmin;
import netkit.api.admin.RouteEntry;
import netkit.api.admin.SocketStatus;
import netkit.api.spi.protocol.ProtocolInstance;
import netkit.api.stats.CounterSnapshot;
import netkit.api.stats.StackStatistics;
import netkit.api.time.Timer;
import netkit.stack.arp.ArpCache;
import netkit.stack.iface.NetInterface;
import netkit.stack.route.RoutingTable;
import netkit.stack.socket.ProtocolRegistry;

/** {@link NetworkAdmin} over a {@link Stack}: snapshots taken under the stack lock. */
final class StackAdmin implements NetworkAdmin {
    private final Stack stack;
    private final Interfaces interfaces;
    private final RoutingTable routing;
    private final ArpCache arp;
    private final ProtocolRegistry protocols;
    private final Consumer<NetInterface> announce;

    /**
     * Administration of {@code stack}'s interfaces, routes, ARP cache and protocols; {@code announce}
     * sends a gratuitous ARP for an interface whose address changed.
     */
    StackAdmin(Stack stack, Interfaces interfaces, RoutingTable routing, ArpCache arp, ProtocolRegistry protocols,
            Consumer<NetInterface> announce) {
        this.stack = stack;
        this.announce = announce;
        this.interfaces = interfaces;
        this.routing = routing;
        this.arp = arp;
        this.protocols = protocols;
    }

    @Override
    public String stackName() {
        return stack.context().stackName();
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        stack.lock().lock();
        try {
            List<InterfaceStatus> out = new ArrayList<>();
            long now = stack.context().loop().nanoTime();
            for (NetInterface i : interfaces.snapshot()) {
                out.add(i.status(now));
            }
            return out;
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public List<RouteEntry> routes() {
        stack.lock().lock();
        try {
            return routing.rows();
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public void addRoute(int destination, int prefix, int gateway, String iface, int metric) throws ErrnoException {
        stack.lock().lock();
        try {
            NetInterface out = iface == null ? null : interfaces.get(iface);
            if (iface != null && out == null) {
                throw new ErrnoException(Errno.EADDRNOTAVAIL, "no interface " + iface);
            }
            if (gateway != 0) {
                NetInterface onLink = null;
                for (NetInterface i : interfaces.snapshot()) {
                    if (i.address() != 0 && (gateway & i.mask()) == (i.address() & i.mask())
                            && (out == null || out == i)) {
                        onLink = i;
                        break;
                    }
                }
                if (onLink == null) {
                    throw new ErrnoException(Errno.ENETUNREACH, "gateway is not on a connected network");
                }
                out = onLink;
            } else if (out == null) {
                throw new ErrnoException(Errno.EINVAL, "an on-link route needs an interface");
            }
            routing.add(new RouteEntry(destination, prefix, gateway, out.name(), out.address(),
                    RoutingTable.STATIC, metric));
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public void deleteRoute(int destination, int prefix) throws ErrnoException {
        stack.lock().lock();
        try {
            if (routing.removeStatic(destination, prefix) == 0) {
                throw new ErrnoException(Errno.EINVAL, "no such static route");
            }
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public void setDynamicAddress(String iface, DynamicAddress address) throws ErrnoException {
        stack.lock().lock();
        try {
            NetInterface i = interfaces.get(iface);
            if (i == null) {
                throw new ErrnoException(Errno.EADDRNOTAVAIL, "no interface " + iface);
            }
            long left = address.expiresNanos() - stack.context().loop().nanoTime();
            if (left <= 0) {
                throw new ErrnoException(Errno.EINVAL, "the address has expired");
            }
            // The stack itself takes an expired address away, whatever became of its client.
            Timer expiry = stack.context().schedule(left, () -> {
                if (interfaces.get(iface) == i && i.dynamic() == address) {
                    interfaces.dynamic(i, null, null);
                    stack.observed();
                }
            });
            if (interfaces.dynamic(i, address, expiry)) {
                announce.accept(i); // RFC 2131 §4.4.1: announce the new address (gratuitous ARP)
            }
            stack.observed();
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public boolean clearDynamicAddress(String iface) {
        stack.lock().lock();
        try {
            NetInterface i = interfaces.get(iface);
            if (i == null || i.dynamic() == null) {
                return false;
            }
            interfaces.dynamic(i, null, null);
            stack.observed();
            return true;
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public void addListener(netkit.api.admin.NetworkListener listener) {
        stack.addListener(listener);
    }

    @Override
    public boolean removeListener(netkit.api.admin.NetworkListener listener) {
        return stack.removeListener(listener);
    }

    @Override
    public List<ArpEntry> arp() {
        stack.lock().lock();
        try {
            return arp.list();
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public int flushArp(String iface) {
        stack.lock().lock();
        try {
            return arp.flush(iface);
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public void attachTap(String iface, netkit.api.admin.FrameTap tap) throws ErrnoException {
        stack.lock().lock();
        try {
            NetInterface i = interfaces.get(iface);
            if (i == null) {
                throw new ErrnoException(Errno.EADDRNOTAVAIL, "no interface " + iface);
            }
            if (i.tap() != null) {
                throw new ErrnoException(Errno.EBUSY, iface + " is already being captured");
            }
            i.tap(tap);
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public netkit.api.admin.FrameTap detachTap(String iface) {
        stack.lock().lock();
        try {
            NetInterface i = interfaces.get(iface);
            if (i == null) {
                return null;
            }
            netkit.api.admin.FrameTap t = i.tap();
            i.tap((netkit.api.admin.FrameTap) null);
            return t;
        } finally {
            stack.lock().unlock();
        }
    }

    @Override
    public List<SocketStatus> sockets() {
        return stack.socketLayer().statuses();
    }

    @Override
    public List<netkit.api.admin.OwnerUsage> owners() {
        return stack.socketLayer().table().usage();
    }

    @Override
    public StackStatistics statistics() {
        StackStatistics out = stack.layerStatistics();
        stack.lock().lock();
        try {
            for (ProtocolInstance p : protocols.active().values()) {
                Optional<CounterSnapshot<?>> counters = p.counters();
                if (counters.isPresent()) {
                    out = out.plus(counters.get());
                }
            }
        } finally {
            stack.lock().unlock();
        }
        return out;
    }
}
