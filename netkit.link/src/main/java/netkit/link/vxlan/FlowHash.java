package netkit.link.vxlan;

import netkit.api.wire.Bytes;

/**
 * The hash of an inner Ethernet frame's flow that chooses the outer UDP source port, as Linux's
 * {@code udp_flow_src_port} does with the flow dissector's hash: IPv4 addresses and protocol, plus
 * the ports of TCP and UDP unless the packet is a fragment; the Ethernet addresses and type for
 * anything else. Deterministic (no secret: the port spreads flows over underlay paths, RFC 7348 §5,
 * and guards no table).
 */
final class FlowHash {
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4 = 0x0800;

    private FlowHash() {
    }

    /** The flow hash of the frame {@code a[off..off+len)}. */
    static int of(byte[] a, int off, int len) {
        int type = len >= ETHERNET_HEADER ? Bytes.get16(a, off + 12) : 0;
        int ip = off + ETHERNET_HEADER;
        if (type == IPV4 && len >= ETHERNET_HEADER + 20 && (a[ip] & 0xf0) == 0x40) {
            int ihl = (a[ip] & 0x0f) * 4;
            int protocol = a[ip + 9] & 0xff;
            int h = mix(0x9e3779b9, Bytes.get32(a, ip + 12));
            h = mix(h, Bytes.get32(a, ip + 16));
            h = mix(h, protocol);
            boolean fragment = (Bytes.get16(a, ip + 6) & 0x3fff) != 0; // MF or an offset
            if ((protocol == 6 || protocol == 17) && !fragment && ihl >= 20 && len >= ETHERNET_HEADER + ihl + 4) {
                h = mix(h, Bytes.get32(a, ip + ihl)); // both ports
            }
            return finish(h);
        }
        int h = 0x9e3779b9;
        for (int i = 0; i + 4 <= Math.min(len, ETHERNET_HEADER); i += 4) {
            h = mix(h, Bytes.get32(a, off + i));
        }
        return finish(mix(h, type));
    }

    /**
     * The source port for {@code hash} in {@code [min, max)}, scaled as Linux scales it:
     * {@code ((u64) hash * (max - min)) >> 32) + min}.
     */
    static int port(int hash, int min, int max) {
        return (int) (((hash & 0xffffffffL) * (max - min)) >>> 32) + min;
    }

    private static int mix(int h, int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int finish(int h) { // murmur3's final avalanche
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
