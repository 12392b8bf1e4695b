package netkit.api.spi.protocol;

/**
 * What the IP layer knows of a received packet, handed to a transport protocol with its payload.
 * The buffer's bytes before the payload still hold the IP header at {@link #headerOffset()}, so a
 * protocol can quote it in an ICMP error.
 */
public final class IpMeta {
    private int source;
    private int destination;
    private int ttl;
    private int tos;
    private int headerOffset;
    private int headerLength;
    private String iface;
    private boolean broadcast;
    private boolean checksumNotNeeded;

    /** Filled in by the IP layer for each packet. */
    public IpMeta set(int src, int dst, int ttlValue, int tosValue, int ipHeaderOffset, int ipHeaderLength,
            String ifaceName, boolean toBroadcast, boolean noChecksumNeeded) {
        this.source = src;
        this.destination = dst;
        this.ttl = ttlValue;
        this.tos = tosValue;
        this.headerOffset = ipHeaderOffset;
        this.headerLength = ipHeaderLength;
        this.iface = ifaceName;
        this.broadcast = toBroadcast;
        this.checksumNotNeeded = noChecksumNeeded;
        return this;
    }

    /** Source address. */
    public int source() {
        return source;
    }

    /** Destination address (a local or broadcast address). */
    public int destination() {
        return destination;
    }

    /** TTL as received. */
    public int ttl() {
        return ttl;
    }

    /** Type of service. */
    public int tos() {
        return tos;
    }

    /** Offset of the IP header in the buffer's array. */
    public int headerOffset() {
        return headerOffset;
    }

    /** Length of the IP header. */
    public int headerLength() {
        return headerLength;
    }

    /** Receiving interface. */
    public String iface() {
        return iface;
    }

    /** Whether the destination was a broadcast address. */
    public boolean broadcast() {
        return broadcast;
    }

    /** Whether the link vouches for the data (loopback): checksums need not be verified. */
    public boolean checksumNotNeeded() {
        return checksumNotNeeded;
    }
}
