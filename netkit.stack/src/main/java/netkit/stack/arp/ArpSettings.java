package netkit.stack.arp;

import static netkit.api.spi.support.SettingChecks.atLeast;

/**
 * Tunables of the ARP cache, immutable; made by {@link #builder()} or {@link #toBuilder()}. The
 * defaults are Linux-like: 30 s reachable, 1 s between requests, 3 requests, 101 queued packets per
 * unresolved neighbour (Linux unres_qlen: a fragmented datagram must survive resolution), 1024
 * entries.
 */
public final class ArpSettings {
    private final long reachableMillis;
    private final long retryMillis;
    private final int retries;
    private final int queuePerNeighbour;
    private final int maxEntries;

    private ArpSettings(Builder b) {
        reachableMillis = b.reachableMillis;
        retryMillis = b.retryMillis;
        retries = b.retries;
        queuePerNeighbour = b.queuePerNeighbour;
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

    /** Entries the cache holds at most. */
    public int maxEntries() {
        return maxEntries;
    }

    @Override
    public String toString() {
        return "ArpSettings[reachable=" + reachableMillis + ", retry=" + retryMillis + ", retries=" + retries
                + ", queuePerNeighbour=" + queuePerNeighbour + ", maxEntries=" + maxEntries + "]";
    }

    /** Collects ARP tunables; {@link #build()} checks their ranges. */
    public static final class Builder {
        private long reachableMillis = 30_000;
        private long retryMillis = 1_000;
        private int retries = 3;
        private int queuePerNeighbour = 101;
        private int maxEntries = 1024;

        private Builder() {
        }

        private Builder(ArpSettings s) {
            reachableMillis = s.reachableMillis;
            retryMillis = s.retryMillis;
            retries = s.retries;
            queuePerNeighbour = s.queuePerNeighbour;
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
            atLeast("maxEntries", maxEntries, 1);
            return new ArpSettings(this);
        }
    }
}
