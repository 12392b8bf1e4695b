package netkit.link.osgi;

import netkit.api.spi.Link;
import netkit.api.spi.LinkConfig;
import netkit.api.spi.LinkDriver;
import netkit.api.spi.LinkReceiver;
import netkit.link.loopback.LoopbackDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the loopback driver as a service. */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + LoopbackDriver.NAME)
public final class LoopbackDriverComponent implements LinkDriver {
    private final LoopbackDriver driver = new LoopbackDriver();

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) {
        return driver.open(config, receiver);
    }
}
