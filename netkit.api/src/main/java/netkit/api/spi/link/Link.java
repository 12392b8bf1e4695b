package netkit.api.spi.link;

import org.osgi.annotation.versioning.ConsumerType;
import netkit.api.buffer.PacketBuffer;

/** An open link: sends frames, and delivers received ones to its {@link LinkReceiver}. */
@ConsumerType
public interface Link extends AutoCloseable {
    /** What a frame is on this link. */
    enum Kind {
        /** Frames are Ethernet II frames (ARP resolves next hops). */
        ETHERNET,
        /** Frames are bare IPv4 packets (no link header, no ARP). */
        LOOPBACK
    }

    /** The link's framing. */
    Kind kind();

    /** IP MTU (payload of one frame). */
    int mtu();

    /** Hardware address, 0 when the link has none. */
    long mac();

    /** Whether the link cannot corrupt data, so transport checksums may be skipped (loopback). */
    boolean checksumNotNeeded();

    /**
     * Sends one frame; takes ownership of the buffer.
     *
     * @return false when the frame was dropped (queue full, link closed)
     */
    boolean transmit(PacketBuffer frame);

    /** The driver's name. */
    String driver();

    /** {@link #hostDrops()} of a link without a host buffer that could overflow (wire, loopback). */
    long NO_HOST_BUFFER = -1;
    /** {@link #hostDrops()} of a link whose host buffer may overflow where the host does not tell the count. */
    long HOST_DROPS_UNKNOWN = -2;

    /**
     * Frames the host dropped before this link could read them, since the link opened: datagrams a
     * full receive buffer of its host socket refused, for example. Read from the host on demand (not
     * counted per frame), so it may cost a system call; {@link #NO_HOST_BUFFER} or
     * {@link #HOST_DROPS_UNKNOWN} when there is no such figure.
     */
    default long hostDrops() {
        return NO_HOST_BUFFER;
    }

    /** Closes the link; no frames are delivered afterwards. */
    @Override
    void close();
}
