package netkit.stack;

import netkit.stack.arp.ArpCache;

/**
 * Tunables of a stack (Config Admin PID {@code netkit.stack} in OSGi).
 *
 * @param maxSockets              socket table bound (EMFILE beyond)
 * @param arp                     ARP cache tunables
 * @param reassemblyTimeoutMillis per-datagram reassembly timeout (RFC 1122 §3.3.2)
 * @param reassemblyMaxBytes      bytes all incomplete datagrams may hold together
 * @param icmpErrorsPerSecond     ICMP error rate limit
 * @param icmpErrorBurst          ICMP error burst
 * @param rxQueueFrames           frames queued per link before drops
 */
public record StackSettings(int maxSockets, ArpCache.Settings arp, long reassemblyTimeoutMillis,
        int reassemblyMaxBytes, double icmpErrorsPerSecond, int icmpErrorBurst, int rxQueueFrames) {

    /** Defaults: 4096 sockets, Linux-like ARP, 30 s / 4 MiB reassembly, 100 ICMP errors/s. */
    public static StackSettings defaults() {
        return new StackSettings(4096, ArpCache.Settings.defaults(), 30_000, 4 << 20, 100, 50, 8192);
    }

    /** A copy with another socket bound. */
    public StackSettings withMaxSockets(int n) {
        return new StackSettings(n, arp, reassemblyTimeoutMillis, reassemblyMaxBytes, icmpErrorsPerSecond,
                icmpErrorBurst, rxQueueFrames);
    }

    /** A copy with other reassembly limits. */
    public StackSettings withReassembly(long timeoutMillis, int maxBytes) {
        return new StackSettings(maxSockets, arp, timeoutMillis, maxBytes, icmpErrorsPerSecond, icmpErrorBurst,
                rxQueueFrames);
    }

    /** A copy with other ARP tunables. */
    public StackSettings withArp(ArpCache.Settings a) {
        return new StackSettings(maxSockets, a, reassemblyTimeoutMillis, reassemblyMaxBytes, icmpErrorsPerSecond,
                icmpErrorBurst, rxQueueFrames);
    }
}
