package netkit.link.osgi;

import netkit.api.spi.link.LinkDriver;
import netkit.link.loopback.LoopbackDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the loopback driver as a service. */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + LoopbackDriver.NAME)
public final class LoopbackDriverComponent extends LoopbackDriver {
}
