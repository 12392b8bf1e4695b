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

/** Registers TCP as a transport protocol service (PID {@code netkit.tcp}). */
@Component(service = TransportProtocol.class, property = TransportProtocol.PROPERTY_NAME + "=tcp",
        configurationPid = "netkit.tcp")
@Designate(ocd = TcpComponent.Config.class)
public final class TcpComponent extends TcpProtocol {
    /** TCP tunables. */
    @ObjectClassDefinition(name = "netkit TCP")
    public @interface Config {
        /** MSL. */
        @AttributeDefinition(description = "Maximum segment lifetime in ms (TIME_WAIT = 2 MSL)")
        long mslMillis() default 30_000;

        /** Minimum RTO. */
        @AttributeDefinition(description = "Minimum retransmission timeout in ms")
        long rtoMinMillis() default 200;

        /** Maximum RTO. */
        @AttributeDefinition(description = "Maximum retransmission timeout in ms")
        long rtoMaxMillis() default 120_000;

        /** SYN retries. */
        @AttributeDefinition(description = "SYN retransmissions before connect gives up (5: after about a minute)")
        int synRetries() default 5;

        /** Delayed ACK. */
        @AttributeDefinition(description = "Delayed ACK timeout in ms (RFC 1122: at most 500; keep it below the minimum RTO)", max = "500")
        long delayedAckMillis() default 40;

        /** Congestion control. */
        @AttributeDefinition(description = "Congestion control: cubic or reno (any other name is a configuration error)")
        String congestionControl() default "cubic";

        /** SYN cookies. */
        @AttributeDefinition(description = "Use SYN cookies when a listener's SYN queue is full")
        boolean synCookies() default true;

        /** TCP memory bound. */
        @AttributeDefinition(description = "MiB all TCP buffers of the stack may hold before memory pressure "
                + "(out-of-order data refused, receive buffers stop growing, senders held)", min = "1")
        long memoryLimitMiB() default 256;
    }

    private static final System.Logger LOG = System.getLogger(TcpComponent.class.getName());

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
                .apply());
    }
}
