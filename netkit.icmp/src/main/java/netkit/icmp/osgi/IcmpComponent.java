package netkit.icmp.osgi;

import netkit.api.spi.protocol.TransportProtocol;
import netkit.icmp.IcmpProtocol;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Registers ICMP as a transport protocol service (PID {@code netkit.icmp}). */
@Component(service = TransportProtocol.class, property = TransportProtocol.PROPERTY_NAME + "=icmp",
        configurationPid = "netkit.icmp")
@Designate(ocd = IcmpComponent.Config.class)
public final class IcmpComponent extends IcmpProtocol {
    /** ICMP settings. */
    @ObjectClassDefinition(name = "netkit ICMP", description = "ICMP echo and datagram ICMP sockets (PID netkit.icmp; file etc/netkit.icmp.cfg)")
    public @interface Config {
        /** RFC 1122 §3.2.2.6: answering broadcast echo requests is optional. */
        @AttributeDefinition(name = "Answer broadcast echo", description = "Answer echo requests sent to a broadcast address")
        boolean answerBroadcastEcho() default false;

        /**
         * Raw ICMP sockets ({@code SOCK_RAW}) may be opened; Linux asks for CAP_NET_RAW, netkit has no
         * users: allowed unless turned off here (then socket() gives EPERM). Read by
         * {@link RawIcmpComponent}, which shares this PID.
         */
        @AttributeDefinition(description = "Allow raw ICMP sockets, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); "
                + "when off, socket() gives EPERM (Linux without CAP_NET_RAW)")
        boolean rawSockets() default true;
    }

    @Activate
    @Modified
    void configure(Config c) {
        answerBroadcastEcho(c.answerBroadcastEcho());
    }
}
