package netkit.api.spi.protocol;

/**
 * The result of a route lookup: how a packet to {@code destination} leaves the stack.
 *
 * @param destination       final destination
 * @param nextHop           the neighbour to send to (the destination itself when on-link)
 * @param source            source address to use
 * @param iface             outgoing interface name
 * @param mtu               IP MTU of the path
 * @param checksumNotNeeded the link is loopback-class: transport checksums may be skipped
 * @param broadcast         the destination is a broadcast address on that interface
 */
public record Route(int destination, int nextHop, int source, String iface, int mtu, boolean checksumNotNeeded,
        boolean broadcast) {
}
