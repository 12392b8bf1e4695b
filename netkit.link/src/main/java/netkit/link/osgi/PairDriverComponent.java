package netkit.link.osgi;

import netkit.api.spi.link.LinkDriver;
import netkit.link.pair.PairDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the pair driver as a service: pairs are shared by every stack of the framework. */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + PairDriver.NAME)
public final class PairDriverComponent extends PairDriver {
}
