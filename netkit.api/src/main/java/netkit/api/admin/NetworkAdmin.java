package netkit.api.admin;

import java.util.List;
import netkit.api.ErrnoException;
import netkit.api.stats.StackStatistics;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Administration and diagnostics of one stack, for consoles and monitoring. Interfaces are
 * configured through Config Admin (factory PID {@code netkit.interface}); routes and ARP here.
 */
@ProviderType
public interface NetworkAdmin {
    /** The stack's name. */
    String stackName();

    /** Every interface, sorted by name. */
    List<InterfaceStatus> interfaces();

    /** The routing table in lookup order (longest prefix first). */
    List<RouteEntry> routes();

    /**
     * Adds a static route.
     *
     * @param gateway next hop, 0 for an on-link route
     * @param iface   outgoing interface, or null to pick the one whose network holds the gateway
     * @throws ErrnoException EINVAL for a bad prefix; ENETUNREACH when the gateway is not on a
     *                        connected network; ENODEV-like EADDRNOTAVAIL when the interface is unknown
     */
    void addRoute(int destination, int prefix, int gateway, String iface, int metric) throws ErrnoException;

    /**
     * Deletes a static route.
     *
     * @throws ErrnoException EINVAL when no static route matches
     */
    void deleteRoute(int destination, int prefix) throws ErrnoException;

    /**
     * Installs or replaces the dynamic address of {@code iface} (a DHCP lease): address, prefix,
     * default route and MTU follow it until it is cleared or expires. It survives reconfiguration and
     * link swaps of the interface; removing the interface removes it.
     *
     * @throws ErrnoException EADDRNOTAVAIL when there is no such interface; EINVAL when it has
     *                        already expired
     * @since 2.2
     */
    default void setDynamicAddress(String iface, DynamicAddress address) throws ErrnoException {
        throw new ErrnoException(netkit.api.Errno.EOPNOTSUPP, "no dynamic addresses on " + stackName());
    }

    /**
     * Removes the dynamic address of {@code iface}, the interface's configured address (if any)
     * applies again; returns whether there was one.
     *
     * @since 2.2
     */
    default boolean clearDynamicAddress(String iface) {
        return false;
    }

    /**
     * Registers {@code listener} for the stack's {@link NetworkEvent}s from now on (registering it
     * twice has no effect). In OSGi, other bundles subscribe to the same events on the Event Admin
     * instead (topics {@code netkit/*}).
     *
     * @throws UnsupportedOperationException when this admin has no events
     * @since 2.3
     */
    default void addListener(NetworkListener listener) {
        throw new UnsupportedOperationException("no events from " + stackName());
    }

    /**
     * Removes {@code listener}; returns whether it was registered.
     *
     * @since 2.3
     */
    default boolean removeListener(NetworkListener listener) {
        return false;
    }

    /** The ARP cache. */
    List<ArpEntry> arp();

    /** Forgets resolved neighbours of one interface, or of all when {@code iface} is null. */
    int flushArp(String iface);

    /**
     * Attaches a frame tap to an interface (capture).
     *
     * @throws ErrnoException EADDRNOTAVAIL when there is no such interface; EBUSY when it already has one
     */
    void attachTap(String iface, FrameTap tap) throws ErrnoException;

    /** Detaches the interface's tap; returns it, or null when there was none. */
    FrameTap detachTap(String iface);

    /**
     * Every open socket of every owner, then the connections protocols still finish for sockets
     * already closed (TCP orphans, TIME_WAIT included), with token -1 and owner {@code orphan}.
     */
    List<SocketStatus> sockets();

    /** Every owner holding sockets, with its use of its socket and buffer quotas, by owner name. */
    List<OwnerUsage> owners();

    /** The counters of IP, ARP, ICMP, UDP and TCP. */
    StackStatistics statistics();
}
