package netkit.stack.iface;

/** Read access to a stack's interfaces, for the layers that route and frame packets. */
public interface InterfaceLookup {
    /** The interface called {@code name}, or null. Caller holds the stack lock. */
    NetInterface get(String name);

    /**
     * Every interface, in name order: a snapshot replaced (never changed) when an interface is added
     * or removed, so any thread may iterate it without copying. Callers must not modify it.
     */
    NetInterface[] snapshot();

    /**
     * The interface whose address is {@code address} (the first in name order when several share it),
     * or null; null for 0. Any thread: an index replaced (never changed) whenever an interface or an
     * address changes, so the receive and send paths look it up without a scan.
     */
    NetInterface owner(int address);
}
