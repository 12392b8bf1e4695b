package netkit.tcp.osgi;

import java.util.Map;
import netkit.api.spi.protocol.TransportProtocol;
import netkit.api.spi.support.SettingsUpdate;
import netkit.tcp.TcpProtocol;
import netkit.tcp.TcpSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Registers TCP as a transport protocol service (PID {@code netkit.tcp}). */
@Component(service = TransportProtocol.class, property = TransportProtocol.PROPERTY_NAME + "=tcp",
        configurationPid = "netkit.tcp")
@Designate(ocd = TcpComponent.Config.class)
public final class TcpComponent extends TcpProtocol {
    /** TCP tunables. */
    @ObjectClassDefinition(name = "netkit TCP", description = "TCP tunables: timers, congestion control, memory and defences (PID netkit.tcp; file etc/netkit.tcp.cfg); changes apply to connections opened afterwards unless README says otherwise")
    public @interface Config {
        /** MSL. */
        @AttributeDefinition(name = "Maximum segment lifetime (ms)", description = "Maximum segment lifetime in ms (TIME_WAIT = 2 MSL)")
        long mslMillis() default 30_000;

        /** Minimum RTO. */
        @AttributeDefinition(name = "Minimum RTO (ms)", description = "Minimum retransmission timeout in ms")
        long rtoMinMillis() default 200;

        /** Maximum RTO. */
        @AttributeDefinition(name = "Maximum RTO (ms)", description = "Maximum retransmission timeout in ms")
        long rtoMaxMillis() default 120_000;

        /** SYN retries. */
        @AttributeDefinition(name = "SYN retries", description = "SYN retransmissions before connect gives up (7: after about 4 minutes; RFC 9293 MUST-23 wants at least 3)")
        int synRetries() default 7;

        /** Delayed ACK. */
        @AttributeDefinition(name = "Delayed ACK (ms)", description = "Delayed ACK timeout in ms (RFC 1122: at most 500; keep it below the minimum RTO)", max = "500")
        long delayedAckMillis() default 40;

        /** Congestion control. */
        @AttributeDefinition(name = "Congestion control", description = "Congestion control: cubic (RFC 9438) or "
                + "reno (NewReno, RFC 5681/6582); any other name is a configuration error",
                options = {@Option(label = "CUBIC (RFC 9438)", value = "cubic"),
                    @Option(label = "NewReno (RFC 5681, 6582)", value = "reno")})
        String congestionControl() default "cubic";

        /** SYN cookies. */
        @AttributeDefinition(name = "SYN cookies", description = "Use SYN cookies when a listener's SYN queue is full")
        boolean synCookies() default true;

        /** TCP memory bound. */
        @AttributeDefinition(name = "TCP memory limit (MiB)", description = "MiB all TCP buffers of the stack may hold before memory pressure "
                + "(out-of-order data refused, receive buffers stop growing, senders held)", min = "1")
        long memoryLimitMiB() default 256;

        /** Linux tcp_rmem[2]. */
        @AttributeDefinition(name = "Largest auto-tuned receive buffer (KiB)", description = "KiB of data a connection's receive buffer may grow to "
                + "when its application did not set SO_RCVBUF (Linux tcp_rmem[2], 6 MiB of memory, about 4 MiB of data on 1500-byte frames)",
                min = "1", max = "65536")
        int maxReceiveBufferKiB() default 4096;

        /** Linux tcp_wmem[2]. */
        @AttributeDefinition(name = "Largest auto-tuned send buffer (KiB)", description = "KiB a connection's send buffer may grow to "
                + "when its application did not set SO_SNDBUF (Linux tcp_wmem[2]: 4096)", min = "1", max = "65536")
        int maxSendBufferKiB() default 4096;

        /** RFC 5961 challenge ACKs per connection and second. */
        @AttributeDefinition(name = "Challenge ACKs per second", description = "Challenge ACKs a connection sends per second at most (RFC 5961 §7; "
                + "per connection, so no CVE-2016-5696 side channel)", min = "0")
        int challengeAcksPerSecond() default 1000;

        /** Linux tcp_invalid_ratelimit. */
        @AttributeDefinition(name = "Invalid segment ACK rate limit (ms)", description = "Minimum ms between a connection's duplicate ACKs answering out-of-window "
                + "or PAWS-failed segments (Linux tcp_invalid_ratelimit; 0 = no limit)", min = "0")
        long invalidRatelimitMillis() default 500;

        /** Linux tcp_max_orphans. */
        @AttributeDefinition(name = "Maximum orphans", description = "Connections closed by applications but still finishing that the stack "
                + "keeps at most; a close beyond it resets (Linux tcp_max_orphans)", min = "0")
        int maxOrphans() default 4096;

        /** Linux tcp_orphan_retries. */
        @AttributeDefinition(name = "Orphan retries", description = "Retransmissions or zero-window probes after which an orphaned connection "
                + "is reset (Linux tcp_orphan_retries; 0 = 8)", min = "0")
        int orphanRetries() default 0;

        /** ISN and SYN-cookie key rotation. */
        @AttributeDefinition(name = "ISN key rotation (minutes)", description = "Minutes between new secret keys for ISNs (RFC 6528) and SYN cookies; "
                + "0 = never", min = "0")
        int isnKeyRotationMinutes() default 60;

        /** Linux tcp_max_tw_buckets. */
        @AttributeDefinition(name = "Maximum TIME_WAIT connections", description = "Connections the stack keeps in TIME_WAIT at most; beyond it a closing "
                + "connection skips TIME_WAIT, counted as TCPTimeWaitOverflow (Linux tcp_max_tw_buckets)", min = "0")
        int maxTimeWait() default 262_144;
    }

    private static final System.Logger LOG = netkit.api.spi.support.NetkitLog.logger(TcpComponent.class);

    /**
     * Applies the configuration to the settings in force; a value that cannot be read or that
     * {@link TcpSettings.Builder#build()} refuses is logged and keeps its previous value.
     */
    @Activate
    @Modified
    void configure(Config c, Map<String, Object> properties) {
        settings(new SettingsUpdate<>("netkit.tcp", settings(), TcpSettings::toBuilder, TcpSettings.Builder::build,
                properties, LOG)
                .set("mslMillis", c::mslMillis, TcpSettings.Builder::msl)
                .set("rtoMinMillis", c::rtoMinMillis, TcpSettings.Builder::rtoMin)
                .set("rtoMaxMillis", c::rtoMaxMillis, TcpSettings.Builder::rtoMax)
                .set("synRetries", c::synRetries, TcpSettings.Builder::synRetries)
                .set("delayedAckMillis", c::delayedAckMillis, TcpSettings.Builder::delayedAck)
                .set("congestionControl", c::congestionControl, TcpSettings.Builder::congestionControl)
                .set("synCookies", c::synCookies, TcpSettings.Builder::synCookies)
                .set("memoryLimitMiB", c::memoryLimitMiB,
                        (b, mib) -> b.memoryLimit(mib > Long.MAX_VALUE >> 20 ? -1 : mib << 20))
                .set("maxReceiveBufferKiB", c::maxReceiveBufferKiB,
                        (b, kib) -> b.maxReceiveBuffer(kib > Integer.MAX_VALUE >> 10 ? -1 : kib << 10))
                .set("maxSendBufferKiB", c::maxSendBufferKiB,
                        (b, kib) -> b.maxSendBuffer(kib > Integer.MAX_VALUE >> 10 ? -1 : kib << 10))
                .set("challengeAcksPerSecond", c::challengeAcksPerSecond, TcpSettings.Builder::challengeAcksPerSecond)
                .set("invalidRatelimitMillis", c::invalidRatelimitMillis, TcpSettings.Builder::invalidRatelimit)
                .set("maxOrphans", c::maxOrphans, TcpSettings.Builder::maxOrphans)
                .set("orphanRetries", c::orphanRetries, TcpSettings.Builder::orphanRetries)
                .set("isnKeyRotationMinutes", c::isnKeyRotationMinutes, TcpSettings.Builder::isnKeyRotationMinutes)
                .set("maxTimeWait", c::maxTimeWait, TcpSettings.Builder::maxTimeWait)
                .apply());
    }
}
