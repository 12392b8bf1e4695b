package netkit.api.admin;

/**
 * One row of the routing table.
 *
 * @param destination network address
 * @param prefix      prefix length (0 for the default route)
 * @param gateway     next hop, 0 for a directly connected network
 * @param iface       outgoing interface
 * @param source      preferred source address (the interface's)
 * @param origin      {@code kernel} for connected routes, {@code static} for added ones
 * @param metric      lower wins among equal prefixes
 */
public record RouteEntry(int destination, int prefix, int gateway, String iface, int source, String origin,
        int metric) {
}
