package netkit.link.wire;

import java.util.List;
import java.util.Set;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkParameter;
import netkit.api.spi.link.LinkReceiver;

/**
 * The {@code wire} driver: attaches an interface to the segment named by its {@code segment}
 * parameter (default {@code default}).
 */
public final class WireDriver implements LinkDriver {
    /** Driver name. */
    public static final String NAME = "wire";
    /** Default MTU. */
    public static final int DEFAULT_MTU = 1500;

    private final WireHub hub;

    /** A driver attaching to segments of {@code hub}. */
    public WireDriver(WireHub hub) {
        this.hub = hub;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> parameterKeys() {
        return Set.of("segment");
    }

    @Override
    public List<LinkParameter> parameters() {
        return List.of(
                new LinkParameter("segment", "the in-JVM Ethernet segment (switch) to attach to; interfaces on one segment reach each other", "default"));
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) {
        WireSegment s = hub.segment(config.parameter("segment", "default"));
        return s.attach(config.mac(), config.mtu() == 0 ? DEFAULT_MTU : config.mtu(), receiver);
    }
}
