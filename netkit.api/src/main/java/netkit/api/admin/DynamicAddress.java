package netkit.api.admin;

/**
 * An address an interface holds for a limited time (a DHCP lease, RFC 2131), installed with
 * {@link NetworkAdmin#setDynamicAddress}. While it is installed it replaces the interface's
 * configured address, gateway and (when not 0) caps its MTU; the stack removes it by itself at
 * {@code expiresNanos}, so an expired address is never kept even if its client is gone. Times are
 * on the stack's loop clock ({@link netkit.api.time.EventLoop#nanoTime()}).
 *
 * @param origin       who installed it, e.g. {@code "dhcp"}
 * @param address      IPv4 address
 * @param prefix       prefix length 0..32
 * @param router       default gateway, 0 for none
 * @param mtu          interface MTU from the lease, 0 for the configured one
 * @param expiresNanos when the address must be gone
 * @param renewNanos   when the client starts renewing (T1), for display
 * @param rebindNanos  when the client starts rebinding (T2), for display
 */
public record DynamicAddress(String origin, int address, int prefix, int router, int mtu, long expiresNanos,
        long renewNanos, long rebindNanos) {
    /** Checks the values. */
    public DynamicAddress {
        if (origin == null || address == 0 || prefix < 0 || prefix > 32 || mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new IllegalArgumentException("bad dynamic address " + address + "/" + prefix + " mtu " + mtu);
        }
    }
}
