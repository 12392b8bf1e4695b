package netkit.udp.osgi;

import netkit.api.spi.protocol.TransportProtocol;
import netkit.udp.UdpProtocol;
import org.osgi.service.component.annotations.Component;

/** Registers UDP as a transport protocol service; all behaviour is the plain-Java {@link UdpProtocol}. */
@Component(service = TransportProtocol.class, property = TransportProtocol.PROPERTY_NAME + "=udp")
public final class UdpComponent extends UdpProtocol {
}
