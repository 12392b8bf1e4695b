package netkit.api;

/**
 * What {@link SocketManager#recvfrom} reports besides the byte count: the sender's address and
 * result flags such as {@link Net#MSG_TRUNC}. Reusable across calls.
 */
public final class RecvInfo {
    private SockAddr from = SockAddr.ANY;
    private int flags;
    private int fullLength;
    private int ttl = -1;
    private byte[] ipOptions = NO_OPTIONS;
    private static final byte[] NO_OPTIONS = new byte[0];

    /** The sender of the last datagram received. */
    public SockAddr from() {
        return from;
    }

    /** Result flags of the last receive ({@link Net#MSG_TRUNC} when truncated). */
    public int flags() {
        return flags;
    }

    /** Whether the last datagram was larger than the buffer and its tail was discarded. */
    public boolean truncated() {
        return (flags & Net.MSG_TRUNC) != 0;
    }

    /** The datagram's full length before any truncation. */
    public int fullLength() {
        return fullLength;
    }

    /** The IP TTL the datagram arrived with, or -1 when unknown. */
    public int ttl() {
        return ttl;
    }

    /**
     * The IP options (RFC 791) the last datagram arrived with, as in its header (a copy; empty when
     * none or unknown): for example the Record Route of an echo reply.
     */
    public byte[] ipOptions() {
        return ipOptions.clone();
    }

    /** Filled in by the protocol. */
    public void set(SockAddr sender, int resultFlags, int datagramLength, int receivedTtl) {
        set(sender, resultFlags, datagramLength, receivedTtl, null);
    }

    /** Filled in by the protocol, with the datagram's IP options (null: none). */
    public void set(SockAddr sender, int resultFlags, int datagramLength, int receivedTtl, byte[] options) {
        this.from = sender;
        this.flags = resultFlags;
        this.fullLength = datagramLength;
        this.ttl = receivedTtl;
        this.ipOptions = options == null ? NO_OPTIONS : options;
    }
}
