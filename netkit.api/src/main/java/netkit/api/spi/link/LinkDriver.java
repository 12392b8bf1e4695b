package netkit.api.spi.link;

import java.io.IOException;
import java.util.List;
import java.util.Set;
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
     * The keys of {@link LinkConfig#parameters()} this driver reads. The stack refuses an interface
     * whose parameters hold any other key, except the impairment keys it applies to every link
     * itself ({@link netkit.api.spi.impair.ImpairmentParameters#KEYS}), which the driver never sees.
     */
    Set<String> parameterKeys();

    /**
     * The parameters of {@link #parameterKeys()} with their meaning and default, in the order a
     * person should read them. By default each key, sorted, without meaning or default.
     */
    default List<LinkParameter> parameters() {
        return parameterKeys().stream().sorted().map(k -> new LinkParameter(k, "", "")).toList();
    }

    /**
     * Opens a link for an interface.
     *
     * @param config   interface name, MTU, MAC and driver parameters
     * @param receiver where received frames go (from any thread)
     * @throws IOException when the link cannot be opened (bad parameters, device missing)
     */
    Link open(LinkConfig config, LinkReceiver receiver) throws IOException;
}
