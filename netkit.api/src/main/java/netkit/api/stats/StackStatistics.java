package netkit.api.stats;

/**
 * One stack's protocol statistics, one snapshot per protocol; a protocol that is not on the stack
 * shows all zeros. ICMP combines the ICMP protocol's counters with the errors the IP layer sent.
 */
public record StackStatistics(CounterSnapshot<IpCounter> ip, CounterSnapshot<ArpCounter> arp,
        CounterSnapshot<IcmpCounter> icmp, CounterSnapshot<UdpCounter> udp, CounterSnapshot<TcpCounter> tcp) {

    /** The statistics of a stack with these IP, ARP and IP-layer ICMP counts and no transport counts yet. */
    public static StackStatistics of(CounterSnapshot<IpCounter> ip, CounterSnapshot<ArpCounter> arp,
            CounterSnapshot<IcmpCounter> icmp) {
        return new StackStatistics(ip, arp, icmp, CounterSnapshot.empty(UdpCounter.class),
                CounterSnapshot.empty(TcpCounter.class));
    }

    /**
     * These statistics with a protocol's snapshot added to the snapshot of the same counter enum.
     * Snapshots of other enums (a protocol this model does not know) are left out.
     */
    public StackStatistics plus(CounterSnapshot<?> protocol) {
        return new StackStatistics(add(ip, protocol), add(arp, protocol), add(icmp, protocol), add(udp, protocol),
                add(tcp, protocol));
    }

    @SuppressWarnings("unchecked") // checked: same enum class
    private static <E extends Enum<E> & Counter> CounterSnapshot<E> add(CounterSnapshot<E> to,
            CounterSnapshot<?> s) {
        return s.type() == to.type() ? to.plus((CounterSnapshot<E>) s) : to;
    }
}
