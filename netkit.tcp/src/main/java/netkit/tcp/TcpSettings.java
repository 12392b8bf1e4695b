package netkit.tcp;

import static netkit.api.spi.support.SettingChecks.atLeast;

import netkit.tcp.cc.CongestionControl;

/**
 * Tunables of TCP (PID {@code netkit.tcp} in OSGi), immutable. Made by {@link #builder()} or
 * {@link #toBuilder()}: {@code TcpSettings.builder().msl(10_000).congestionControl("reno").build()}.
 * Times in milliseconds unless the name says otherwise.
 */
public final class TcpSettings {
    private final long mslMillis;
    private final long rtoMinMillis;
    private final long rtoMaxMillis;
    private final long rtoInitialMillis;
    private final int synRetries;
    private final int dataRetries;
    private final long delayedAckMillis;
    private final int keepIdleSeconds;
    private final int keepIntervalSeconds;
    private final int keepCount;
    private final long finWait2Millis;
    private final int synQueue;
    private final boolean synCookies;
    private final int challengeAcksPerSecond;
    private final long invalidRatelimitMillis;
    private final String congestionControl;
    private final int maxReceiveBuffer;
    private final int maxSendBuffer;
    private final long memoryLimit;
    private final int maxOrphans;
    private final int orphanRetries;
    private final int isnKeyRotationMinutes;
    private final int maxTimeWait;

    private TcpSettings(Builder b) {
        mslMillis = b.mslMillis;
        rtoMinMillis = b.rtoMinMillis;
        rtoMaxMillis = b.rtoMaxMillis;
        rtoInitialMillis = b.rtoInitialMillis;
        synRetries = b.synRetries;
        dataRetries = b.dataRetries;
        delayedAckMillis = b.delayedAckMillis;
        keepIdleSeconds = b.keepIdleSeconds;
        keepIntervalSeconds = b.keepIntervalSeconds;
        keepCount = b.keepCount;
        finWait2Millis = b.finWait2Millis;
        synQueue = b.synQueue;
        synCookies = b.synCookies;
        challengeAcksPerSecond = b.challengeAcksPerSecond;
        invalidRatelimitMillis = b.invalidRatelimitMillis;
        congestionControl = b.congestionControl;
        maxReceiveBuffer = b.maxReceiveBuffer;
        maxSendBuffer = b.maxSendBuffer;
        memoryLimit = b.memoryLimit;
        maxOrphans = b.maxOrphans;
        orphanRetries = b.orphanRetries;
        isnKeyRotationMinutes = b.isnKeyRotationMinutes;
        maxTimeWait = b.maxTimeWait;
    }

    /** Linux-like defaults. */
    public static TcpSettings defaults() {
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

    /** Maximum segment lifetime; TIME_WAIT lasts 2·MSL (RFC 9293 §3.4.2). */
    public long mslMillis() {
        return mslMillis;
    }

    /** Lower bound of the retransmission timeout (RFC 6298 §2.4). */
    public long rtoMinMillis() {
        return rtoMinMillis;
    }

    /** Upper bound of the retransmission timeout (RFC 6298 §2.5). */
    public long rtoMaxMillis() {
        return rtoMaxMillis;
    }

    /** RTO before any RTT sample (RFC 6298 §2.1). */
    public long rtoInitialMillis() {
        return rtoInitialMillis;
    }

    /**
     * SYN retransmissions before connect fails with ETIMEDOUT (7: after 247 s; RFC 9293 MUST-23 wants
     * R2 for a SYN of at least 3 minutes, which Linux's 6, 127 s, misses).
     */
    public int synRetries() {
        return synRetries;
    }

    /** Retransmissions of data before the connection is dropped. */
    public int dataRetries() {
        return dataRetries;
    }

    /**
     * Delayed-ACK timeout (RFC 1122 §4.2.3.2: at most 500); 40 by default, like Linux, so that it
     * stays well below the 200 ms RTO floor (no spurious timeouts).
     */
    public long delayedAckMillis() {
        return delayedAckMillis;
    }

    /** Idle time before the first keepalive probe (RFC 1122 §4.2.3.6: 2 h). */
    public int keepIdleSeconds() {
        return keepIdleSeconds;
    }

    /** Time between keepalive probes. */
    public int keepIntervalSeconds() {
        return keepIntervalSeconds;
    }

    /** Unanswered keepalive probes before the connection is dropped. */
    public int keepCount() {
        return keepCount;
    }

    /** How long an orphaned connection waits in FIN_WAIT_2. */
    public long finWait2Millis() {
        return finWait2Millis;
    }

    /** Half-open connections per listener before SYN cookies are used. */
    public int synQueue() {
        return synQueue;
    }

    /** Whether SYN cookies are used when the SYN queue is full (RFC 4987). */
    public boolean synCookies() {
        return synCookies;
    }

    /** Challenge ACKs a connection sends per second at most (RFC 5961 §7; per connection, see CVE-2016-5696). */
    public int challengeAcksPerSecond() {
        return challengeAcksPerSecond;
    }

    /**
     * Minimum interval between a connection's duplicate ACKs answering segments without data that
     * are out of window or fail PAWS, so two ends cannot keep each other in an ACK loop (RFC 5961
     * §10): Linux's {@code tcp_invalid_ratelimit}, 500 ms; 0 disables the limit.
     */
    public long invalidRatelimitMillis() {
        return invalidRatelimitMillis;
    }

    /** {@code cubic} (default) or {@code reno}. */
    public String congestionControl() {
        return congestionControl;
    }

    /**
     * Receive-buffer auto-tuning ceiling in bytes of data, 4 MiB: Linux's {@code tcp_rmem[2]} is 6 MiB of
     * memory, of which its window offers about two thirds on 1500-byte frames (a socket buffer's
     * overhead counted). More only held more packet buffers for a receiver that lagged: on a
     * 1500-MTU link between two stacks, 16 MiB took bulk allocation from 5 to 32 KB per MB (buffers
     * beyond what the packet pool keeps idle) without more throughput.
     */
    public int maxReceiveBuffer() {
        return maxReceiveBuffer;
    }

    /**
     * Send-buffer auto-tuning ceiling in bytes (Linux {@code tcp_wmem[2]}, 4 MiB): a connection whose
     * application did not set SO_SNDBUF grows its send buffer towards twice its congestion window
     * (at least ten segments) while the window is not what limits it, up to this.
     */
    public int maxSendBuffer() {
        return maxSendBuffer;
    }

    /** Bytes of buffers all TCP connections of a stack may hold before memory pressure. */
    public long memoryLimit() {
        return memoryLimit;
    }

    /**
     * Connections closed by the application but still finishing (FIN_WAIT_1, FIN_WAIT_2, CLOSING,
     * LAST_ACK; TIME_WAIT is not counted) a stack keeps at most; a close beyond it resets the
     * connection instead (Linux {@code tcp_max_orphans}). 0: every such close resets.
     */
    public int maxOrphans() {
        return maxOrphans;
    }

    /**
     * Retransmissions or zero-window probes, answered or not, after which an orphaned connection is
     * reset (Linux {@code tcp_orphan_retries}); 0 means {@value #DEFAULT_ORPHAN_RETRIES}, as on Linux.
     */
    public int orphanRetries() {
        return orphanRetries;
    }

    /** What {@code orphanRetries = 0} stands for. */
    public static final int DEFAULT_ORPHAN_RETRIES = 8;

    /** {@link #orphanRetries()} with 0 replaced by {@value #DEFAULT_ORPHAN_RETRIES}. */
    public int effectiveOrphanRetries() {
        return orphanRetries == 0 ? DEFAULT_ORPHAN_RETRIES : orphanRetries;
    }

    /**
     * Minutes between new secret keys for ISNs (RFC 6528) and SYN cookies (RFC 4987); 0 keeps the
     * first keys for the stack's lifetime. A cookie made under the previous key is still accepted.
     */
    public int isnKeyRotationMinutes() {
        return isnKeyRotationMinutes;
    }

    /**
     * Connections a stack holds in TIME_WAIT at most (Linux {@code tcp_max_tw_buckets}); a
     * connection that would enter TIME_WAIT beyond it is closed at once and counted as
     * TCPTimeWaitOverflow. 0: no TIME_WAIT at all (RFC 9293 §3.4.2's quiet time is then the
     * peer's to keep).
     */
    public int maxTimeWait() {
        return maxTimeWait;
    }

    @Override
    public String toString() {
        return "TcpSettings[msl=" + mslMillis + ", rtoMin=" + rtoMinMillis + ", rtoMax=" + rtoMaxMillis
                + ", rtoInitial=" + rtoInitialMillis + ", synRetries=" + synRetries + ", dataRetries=" + dataRetries
                + ", delayedAck=" + delayedAckMillis + ", keepIdle=" + keepIdleSeconds + "s, keepInterval="
                + keepIntervalSeconds + "s, keepCount=" + keepCount + ", finWait2=" + finWait2Millis + ", synQueue="
                + synQueue + ", synCookies=" + synCookies + ", challengeAcks=" + challengeAcksPerSecond + "/s, invalidRatelimit="
                + invalidRatelimitMillis + ", cc="
                + congestionControl + ", maxReceiveBuffer=" + maxReceiveBuffer + ", maxSendBuffer=" + maxSendBuffer + ", memoryLimit=" + memoryLimit
                + ", maxOrphans=" + maxOrphans + ", orphanRetries=" + orphanRetries + ", isnKeyRotation="
                + isnKeyRotationMinutes + "min, maxTimeWait=" + maxTimeWait + "]";
    }

    /** Collects TCP tunables; {@link #build()} checks their ranges. */
    public static final class Builder {
        private long mslMillis = 30_000;
        private long rtoMinMillis = 200;
        private long rtoMaxMillis = 120_000;
        private long rtoInitialMillis = 1_000;
        private int synRetries = 7;
        private int dataRetries = 15;
        private long delayedAckMillis = 40;
        private int keepIdleSeconds = 7200;
        private int keepIntervalSeconds = 75;
        private int keepCount = 9;
        private long finWait2Millis = 60_000;
        private int synQueue = 256;
        private boolean synCookies = true;
        private int challengeAcksPerSecond = 1000;
        private long invalidRatelimitMillis = 500;
        private String congestionControl = "cubic";
        private int maxReceiveBuffer = 4 << 20;
        private int maxSendBuffer = 4 << 20;
        private long memoryLimit = 256L << 20;
        private int maxOrphans = 4096;
        private int orphanRetries = 0;
        private int isnKeyRotationMinutes = 60;
        private int maxTimeWait = 262_144;

        private Builder() {
        }

        private Builder(TcpSettings s) {
            mslMillis = s.mslMillis;
            rtoMinMillis = s.rtoMinMillis;
            rtoMaxMillis = s.rtoMaxMillis;
            rtoInitialMillis = s.rtoInitialMillis;
            synRetries = s.synRetries;
            dataRetries = s.dataRetries;
            delayedAckMillis = s.delayedAckMillis;
            keepIdleSeconds = s.keepIdleSeconds;
            keepIntervalSeconds = s.keepIntervalSeconds;
            keepCount = s.keepCount;
            finWait2Millis = s.finWait2Millis;
            synQueue = s.synQueue;
            synCookies = s.synCookies;
            challengeAcksPerSecond = s.challengeAcksPerSecond;
            invalidRatelimitMillis = s.invalidRatelimitMillis;
            congestionControl = s.congestionControl;
            maxReceiveBuffer = s.maxReceiveBuffer;
            maxSendBuffer = s.maxSendBuffer;
            memoryLimit = s.memoryLimit;
            maxOrphans = s.maxOrphans;
            orphanRetries = s.orphanRetries;
            isnKeyRotationMinutes = s.isnKeyRotationMinutes;
            maxTimeWait = s.maxTimeWait;
        }

        /** See {@link TcpSettings#mslMillis()}. */
        public Builder msl(long millis) {
            mslMillis = millis;
            return this;
        }

        /** See {@link TcpSettings#rtoMinMillis()}. */
        public Builder rtoMin(long millis) {
            rtoMinMillis = millis;
            return this;
        }

        /** See {@link TcpSettings#rtoMaxMillis()}. */
        public Builder rtoMax(long millis) {
            rtoMaxMillis = millis;
            return this;
        }

        /** See {@link TcpSettings#rtoInitialMillis()}. */
        public Builder rtoInitial(long millis) {
            rtoInitialMillis = millis;
            return this;
        }

        /** See {@link TcpSettings#synRetries()}. */
        public Builder synRetries(int n) {
            synRetries = n;
            return this;
        }

        /** See {@link TcpSettings#dataRetries()}. */
        public Builder dataRetries(int n) {
            dataRetries = n;
            return this;
        }

        /** See {@link TcpSettings#delayedAckMillis()}. */
        public Builder delayedAck(long millis) {
            delayedAckMillis = millis;
            return this;
        }

        /** See {@link TcpSettings#keepIdleSeconds()}. */
        public Builder keepIdle(int seconds) {
            keepIdleSeconds = seconds;
            return this;
        }

        /** See {@link TcpSettings#keepIntervalSeconds()}. */
        public Builder keepInterval(int seconds) {
            keepIntervalSeconds = seconds;
            return this;
        }

        /** See {@link TcpSettings#keepCount()}. */
        public Builder keepCount(int n) {
            keepCount = n;
            return this;
        }

        /** See {@link TcpSettings#finWait2Millis()}. */
        public Builder finWait2(long millis) {
            finWait2Millis = millis;
            return this;
        }

        /** See {@link TcpSettings#synQueue()}. */
        public Builder synQueue(int n) {
            synQueue = n;
            return this;
        }

        /** See {@link TcpSettings#synCookies()}. */
        public Builder synCookies(boolean on) {
            synCookies = on;
            return this;
        }

        /** See {@link TcpSettings#challengeAcksPerSecond()}. */
        public Builder challengeAcksPerSecond(int n) {
            challengeAcksPerSecond = n;
            return this;
        }

        /** See {@link TcpSettings#invalidRatelimitMillis()}. */
        public Builder invalidRatelimit(long millis) {
            invalidRatelimitMillis = millis;
            return this;
        }

        /** See {@link TcpSettings#congestionControl()}. */
        public Builder congestionControl(String name) {
            congestionControl = name;
            return this;
        }

        /** See {@link TcpSettings#maxReceiveBuffer()}. */
        public Builder maxReceiveBuffer(int bytes) {
            maxReceiveBuffer = bytes;
            return this;
        }

        /** See {@link TcpSettings#maxSendBuffer()}. */
        public Builder maxSendBuffer(int bytes) {
            maxSendBuffer = bytes;
            return this;
        }

        /** See {@link TcpSettings#memoryLimit()}. */
        public Builder memoryLimit(long bytes) {
            memoryLimit = bytes;
            return this;
        }

        /** See {@link TcpSettings#maxOrphans()}. */
        public Builder maxOrphans(int n) {
            maxOrphans = n;
            return this;
        }

        /** See {@link TcpSettings#orphanRetries()}. */
        public Builder orphanRetries(int n) {
            orphanRetries = n;
            return this;
        }

        /** See {@link TcpSettings#isnKeyRotationMinutes()}. */
        public Builder isnKeyRotationMinutes(int minutes) {
            isnKeyRotationMinutes = minutes;
            return this;
        }

        /** See {@link TcpSettings#maxTimeWait()}. */
        public Builder maxTimeWait(int n) {
            maxTimeWait = n;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException when a value is out of its range
         */
        public TcpSettings build() {
            atLeast("mslMillis", mslMillis, 1);
            atLeast("rtoMinMillis", rtoMinMillis, 1);
            atLeast("rtoMaxMillis", rtoMaxMillis, rtoMinMillis);
            atLeast("rtoInitialMillis", rtoInitialMillis, 1);
            atLeast("synRetries", synRetries, 0);
            atLeast("dataRetries", dataRetries, 0);
            atLeast("delayedAckMillis", delayedAckMillis, 0);
            if (delayedAckMillis > 500) {
                throw new IllegalArgumentException("delayedAckMillis " + delayedAckMillis
                        + " is above 500 (RFC 1122 §4.2.3.2)");
            }
            atLeast("keepIdleSeconds", keepIdleSeconds, 1);
            atLeast("keepIntervalSeconds", keepIntervalSeconds, 1);
            atLeast("keepCount", keepCount, 1);
            atLeast("finWait2Millis", finWait2Millis, 1);
            atLeast("synQueue", synQueue, 0);
            atLeast("challengeAcksPerSecond", challengeAcksPerSecond, 0);
            atLeast("invalidRatelimitMillis", invalidRatelimitMillis, 0);
            atLeast("maxReceiveBuffer", maxReceiveBuffer, 1);
            if (maxReceiveBuffer > netkit.api.spi.protocol.SocketOptions.MAX_BUFFER) {
                throw new IllegalArgumentException("maxReceiveBuffer " + maxReceiveBuffer + " is above "
                        + netkit.api.spi.protocol.SocketOptions.MAX_BUFFER + " (the largest SO_RCVBUF)");
            }
            atLeast("maxSendBuffer", maxSendBuffer, 1);
            if (maxSendBuffer > netkit.api.spi.protocol.SocketOptions.MAX_BUFFER) {
                throw new IllegalArgumentException("maxSendBuffer " + maxSendBuffer + " is above "
                        + netkit.api.spi.protocol.SocketOptions.MAX_BUFFER + " (the largest SO_SNDBUF)");
            }
            atLeast("memoryLimit", memoryLimit, 0);
            atLeast("maxOrphans", maxOrphans, 0);
            atLeast("orphanRetries", orphanRetries, 0);
            atLeast("isnKeyRotationMinutes", isnKeyRotationMinutes, 0);
            atLeast("maxTimeWait", maxTimeWait, 0);
            if (isnKeyRotationMinutes > 1_000_000) {
                throw new IllegalArgumentException("isnKeyRotationMinutes " + isnKeyRotationMinutes
                        + " is above 1000000 (about two years; 0 = never)");
            }
            checkCongestionControl(congestionControl);
            return new TcpSettings(this);
        }

        /** The congestion-control name must name a controller of netkit.tcp.cc. */
        private static void checkCongestionControl(String name) {
            CongestionControl.checkName(name);
        }
    }
}
