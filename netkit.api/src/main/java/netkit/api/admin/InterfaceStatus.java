package netkit.api.admin;

/**
 * What {@code ifconfig} shows of one interface.
 *
 * @param name      interface name, e.g. {@code lo0}
 * @param driver    link driver name ({@code loopback}, {@code wire}, ...), or "-" when none is attached
 * @param mac       MAC address, 0 for links without one
 * @param address   IPv4 address, 0 when unconfigured
 * @param prefix    prefix length
 * @param mtu       IP MTU in bytes
 * @param up        administratively up
 * @param running   up and a link attached
 * @param counters  traffic counters
 */
public record InterfaceStatus(String name, String driver, long mac, int address, int prefix, int mtu, boolean up,
        boolean running, LinkCounters counters) {
}
