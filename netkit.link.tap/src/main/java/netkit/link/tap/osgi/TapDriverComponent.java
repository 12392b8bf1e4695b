package netkit.link.tap.osgi;

import java.io.IOException;
import netkit.api.spi.Link;
import netkit.api.spi.LinkConfig;
import netkit.api.spi.LinkDriver;
import netkit.api.spi.LinkReceiver;
import netkit.link.tap.TapDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the TAP driver as a service (the bundle resolves only on Java 22+). */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + TapDriver.NAME)
public final class TapDriverComponent implements LinkDriver {
    private final TapDriver driver = new TapDriver();

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        return driver.open(config, receiver);
    }
}
