package netkit.api.stats;

/** IPv4 counters: RFC 4293 ipSystemStatsTable, in its order. */
public enum IpCounter implements Counter {
    IN_RECEIVES("InReceives"),
    IN_HDR_ERRORS("InHdrErrors"),
    IN_ADDR_ERRORS("InAddrErrors"),
    IN_UNKNOWN_PROTOS("InUnknownProtos"),
    IN_DISCARDS("InDiscards"),
    IN_DELIVERS("InDelivers"),
    OUT_REQUESTS("OutRequests"),
    OUT_DISCARDS("OutDiscards"),
    OUT_NO_ROUTES("OutNoRoutes"),
    REASM_REQDS("ReasmReqds"),
    REASM_OKS("ReasmOKs"),
    REASM_FAILS("ReasmFails"),
    /** Reassemblies abandoned when their timer ran out (Linux's name; RFC 4293 counts them in ReasmFails too). */
    REASM_TIMEOUT("ReasmTimeout"),
    /**
     * Datagrams discarded for an overlapping fragment (Linux's name; RFC 5722 §4, CVE-2018-5391);
     * also counted in ReasmFails.
     */
    REASM_OVERLAPS("ReasmOverlaps"),
    /**
     * Incomplete datagrams evicted to bring reassembly memory under its low threshold (netkit's name:
     * Linux counts them in ReasmFails only); also counted in ReasmFails.
     */
    REASM_EVICTIONS("ReasmEvictions"),
    FRAG_OKS("FragOKs"),
    FRAG_FAILS("FragFails"),
    FRAG_CREATES("FragCreates"),
    /**
     * Datagrams dropped for a martian source address (RFC 1122 §3.2.1.3, RFC 1812 §5.3.7): own,
     * loopback (from a non-loopback link), 0/8, class E, multicast or broadcast. Linux's
     * {@code in_martian_src} ({@code /proc/net/stat/rt_cache}); each is also counted in InAddrErrors.
     */
    IN_MARTIAN_SRC("InMartianSrc"),
    /**
     * Received frames whose processing threw: a bug contained to its frame, the receive path keeps
     * going. netkit's own counter (a kernel has no equivalent: it oopses).
     */
    RX_FAULTS("RxFaults");

    private final String displayName;

    IpCounter(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String displayName() {
        return displayName;
    }
}
