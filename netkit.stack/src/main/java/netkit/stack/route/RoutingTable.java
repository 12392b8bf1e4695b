package netkit.stack.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import netkit.api.Errno;
import netkit.api.ErrnoException;
import netkit.api.admin.RouteEntry;

/**
 * The routing table: longest-prefix match (RFC 1812 §5.2.4.3), then lowest metric. Connected
 * routes come and go with interface addresses; static routes are added by the administrator or by
 * an interface's gateway. Not thread-safe: used under the stack lock.
 */
public final class RoutingTable {
    /** Route origin of connected networks. */
    public static final String CONNECTED = "kernel";
    /** Route origin of configured routes. */
    public static final String STATIC = "static";

    private final List<RouteEntry> rows = new ArrayList<>();

    /**
     * Adds a route.
     *
     * @throws ErrnoException EINVAL for a prefix outside 0..32; EEXIST-like EADDRINUSE when the same
     *                        destination/prefix/interface is already there
     */
    public void add(RouteEntry r) throws ErrnoException {
        if (r.prefix() < 0 || r.prefix() > 32) {
            throw new ErrnoException(Errno.EINVAL, "prefix " + r.prefix());
        }
        RouteEntry normal = new RouteEntry(r.destination() & mask(r.prefix()), r.prefix(), r.gateway(), r.iface(),
                r.source(), r.origin(), r.metric());
        for (RouteEntry e : rows) {
            if (e.destination() == normal.destination() && e.prefix() == normal.prefix()
                    && e.iface().equals(normal.iface()) && e.gateway() == normal.gateway()) {
                throw new ErrnoException(Errno.EADDRINUSE, "route exists");
            }
        }
        rows.add(normal);
        rows.sort(Comparator.comparingInt(RouteEntry::prefix).reversed().thenComparingInt(RouteEntry::metric));
    }

    /** Removes static routes to destination/prefix; returns how many. */
    public int removeStatic(int destination, int prefix) {
        int m = mask(prefix);
        int before = rows.size();
        rows.removeIf(e -> STATIC.equals(e.origin()) && e.prefix() == prefix && e.destination() == (destination & m));
        return before - rows.size();
    }

    /** Removes every route through {@code iface} of the given origin (null: all origins). */
    public void removeInterface(String iface, String origin) {
        rows.removeIf(e -> e.iface().equals(iface) && (origin == null || origin.equals(e.origin())));
    }

    /**
     * The best route to {@code destination} among those whose interface passes {@code usable}.
     *
     * @return the route, or null when nothing matches
     */
    public RouteEntry lookup(int destination, java.util.function.Predicate<String> usable) {
        for (RouteEntry e : rows) {
            if ((destination & mask(e.prefix())) == e.destination() && usable.test(e.iface())) {
                return e;
            }
        }
        return null;
    }

    /** The rows in lookup order. */
    public List<RouteEntry> rows() {
        return List.copyOf(rows);
    }

    /** The mask of a prefix length. */
    public static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }
}
