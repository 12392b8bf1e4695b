package netkit.api.wire;

/** A view over an Ethernet II header (IEEE 802.3, no FCS): destination, source, EtherType. */
public final class EthernetFrame {
    /** Header length. */
    public static final int HEADER_LEN = 14;
    /** EtherType of IPv4. */
    public static final int TYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int TYPE_ARP = 0x0806;

    private byte[] b;
    private int off;

    /** Points the view at a frame; returns false when it is shorter than a header. */
    public boolean wrap(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        return length >= HEADER_LEN;
    }

    /** Destination MAC. */
    public long destination() {
        return Bytes.get48(b, off);
    }

    /** Source MAC. */
    public long source() {
        return Bytes.get48(b, off + 6);
    }

    /** EtherType. */
    public int etherType() {
        return Bytes.get16(b, off + 12);
    }

    /** Writes a header at {@code offset}. */
    public static void emit(byte[] buf, int offset, long dst, long src, int etherType) {
        Bytes.put48(buf, offset, dst);
        Bytes.put48(buf, offset + 6, src);
        Bytes.put16(buf, offset + 12, etherType);
    }
}
