package netkit.link.osgi;

import netkit.api.spi.link.LinkDriver;
import netkit.link.vxlan.VxlanDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the VXLAN driver as a service. */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + VxlanDriver.NAME)
public final class VxlanDriverComponent extends VxlanDriver {
}
