package netkit.stack;

import static netkit.api.spi.support.SettingChecks.atLeast;

import java.util.Objects;
import java.util.function.UnaryOperator;
import netkit.api.spi.protocol.SocketOptions;
import netkit.stack.arp.ArpSettings;
import netkit.stack.socket.SocketQuota;

/**
 * Tunables of a stack (Config Admin PID {@code netkit.stack} in OSGi), immutable; made by
 * {@link #builder()} or {@link #toBuilder()}:
 * {@code StackSettings.builder().maxSockets(8).build()}.
 */
public final class StackSettings {
    private final int maxSockets;
    private final int socketsPerOwnerSetting;
    private final long bufferBytesPerOwnerSetting;
    private final ArpSettings arp;
    private final long reassemblyTimeoutMillis;
    private final int reassemblyMaxBytes;
    private final int reassemblyLowBytes;
    private final int reassemblyLowSetting;
    private final double icmpErrorsPerSecond;
    private final int icmpErrorBurst;
    private final int rxQueueFrames;
    private final int somaxconn;
    private final boolean warmUp;

    private StackSettings(Builder b) {
        maxSockets = b.maxSockets;
        socketsPerOwnerSetting = b.socketsPerOwner;
        bufferBytesPerOwnerSetting = b.bufferBytesPerOwner;
        arp = b.arp;
        reassemblyTimeoutMillis = b.reassemblyTimeoutMillis;
        reassemblyMaxBytes = b.reassemblyMaxBytes;
        reassemblyLowSetting = b.reassemblyLowBytes;
        reassemblyLowBytes = b.reassemblyLowBytes >= 0 ? b.reassemblyLowBytes : lowOf(b.reassemblyMaxBytes);
        icmpErrorsPerSecond = b.icmpErrorsPerSecond;
        icmpErrorBurst = b.icmpErrorBurst;
        rxQueueFrames = b.rxQueueFrames;
        somaxconn = b.somaxconn;
        warmUp = b.warmUp;
    }

    /**
     * Defaults: 4096 sockets, a quarter of them per owner with default buffers for each, Linux-like ARP, 30 s / 4 MiB (low 3 MiB) reassembly, 100 ICMP errors/s.
     */
    public static StackSettings defaults() {
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

    /** Socket table bound (EMFILE beyond). */
    public int maxSockets() {
        return maxSockets;
    }

    /**
     * Sockets one owner (bundle) may hold unless {@linkplain netkit.stack.Stack#quota overridden}:
     * as set, or by default a quarter of {@link #maxSockets()} (at least 1), so that no bundle can
     * take the whole table.
     */
    public int socketsPerOwner() {
        return socketsPerOwnerSetting >= 0 ? socketsPerOwnerSetting : Math.max(1, maxSockets / 4);
    }

    /**
     * Bytes of socket buffers one owner may reserve (the sum of its sockets' SO_SNDBUF and
     * SO_RCVBUF) unless overridden: as set, or by default what {@link #socketsPerOwner()} sockets
     * with default buffers reserve (512 KiB each; 512 MiB for 1024 sockets).
     */
    public long bufferBytesPerOwner() {
        return ownerQuota(SocketQuota.DEFAULTS).maxBufferBytes();
    }

    /**
     * The quota in force for an owner with {@code override} (fields of -1 take these settings; a
     * buffer quota left to the default follows the owner's socket quota).
     */
    public SocketQuota ownerQuota(SocketQuota override) {
        int sockets = override.maxSockets() >= 0 ? override.maxSockets() : socketsPerOwner();
        long buffers = override.maxBufferBytes() >= 0 ? override.maxBufferBytes()
                : bufferBytesPerOwnerSetting >= 0 ? bufferBytesPerOwnerSetting
                : sockets * 2L * SocketOptions.DEFAULT_BUFFER;
        return new SocketQuota(sockets, buffers);
    }

    /** ARP cache tunables. */
    public ArpSettings arp() {
        return arp;
    }

    /** Per-datagram reassembly timeout (RFC 1122 §3.3.2). */
    public long reassemblyTimeoutMillis() {
        return reassemblyTimeoutMillis;
    }

    /**
     * Heap all incomplete datagrams may hold together (arrays plus per-datagram overhead); passing it
     * evicts the oldest (Linux {@code ipfrag_high_thresh}, 4 MiB).
     */
    public int reassemblyMaxBytes() {
        return reassemblyMaxBytes;
    }

    /**
     * Reassembly memory that eviction brings the total back under (Linux {@code ipfrag_low_thresh},
     * 3 MiB); unless set, three quarters of {@link #reassemblyMaxBytes()}, Linux's ratio.
     */
    public int reassemblyLowBytes() {
        return reassemblyLowBytes;
    }

    private static int lowOf(int highBytes) {
        return (int) (highBytes * 3L / 4);
    }

    /** ICMP error rate limit (RFC 1812 §4.3.2.8 style token bucket). */
    public double icmpErrorsPerSecond() {
        return icmpErrorsPerSecond;
    }

    /** ICMP errors that may be sent at once before the rate limit applies. */
    public int icmpErrorBurst() {
        return icmpErrorBurst;
    }

    /**
     * Frames queued per link before drops. A link's queue is sized for the value when the link opens:
     * lowering it applies at once, raising it up to that size (beyond, to links opened afterwards).
     */
    public int rxQueueFrames() {
        return rxQueueFrames;
    }

    /**
     * The largest {@code listen} backlog: larger ones are clamped to it (Linux
     * {@code net.core.somaxconn}, 4096 since Linux 5.4).
     */
    public int somaxconn() {
        return somaxconn;
    }

    /**
     * Whether the stack warms up its cold paths at start ({@link Warmup}): a private throw-away stack
     * on its own thread loads and runs the ICMP echo, UDP and TCP code once so that the first real
     * packet does not pay for class loading and the interpreter. It never touches this stack's
     * state; on a simulated loop it does not run. Default true.
     */
    public boolean warmUp() {
        return warmUp;
    }

    @Override
    public String toString() {
        return "StackSettings[maxSockets=" + maxSockets + ", socketsPerOwner=" + socketsPerOwner()
                + ", bufferBytesPerOwner=" + bufferBytesPerOwner() + ", arp=" + arp + ", reassemblyTimeout="
                + reassemblyTimeoutMillis + ", reassemblyMaxBytes=" + reassemblyMaxBytes + ", reassemblyLowBytes=" + reassemblyLowBytes
                + ", icmpErrorsPerSecond="
                + icmpErrorsPerSecond + ", icmpErrorBurst=" + icmpErrorBurst + ", rxQueueFrames=" + rxQueueFrames
                + ", somaxconn=" + somaxconn + ", warmUp=" + warmUp + "]";
    }

    /** Collects stack tunables; {@link #build()} checks their ranges. */
    public static final class Builder {
        private int maxSockets = 4096;
        private int socketsPerOwner = -1;
        private long bufferBytesPerOwner = -1;
        private ArpSettings arp = ArpSettings.defaults();
        private long reassemblyTimeoutMillis = 30_000;
        private int reassemblyMaxBytes = 4 << 20;
        private int reassemblyLowBytes = -1;
        private double icmpErrorsPerSecond = 100;
        private int icmpErrorBurst = 50;
        private int rxQueueFrames = 8192;
        private int somaxconn = 4096;
        private boolean warmUp = true;

        private Builder() {
        }

        private Builder(StackSettings s) {
            maxSockets = s.maxSockets;
            socketsPerOwner = s.socketsPerOwnerSetting;
            bufferBytesPerOwner = s.bufferBytesPerOwnerSetting;
            arp = s.arp;
            reassemblyTimeoutMillis = s.reassemblyTimeoutMillis;
            reassemblyMaxBytes = s.reassemblyMaxBytes;
            reassemblyLowBytes = s.reassemblyLowSetting;
            icmpErrorsPerSecond = s.icmpErrorsPerSecond;
            icmpErrorBurst = s.icmpErrorBurst;
            rxQueueFrames = s.rxQueueFrames;
            somaxconn = s.somaxconn;
            warmUp = s.warmUp;
        }

        /** See {@link StackSettings#maxSockets()}. */
        public Builder maxSockets(int n) {
            maxSockets = n;
            return this;
        }

        /** See {@link StackSettings#socketsPerOwner()}; -1 for a quarter of the table. */
        public Builder socketsPerOwner(int n) {
            socketsPerOwner = n;
            return this;
        }

        /** See {@link StackSettings#bufferBytesPerOwner()}; -1 for default buffers on every socket of the quota. */
        public Builder bufferBytesPerOwner(long bytes) {
            bufferBytesPerOwner = bytes;
            return this;
        }

        /** See {@link StackSettings#arp()}. */
        public Builder arp(ArpSettings settings) {
            arp = Objects.requireNonNull(settings, "arp");
            return this;
        }

        /**
         * Changes some ARP tunables, keeping the others: {@code b.arp(a -> a.retries(5))}.
         *
         * @throws IllegalArgumentException when the changed ARP settings are invalid
         */
        public Builder arp(UnaryOperator<ArpSettings.Builder> change) {
            arp = change.apply(arp.toBuilder()).build();
            return this;
        }

        /** See {@link StackSettings#reassemblyTimeoutMillis()}. */
        public Builder reassemblyTimeout(long millis) {
            reassemblyTimeoutMillis = millis;
            return this;
        }

        /** See {@link StackSettings#reassemblyMaxBytes()}. */
        public Builder reassemblyMaxBytes(int bytes) {
            reassemblyMaxBytes = bytes;
            return this;
        }

        /** See {@link StackSettings#reassemblyLowBytes()}; -1 for three quarters of the maximum. */
        public Builder reassemblyLowBytes(int bytes) {
            reassemblyLowBytes = bytes;
            return this;
        }

        /** See {@link StackSettings#icmpErrorsPerSecond()}. */
        public Builder icmpErrorsPerSecond(double rate) {
            icmpErrorsPerSecond = rate;
            return this;
        }

        /** See {@link StackSettings#icmpErrorBurst()}. */
        public Builder icmpErrorBurst(int n) {
            icmpErrorBurst = n;
            return this;
        }

        /** See {@link StackSettings#rxQueueFrames()}. */
        public Builder rxQueueFrames(int n) {
            rxQueueFrames = n;
            return this;
        }

        /** See {@link StackSettings#warmUp()}. */
        public Builder warmUp(boolean on) {
            warmUp = on;
            return this;
        }

        /** See {@link StackSettings#somaxconn()}. */
        public Builder somaxconn(int backlog) {
            somaxconn = backlog;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException when a value is out of its range
         */
        public StackSettings build() {
            atLeast("maxSockets", maxSockets, 1);
            atLeast("socketsPerOwner", socketsPerOwner, -1);
            atLeast("bufferBytesPerOwner", bufferBytesPerOwner, -1);
            atLeast("reassemblyTimeoutMillis", reassemblyTimeoutMillis, 1);
            atLeast("reassemblyMaxBytes", reassemblyMaxBytes, 0);
            atLeast("reassemblyLowBytes", reassemblyLowBytes, -1);
            if (reassemblyLowBytes > reassemblyMaxBytes) {
                throw new IllegalArgumentException("reassemblyLowBytes " + reassemblyLowBytes
                        + " must not exceed reassemblyMaxBytes " + reassemblyMaxBytes);
            }
            if (!(icmpErrorsPerSecond > 0) || Double.isInfinite(icmpErrorsPerSecond)) {
                throw new IllegalArgumentException("icmpErrorsPerSecond " + icmpErrorsPerSecond
                        + " must be a positive number");
            }
            atLeast("icmpErrorBurst", icmpErrorBurst, 1);
            atLeast("rxQueueFrames", rxQueueFrames, 1);
            atLeast("somaxconn", somaxconn, 1);
            return new StackSettings(this);
        }
    }
}
