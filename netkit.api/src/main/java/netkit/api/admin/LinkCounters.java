package netkit.api.admin;

/**
 * Per-interface traffic counters (a snapshot), summed over every link the interface has had.
 *
 * @param rxOverruns frames the host dropped before the link could read them (a full receive buffer
 *                   of a VXLAN link's host UDP socket, a TAP device's full queue); -1 when the link has no such buffer, -2 when it
 *                   has one but the host does not tell (see {@code netkit.api.spi.link.Link#hostDrops()})
 */
public record LinkCounters(long rxPackets, long rxBytes, long rxErrors, long rxDropped, long txPackets, long txBytes,
        long txErrors, long txDropped, long rxOverruns) {
    /** {@link #rxOverruns()} of an interface whose link has no host buffer that could overflow. */
    public static final long NO_HOST_BUFFER = -1;
    /** {@link #rxOverruns()} where the host does not tell how many it dropped. */
    public static final long OVERRUNS_UNKNOWN = -2;

    /** Counters of a link with no host buffer ({@link #NO_HOST_BUFFER}), as the 2.0 API made them. */
    public LinkCounters(long rxPackets, long rxBytes, long rxErrors, long rxDropped, long txPackets, long txBytes,
            long txErrors, long txDropped) {
        this(rxPackets, rxBytes, rxErrors, rxDropped, txPackets, txBytes, txErrors, txDropped, NO_HOST_BUFFER);
    }
}
