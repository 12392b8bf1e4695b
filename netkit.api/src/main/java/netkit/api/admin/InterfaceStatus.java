package netkit.api.admin;

/**
 * What {@code ifconfig} shows of one interface.
 *
 * @param name      interface name, e.g. {@code lo0}
 * @param driver    the configured link driver name ({@code loopback}, {@code wire}, ...), whether
 *                  or not that driver is present
 * @param linkPresent whether a link is attached now
 * @param linkKind  the framing of the link attached now or, while none is, of the last one attached;
 *                  {@link LinkKind#NONE} when the interface never had a link
 * @param lastError why the link failed to open (bad parameters, device missing), null when it did not
 * @param mac       MAC address, 0 for links without one
 * @param address   IPv4 address, 0 when unconfigured
 * @param prefix    prefix length
 * @param mtu       IP MTU in bytes
 * @param up        administratively up
 * @param running   up and a link attached
 * @param counters  traffic counters
 * @param revision  how many configurations the stack has applied to the interface (one more with
 *                  each, whether its link opened or not): a console waits for it to grow to know its
 *                  change took effect
 * @param lease     the {@link DynamicAddress} the address comes from (a DHCP lease), null for a
 *                  configured address (since 2.2)
 */
public record InterfaceStatus(String name, String driver, boolean linkPresent, LinkKind linkKind, String lastError,
        long mac, int address, int prefix, int mtu, boolean up, boolean running, LinkCounters counters,
        long revision, AddressLease lease) {

    /** A status of a configured (not leased) address, as the 2.1 API made it. */
    public InterfaceStatus(String name, String driver, boolean linkPresent, LinkKind linkKind, String lastError,
            long mac, int address, int prefix, int mtu, boolean up, boolean running, LinkCounters counters,
            long revision) {
        this(name, driver, linkPresent, linkKind, lastError, mac, address, prefix, mtu, up, running, counters, revision,
                null);
    }

    /** A status without a revision count (0), as the 2.0 API made it. */
    public InterfaceStatus(String name, String driver, boolean linkPresent, LinkKind linkKind, String lastError,
            long mac, int address, int prefix, int mtu, boolean up, boolean running, LinkCounters counters) {
        this(name, driver, linkPresent, linkKind, lastError, mac, address, prefix, mtu, up, running, counters, 0);
    }

    /** The framing of an interface's link. */
    public enum LinkKind {
        /** Not known: the interface never had a link (its driver absent, or the link failed to open). */
        NONE,
        /** Bare IPv4 packets, no link header (loopback). */
        LOOPBACK,
        /** Ethernet II frames. */
        ETHERNET
    }
}
