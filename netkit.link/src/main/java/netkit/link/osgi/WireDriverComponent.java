package netkit.link.osgi;

import java.util.Set;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.time.RealTimeLoop;
import netkit.link.wire.WireDriver;
import netkit.link.wire.WireHub;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the wire driver as a service, with one hub per framework and a real-time loop for
 * delays. Segments are shared by every stack of the framework that names them.
 */
@Component(service = LinkDriver.class, property = LinkDriver.PROPERTY_NAME + "=" + WireDriver.NAME)
public final class WireDriverComponent implements LinkDriver {
    private RealTimeLoop loop;
    private WireDriver driver;

    @Activate
    void activate() {
        loop = new RealTimeLoop("wire");
        driver = new WireDriver(new WireHub(loop));
    }

    @Deactivate
    void deactivate() {
        loop.close();
    }

    @Override
    public String name() {
        return WireDriver.NAME;
    }

    @Override
    public Set<String> parameterKeys() {
        return driver.parameterKeys();
    }

    @Override
    public java.util.List<netkit.api.spi.link.LinkParameter> parameters() {
        return driver.parameters();
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) {
        return driver.open(config, receiver);
    }
}
