package netkit.console;

import java.util.function.Supplier;
import netkit.api.admin.AddressLease;
import netkit.api.admin.InterfaceStatus;

/**
 * How {@code ifconfig} shows a leased (DHCP) address, in the manner of {@code ip addr}'s
 * {@code dynamic} and {@code valid_lft}, and how {@code ifconfig IFACE dhcp} waits for the lease.
 */
final class LeaseFormat {
    /** How long {@code ifconfig IFACE dhcp} waits for a lease before answering without one. */
    static final long WAIT_NANOS = 30_000_000_000L;

    private LeaseFormat() {
    }

    /** The suffix of the {@code inet} line: {@code " dynamic"} for a leased address, else nothing. */
    static String flag(InterfaceStatus s) {
        return s.lease() == null ? "" : " dynamic";
    }

    /** The line after the {@code inet} line of a leased address; empty for a configured one. */
    static String times(InterfaceStatus s) {
        AddressLease l = s.lease();
        return l == null ? "" : "       valid_lft " + l.validSeconds() + "sec renew " + l.renewSeconds() + "sec rebind "
                + l.rebindSeconds() + "sec (" + l.origin() + ")\n";
    }

    /**
     * Waits (up to {@link #WAIT_NANOS}) until {@code status} shows a lease, then says what was leased;
     * says it is still trying otherwise.
     */
    static String await(String name, Supplier<InterfaceStatus> status) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            InterfaceStatus s = status.get();
            if (s != null && s.lease() != null) {
                return name + ": leased " + netkit.api.SockAddr.formatAddress(s.address()) + "/" + s.prefix()
                        + " by " + s.lease().origin() + " for " + s.lease().validSeconds() + " s\n";
            }
            if (System.nanoTime() >= deadline) {
                return name + ": no DHCP lease yet (the client keeps trying; netkit:ifconfig " + name
                        + " shows it when it comes)\n";
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return name + ": interrupted while waiting for a DHCP lease (the client keeps trying)\n";
            }
        }
    }
}
