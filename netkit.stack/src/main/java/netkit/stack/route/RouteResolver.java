package netkit.stack.route;

import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.SockAddr;
import netkit.api.admin.RouteEntry;
import netkit.api.spi.link.Link;
import netkit.api.spi.protocol.Route;
import netkit.api.stats.CounterSet;
import netkit.api.stats.IpCounter;
import netkit.stack.iface.InterfaceLookup;
import netkit.stack.iface.NetInterface;

/**
 * The route decision of a host: which interface, next hop, source address and MTU a datagram to a
 * destination takes, and which addresses are this host's own or broadcast. Own addresses go through
 * the loopback interface (weak host model, RFC 1122 §3.3.4.2); the limited broadcast leaves by the
 * first addressed non-loopback interface; everything else follows the {@link RoutingTable}.
 */
public final class RouteResolver {
    private final InterfaceLookup interfaces;
    private final RoutingTable table;
    private final CounterSet<IpCounter> ipCounters;

    /** Routes over {@code interfaces} and {@code table}, counting failures as IP OutNoRoutes. */
    public RouteResolver(InterfaceLookup interfaces, RoutingTable table, CounterSet<IpCounter> ipCounters) {
        this.interfaces = interfaces;
        this.table = table;
        this.ipCounters = ipCounters;
    }

    /**
     * The route to {@code dst}. Caller holds the stack lock.
     *
     * @param onLinkOnly SO_DONTROUTE: only directly connected destinations
     * @throws ErrnoException ENETUNREACH when nothing matches
     */
    public Route lookup(int dst, boolean onLinkOnly) throws ErrnoException {
        NetInterface owner = ownerOf(dst);
        if (owner != null) {
            NetInterface lo = loopbackInterface();
            NetInterface via = lo != null ? lo : owner;
            return new Route(dst, dst, dst, via.name(), Math.min(65535, lo != null ? lo.mtu() : 65535), true, false);
        }
        if (dst == -1) {
            for (NetInterface i : interfaces.snapshot()) {
                if (i.up() && i.address() != 0 && !isLoopback(i)) {
                    return new Route(dst, dst, i.address(), i.name(), i.mtu(), false, true);
                }
            }
            ipCounters.inc(IpCounter.OUT_NO_ROUTES);
            throw new ErrnoException(Errno.ENETUNREACH, "no interface for broadcast");
        }
        RouteEntry r = table.lookup(dst, n -> {
            NetInterface i = interfaces.get(n);
            return i != null && i.up();
        });
        if (r == null || onLinkOnly && r.gateway() != 0) {
            ipCounters.inc(IpCounter.OUT_NO_ROUTES);
            throw new ErrnoException(Errno.ENETUNREACH, "no route to " + SockAddr.formatAddress(dst));
        }
        NetInterface i = interfaces.get(r.iface());
        Link l = i.link();
        return new Route(dst, r.gateway() != 0 ? r.gateway() : dst, i.address(), i.name(), i.mtu(),
                l != null && l.checksumNotNeeded(), dst == i.broadcastAddress());
    }

    /** Whether {@code address} is an address of any interface (weak host model). Any thread. */
    public boolean isLocalAddress(int address) {
        return ownerOf(address) != null;
    }

    /** Whether {@code address} is the limited broadcast or any interface's subnet broadcast. Any thread. */
    public boolean isBroadcast(int address) {
        if (address == -1) {
            return true;
        }
        for (NetInterface i : interfaces.snapshot()) {
            if (i.broadcastAddress() != 0 && i.broadcastAddress() == address) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code address} is the limited broadcast or the subnet broadcast of {@code iface}. */
    public static boolean isBroadcastFor(NetInterface iface, int address) {
        return address == -1 || (iface.broadcastAddress() != 0 && iface.broadcastAddress() == address);
    }

    /**
     * Whether {@code src} is a martian source for a datagram to {@code dst} received on {@code iface}
     * (RFC 1122 §3.2.1.3, RFC 1812 §5.3.7, RFC 9293 MUST-63 for TCP; Linux {@code ip_route_input_slow}):
     * the limited or a subnet broadcast, multicast (224/4), class E (240/4), or "this network" (0/8,
     * allowed only to the limited broadcast: an initializing host). From a link other than loopback
     * also 127/8 and this host's own addresses: they are only ever looped back, and a LAND segment
     * (source = destination) would make a connection talk to itself. Any thread.
     */
    public boolean isMartianSource(NetInterface iface, int src, int dst) {
        int first = src >>> 24;
        if (first >= 224 || isBroadcastFor(iface, src)) {
            return true; // 224/4 multicast, 240/4 class E and 255.255.255.255, subnet broadcast
        }
        if (first == 0) {
            return dst != -1;
        }
        return !isLoopback(iface) && (first == 127 || isLocalAddress(src));
    }

    private NetInterface ownerOf(int address) {
        return interfaces.owner(address); // an index kept by the interfaces, no scan per packet (#13)
    }

    private NetInterface loopbackInterface() {
        for (NetInterface i : interfaces.snapshot()) {
            if (i.running() && isLoopback(i)) {
                return i;
            }
        }
        return null;
    }

    private static boolean isLoopback(NetInterface i) {
        Link l = i.link();
        return l != null && l.kind() == Link.Kind.LOOPBACK;
    }
}
