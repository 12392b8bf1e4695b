package netkit.link.pair;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkParameter;
import netkit.api.spi.link.LinkReceiver;

/**
 * The {@code pair} driver: the two interfaces (of one or two stacks in this JVM) naming the same
 * {@code pair} parameter are joined back to back, like the two ends of a Linux veth pair. Frames are
 * Ethernet II (ARP, broadcast and the stack's own Ethernet path work as on any link), the MTU is
 * 65,535 bytes (a whole IPv4 datagram per frame, so TCP sends 64 KiB segments) and the link offloads
 * checksums ({@link Link#checksumNotNeeded()}): nothing between the two ends can corrupt a frame, so
 * senders leave transport checksums out and receivers skip them, as on a veth with its offloads on.
 * A frame is handed to the other end's receiver as it is, without a copy. A third interface naming a
 * pair that has two ends is refused.
 */
public class PairDriver implements LinkDriver {
    /** Driver name. */
    public static final String NAME = "pair";
    /** Default MTU: the largest IPv4 datagram. */
    public static final int DEFAULT_MTU = 65535;

    private final Map<String, PairLink[]> pairs = new HashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    /** {@code pair}: the name both ends give (default {@code default}). */
    @Override
    public Set<String> parameterKeys() {
        return Set.of("pair");
    }

    @Override
    public List<LinkParameter> parameters() {
        return List.of(
                new LinkParameter("pair", "the name both ends give: the first two interfaces with one name are joined back to back", "default"));
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        String name = config.parameter("pair", "default");
        int mtu = config.mtu() == 0 ? DEFAULT_MTU : config.mtu();
        if (mtu < 68 || mtu > DEFAULT_MTU) {
            throw new IOException("pair MTU must be 68..65535, not " + mtu);
        }
        long mac = config.mac() != 0 ? config.mac()
                : (ThreadLocalRandom.current().nextLong() & 0xfeffffffffffL) | 0x020000000000L; // local, unicast
        synchronized (pairs) {
            PairLink[] ends = pairs.computeIfAbsent(name, n -> new PairLink[2]);
            int side = ends[0] == null ? 0 : ends[1] == null ? 1 : -1;
            if (side < 0) {
                throw new IOException("pair " + name + " already has two ends");
            }
            PairLink link = new PairLink(this, name, mac, mtu, receiver);
            ends[side] = link;
            PairLink other = ends[1 - side];
            if (other != null) {
                link.peer = other;
                other.peer = link;
            }
            return link;
        }
    }

    /** Detaches a closed end; the other end's frames are dropped until a new end opens. */
    void detach(PairLink link) {
        synchronized (pairs) {
            PairLink[] ends = pairs.get(link.pairName());
            if (ends == null) {
                return;
            }
            for (int i = 0; i < 2; i++) {
                if (ends[i] == link) {
                    ends[i] = null;
                    PairLink other = ends[1 - i];
                    if (other != null) {
                        other.peer = null;
                    }
                }
            }
            if (ends[0] == null && ends[1] == null) {
                pairs.remove(link.pairName());
            }
        }
    }
}
