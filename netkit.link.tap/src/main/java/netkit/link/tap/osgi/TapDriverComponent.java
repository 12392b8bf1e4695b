package netkit.link.tap.osgi;

import netkit.api.spi.link.LinkDriver;
import netkit.link.tap.TapDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the TAP driver as a service (the bundle resolves only on Java 22+). */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + TapDriver.NAME)
public final class TapDriverComponent extends TapDriver {
}
