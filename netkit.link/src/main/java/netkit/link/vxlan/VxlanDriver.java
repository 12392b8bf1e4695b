package netkit.link.vxlan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkParameter;
import netkit.api.spi.link.LinkReceiver;
import netkit.api.wire.MacAddress;

/**
 * The {@code vxlan} driver (RFC 7348). Parameters: {@code local} (address:port to bind and receive
 * on, default 0.0.0.0:4789), {@code remote} (the VTEP to send to, port {@code dstport} unless given),
 * {@code flood} (more VTEPs, comma-separated, for broadcast and unknown destinations), {@code vni}
 * (default 42), {@code dstport} (the destination port of VTEPs learned without a configured one,
 * default 4789), {@code srcport} ({@code MIN-MAX}: outer source ports MIN to MAX−1 chosen by a hash
 * of the inner flow, as Linux's {@code srcport MIN MAX}; one number: always that port; default
 * Linux's ephemeral range 32768-60999), {@code rcvbuf} (bytes of receive buffer asked of the host for
 * the receive socket, {@code SO_RCVBUF}, default {@link #DEFAULT_RECEIVE_BUFFER}; 0: the host's
 * default; the host caps it, Linux at {@code net.core.rmem_max}). MTU defaults to 1500 − 50 so the
 * outer datagram fits a 1500-byte underlay; the MAC is generated when not configured.
 */
public class VxlanDriver implements LinkDriver {
    /** Driver name. */
    public static final String NAME = "vxlan";
    /** IANA VXLAN port (RFC 7348 §5). */
    public static final int PORT = 4789;
    /** Default outer source ports: Linux's default {@code ip_local_port_range}, as its VXLAN uses. */
    public static final String DEFAULT_SOURCE_PORTS = "32768-60999";
    /**
     * Default receive buffer of the receive socket, 4 MiB: the host's default (Linux
     * {@code rmem_default}, 212,992 bytes, about 90 full frames) overflowed during bulk transfers
     * while the reader thread waited to be scheduled.
     */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> parameterKeys() {
        return Set.of("local", "remote", "flood", "vni", "dstport", "srcport", "rcvbuf");
    }

    @Override
    public List<LinkParameter> parameters() {
        return List.of(
                new LinkParameter("local", "address:port to bind and receive on; datagrams from any source port are accepted", "0.0.0.0:4789"),
                new LinkParameter("remote", "the VTEP to send broadcast and unknown frames to, address[:port]", ""),
                new LinkParameter("flood", "more VTEPs, comma-separated", ""),
                new LinkParameter("vni", "VXLAN network identifier, 0..16777215", "42"),
                new LinkParameter("dstport", "destination port of a VTEP given without one (remote/flood) or learned", "4789"),
                new LinkParameter("srcport", "MIN-MAX: outer source ports MIN to MAX-1 by a hash of the inner flow (Linux srcport MIN MAX); P: always P", "32768-60999"),
                new LinkParameter("rcvbuf", "bytes of receive buffer asked of the host for the receive socket (SO_RCVBUF; the host caps it, Linux at net.core.rmem_max); 0: the host's default", Integer.toString(DEFAULT_RECEIVE_BUFFER)));
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        try {
            int dstPort = VxlanLink.port(config.parameter("dstport", Integer.toString(PORT)));
            if (dstPort == 0) {
                throw new IllegalArgumentException("dstport must be 1..65535");
            }
            InetSocketAddress local = VxlanLink.address(config.parameter("local", "0.0.0.0:" + PORT), PORT);
            List<InetSocketAddress> flood = new ArrayList<>();
            String remote = config.parameter("remote", "");
            if (!remote.isEmpty()) {
                flood.add(VxlanLink.address(remote, dstPort));
            }
            for (String f : config.parameter("flood", "").split(",")) {
                if (!f.isBlank()) {
                    flood.add(VxlanLink.address(f, dstPort));
                }
            }
            int vni = Integer.parseInt(config.parameter("vni", "42"));
            if (vni < 0 || vni > 0xffffff) {
                throw new IllegalArgumentException("vni must be 0..16777215");
            }
            String src = config.parameter("srcport", DEFAULT_SOURCE_PORTS);
            int dash = src.indexOf('-');
            int srcMin = VxlanLink.port(dash < 0 ? src : src.substring(0, dash));
            int srcMax = dash < 0 ? srcMin : VxlanLink.port(src.substring(dash + 1));
            if (srcMin == 0 || srcMax < srcMin) {
                throw new IllegalArgumentException("srcport must be MIN-MAX with 1 <= MIN <= MAX <= 65535, got " + src);
            }
            int rcvbuf = Integer.parseInt(config.parameter("rcvbuf", Integer.toString(DEFAULT_RECEIVE_BUFFER)));
            if (rcvbuf < 0) {
                throw new IllegalArgumentException("rcvbuf must be 0 (the host's default) or more bytes, got " + rcvbuf);
            }
            long mac = config.mac() != 0 ? config.mac()
                    : MacAddress.localUnicast(config.iface().hashCode() ^ System.nanoTime());
            int mtu = config.mtu() != 0 ? config.mtu() : 1500 - 50;
            return new VxlanLink(new VxlanLink.Settings(local, flood, vni, dstPort, srcMin, srcMax, rcvbuf), mac, mtu, receiver,
                    config.pool());
        } catch (IllegalArgumentException e) {
            throw new IOException("bad vxlan parameters for " + config.iface() + ": " + e.getMessage(), e);
        }
    }
}
