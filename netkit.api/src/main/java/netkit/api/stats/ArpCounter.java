package netkit.api.stats;

/** ARP (RFC 826) counters; no MIB defines them, so the names follow the IP ones. */
public enum ArpCounter implements Counter {
    IN_REQUESTS("InRequests"),
    IN_REPLIES("InReplies"),
    /** Malformed or unusable ARP packets. */
    IN_ERRORS("InErrors"),
    OUT_REQUESTS("OutRequests"),
    OUT_REPLIES("OutReplies"),
    /** Neighbours whose address resolution succeeded. */
    RESOLVED("Resolved"),
    /** Neighbours whose address resolution gave up after its retries. */
    UNRESOLVED("Unresolved"),
    /**
     * Packets dropped because a neighbour's queue awaiting resolution was full, in packets or bytes,
     * or all such queues together were (Linux unres_discards).
     */
    QUEUE_DROPS("QueueDrops"),
    /**
     * Packets that waited for a neighbour whose resolution then failed: dropped, and their senders
     * told host unreachable (RFC 1122 §2.3.2.2).
     */
    UNRESOLVED_DROPS("UnresolvedDrops");

    private final String displayName;

    ArpCounter(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String displayName() {
        return displayName;
    }
}
