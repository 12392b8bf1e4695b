package netkit.api.spi.link;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A link driver, registered as a service with {@link #PROPERTY_NAME}: it opens {@link Link}s for
 * interfaces that name it. When the driver goes away its links close and their interfaces stay
 * configured but stop running until a driver is back.
 */
@ConsumerType
public interface LinkDriver {
    /** Service property with the driver's name ({@code loopback}, {@code wire}, {@code vxlan}, ...). */
    String PROPERTY_NAME = "netkit.link.driver";

    /** The driver's name. */
    String name();

    /**
     * Opens a link for an interface.
     *
     * @param config   interface name, MTU, MAC and driver parameters
     * @param receiver where received frames go (from any thread)
     * @throws IOException when the link cannot be opened (bad parameters, device missing)
     */
    Link open(LinkConfig config, LinkReceiver receiver) throws IOException;
}
