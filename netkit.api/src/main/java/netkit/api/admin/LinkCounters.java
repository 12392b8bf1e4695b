package netkit.api.admin;

/** Per-interface traffic counters (a snapshot). */
public record LinkCounters(long rxPackets, long rxBytes, long rxErrors, long rxDropped, long txPackets, long txBytes,
        long txErrors, long txDropped) {
}
