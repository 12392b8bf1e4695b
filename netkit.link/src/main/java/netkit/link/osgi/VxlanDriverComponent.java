package netkit.link.osgi;

import java.io.IOException;
import netkit.api.spi.Link;
import netkit.api.spi.LinkConfig;
import netkit.api.spi.LinkDriver;
import netkit.api.spi.LinkReceiver;
import netkit.link.vxlan.VxlanDriver;
import org.osgi.service.component.annotations.Component;

/** Registers the VXLAN driver as a service. */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + VxlanDriver.NAME)
public final class VxlanDriverComponent implements LinkDriver {
    private final VxlanDriver driver = new VxlanDriver();

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        return driver.open(config, receiver);
    }
}
