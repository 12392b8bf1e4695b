package netkit.link.vxlan;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.wire.MacAddress;

/**
 * The {@code vxlan} driver (RFC 7348). Parameters: {@code local} (address:port to bind, default
 * 0.0.0.0:4789), {@code remote} (the VTEP to send to, port 4789 unless given), {@code flood}
 * (more VTEPs, comma-separated, for broadcast and unknown destinations), {@code vni} (default 42).
 * MTU defaults to 1500 − 50 so the outer datagram fits a 1500-byte underlay; the MAC is generated
 * when not configured.
 */
public class VxlanDriver implements LinkDriver {
    /** Driver name. */
    public static final String NAME = "vxlan";
    /** IANA VXLAN port (RFC 7348 §5). */
    public static final int PORT = 4789;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> parameterKeys() {
        return Set.of("local", "remote", "flood", "vni");
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        try {
            SocketAddress local = VxlanLink.address(config.parameter("local", "0.0.0.0:" + PORT), PORT);
            List<SocketAddress> flood = new ArrayList<>();
            String remote = config.parameter("remote", "");
            if (!remote.isEmpty()) {
                flood.add(VxlanLink.address(remote, PORT));
            }
            for (String f : config.parameter("flood", "").split(",")) {
                if (!f.isBlank()) {
                    flood.add(VxlanLink.address(f, PORT));
                }
            }
            int vni = Integer.parseInt(config.parameter("vni", "42"));
            if (vni < 0 || vni > 0xffffff) {
                throw new IllegalArgumentException("vni must be 0..16777215");
            }
            long mac = config.mac() != 0 ? config.mac()
                    : MacAddress.localUnicast(config.iface().hashCode() ^ System.nanoTime());
            int mtu = config.mtu() != 0 ? config.mtu() : 1500 - 50;
            return new VxlanLink(local, flood, vni, mac, mtu, receiver, config.pool());
        } catch (IllegalArgumentException e) {
            throw new IOException("bad vxlan parameters for " + config.iface() + ": " + e.getMessage(), e);
        }
    }
}
