package netkit.stack.arp;

import static netkit.api.spi.support.SettingChecks.atLeast;

/**
 * Tunables of the ARP cache, immutable; made by {@link #builder()} or {@link #toBuilder()}. The
 * defaults are Linux-like: 30 s reachable, 1 s between requests, 3 requests, 101 queued packets and
 * 212,992 queued bytes per unresolved neighbour (Linux unres_qlen and unres_qlen_bytes: a fragmented
 * datagram must survive resolution), 4 MiB queued across all neighbours, 1024 entries.
 */
public final class ArpSettings {
    private final long reachableMillis;
    private final long retryMillis;
    private final int retries;
    private final int queuePerNeighbour;
    private final int queueBytesPerNeighbour;
    private final int queueBytesTotal;
    private final int maxEntries;

    private ArpSettings(Builder b) {
        reachableMillis = b.reachableMillis;
        retryMillis = b.retryMillis;
        retries = b.retries;
        queuePerNeighbour = b.queuePerNeighbour;
        queueBytesPerNeighbour = b.queueBytesPerNeighbour;
        queueBytesTotal = b.queueBytesTotal;
        maxEntries = b.maxEntries;
    }

    /** The Linux-like defaults. */
    public static ArpSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** How long an entry stays REACHABLE before it is re-confirmed (RFC 1122 §2.3.2.1). */
    public long reachableMillis() {
        return reachableMillis;
    }

    /** Time between requests for an unresolved neighbour. */
    public long retryMillis() {
        return retryMillis;
    }

    /** Requests before resolution fails. */
    public int retries() {
        return retries;
    }

    /** Packets queued per unresolved neighbour (RFC 1122 §2.3.2.2). */
    public int queuePerNeighbour() {
        return queuePerNeighbour;
    }

    /**
     * Bytes of packet buffers ({@link netkit.api.buffer.PacketBuffer#capacity()}, the memory each
     * holds) queued per unresolved neighbour; the oldest are dropped to make room (Linux
     * {@code unres_qlen_bytes}, default {@code SK_WMEM_MAX} = 212,992, charged by skb truesize).
     */
    public int queueBytesPerNeighbour() {
        return queueBytesPerNeighbour;
    }

    /**
     * Bytes of packet buffers queued across all unresolved neighbours; a packet beyond it is
     * dropped. Linux bounds this only by gc_thresh3 (1024) times unres_qlen_bytes (208 MiB); the
     * default, 4 MiB, is the reassembly budget (Linux ipfrag_high_thresh) and holds 19 full queues.
     */
    public int queueBytesTotal() {
        return queueBytesTotal;
    }

    /** Entries the cache holds at most. */
    public int maxEntries() {
        return maxEntries;
    }

    @Override
    public String toString() {
        return "ArpSettings[reachable=" + reachableMillis + ", retry=" + retryMillis + ", retries=" + retries
                + ", queuePerNeighbour=" + queuePerNeighbour + ", queueBytesPerNeighbour=" + queueBytesPerNeighbour
                + ", queueBytesTotal=" + queueBytesTotal + ", maxEntries=" + maxEntries + "]";
    }

    /** Collects ARP tunables; {@link #build()} checks their ranges. */
    public static final class Builder {
        private long reachableMillis = 30_000;
        private long retryMillis = 1_000;
        private int retries = 3;
        private int queuePerNeighbour = 101;
        private int queueBytesPerNeighbour = 212_992;
        private int queueBytesTotal = 4 << 20;
        private int maxEntries = 1024;

        private Builder() {
        }

        private Builder(ArpSettings s) {
            reachableMillis = s.reachableMillis;
            retryMillis = s.retryMillis;
            retries = s.retries;
            queuePerNeighbour = s.queuePerNeighbour;
            queueBytesPerNeighbour = s.queueBytesPerNeighbour;
            queueBytesTotal = s.queueBytesTotal;
            maxEntries = s.maxEntries;
        }

        /** See {@link ArpSettings#reachableMillis()}. */
        public Builder reachable(long millis) {
            reachableMillis = millis;
            return this;
        }

        /** See {@link ArpSettings#retryMillis()}. */
        public Builder retry(long millis) {
            retryMillis = millis;
            return this;
        }

        /** See {@link ArpSettings#retries()}. */
        public Builder retries(int n) {
            retries = n;
            return this;
        }

        /** See {@link ArpSettings#queuePerNeighbour()}. */
        public Builder queuePerNeighbour(int packets) {
            queuePerNeighbour = packets;
            return this;
        }

        /** See {@link ArpSettings#queueBytesPerNeighbour()}. */
        public Builder queueBytesPerNeighbour(int bytes) {
            queueBytesPerNeighbour = bytes;
            return this;
        }

        /** See {@link ArpSettings#queueBytesTotal()}. */
        public Builder queueBytesTotal(int bytes) {
            queueBytesTotal = bytes;
            return this;
        }

        /** See {@link ArpSettings#maxEntries()}. */
        public Builder maxEntries(int n) {
            maxEntries = n;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException when a value is out of its range
         */
        public ArpSettings build() {
            atLeast("reachableMillis", reachableMillis, 1);
            atLeast("retryMillis", retryMillis, 1);
            atLeast("retries", retries, 1);
            atLeast("queuePerNeighbour", queuePerNeighbour, 0);
            atLeast("queueBytesPerNeighbour", queueBytesPerNeighbour, 0);
            atLeast("queueBytesTotal", queueBytesTotal, 0);
            atLeast("maxEntries", maxEntries, 1);
            return new ArpSettings(this);
        }
    }
}
