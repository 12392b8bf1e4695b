package netkit.icmp.osgi;

import netkit.api.spi.protocol.TransportProtocol;
import netkit.icmp.RawIcmpProtocol;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * Registers raw ICMP sockets as a transport protocol service (type {@code SOCK_RAW}), configured
 * by the ICMP bundle's PID {@code netkit.icmp} ({@code rawSockets}, see {@link IcmpComponent.Config}).
 * Stopping the bundle takes it away with {@link IcmpComponent}: open raw sockets fail with ENETDOWN.
 */
@Component(service = TransportProtocol.class, property = TransportProtocol.PROPERTY_NAME + "=" + RawIcmpProtocol.NAME,
        configurationPid = "netkit.icmp")
public final class RawIcmpComponent extends RawIcmpProtocol {
    @Activate
    @Modified
    void configure(IcmpComponent.Config c) {
        allowed(c.rawSockets());
    }
}
