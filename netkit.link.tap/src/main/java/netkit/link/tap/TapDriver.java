package netkit.link.tap;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkParameter;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.wire.MacAddress;

/**
 * The {@code tap} driver: a Linux TAP device through the Foreign Function and Memory API. The
 * {@code device} parameter names it (default: the interface name); a non-persistent device is
 * created when missing and vanishes with the process. Needs root (or a TAP device owned by the
 * user) and Java 22+; the JVM should run with {@code --enable-native-access=ALL-UNNAMED}.
 */
public class TapDriver implements LinkDriver {
    /** Driver name. */
    public static final String NAME = "tap";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> parameterKeys() {
        return Set.of("device");
    }

    @Override
    public List<LinkParameter> parameters() {
        return List.of(
                new LinkParameter("device", "the host TAP device to attach to (through /dev/net/tun)", "the interface's name"));
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        long mac = config.mac() != 0 ? config.mac()
                : MacAddress.localUnicast(config.iface().hashCode() ^ System.nanoTime());
        return new TapLink(config.parameter("device", config.iface()), mac, config.mtu() != 0 ? config.mtu() : 1500,
                receiver, config.pool());
    }
}
