package netkit.api.admin;

/**
 * Sees every frame an interface receives or sends (before the stack parses it, after it built
 * it), for capture. Attached to the interface, so it survives link swaps. Called from link and
 * stack threads; must be quick and thread-safe, and must not keep the array.
 */
@FunctionalInterface
public interface FrameTap {
    /**
     * One frame: Ethernet II on Ethernet links, a bare IPv4 packet on loopback links.
     *
     * @param outbound sent by this stack (else received)
     */
    void frame(byte[] data, int offset, int length, boolean outbound);
}
