package netkit.api.wire;

/** A view over an ARP packet for IPv4 over Ethernet (RFC 826). */
public final class ArpPacket {
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LEN = 28;
    /** Operation: request. */
    public static final int OP_REQUEST = 1;
    /** Operation: reply. */
    public static final int OP_REPLY = 2;

    private byte[] b;
    private int off;

    /**
     * Points the view at a packet; returns false unless it is a well-formed Ethernet/IPv4 request or
     * reply (hardware type 1, protocol 0x0800, lengths 6 and 4).
     */
    public boolean wrap(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        return length >= LEN && Bytes.get16(b, off) == 1 && Bytes.get16(b, off + 2) == EthernetFrame.TYPE_IPV4
                && (b[off + 4] & 0xff) == 6 && (b[off + 5] & 0xff) == 4
                && (operation() == OP_REQUEST || operation() == OP_REPLY);
    }

    /** Request or reply. */
    public int operation() {
        return Bytes.get16(b, off + 6);
    }

    /** Sender hardware address. */
    public long senderMac() {
        return Bytes.get48(b, off + 8);
    }

    /** Sender protocol address. */
    public int senderIp() {
        return Bytes.get32(b, off + 14);
    }

    /** Target hardware address. */
    public long targetMac() {
        return Bytes.get48(b, off + 18);
    }

    /** Target protocol address. */
    public int targetIp() {
        return Bytes.get32(b, off + 24);
    }

    /** Writes an ARP packet at {@code offset}. */
    public static void emit(byte[] buf, int offset, int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        Bytes.put16(buf, offset, 1);
        Bytes.put16(buf, offset + 2, EthernetFrame.TYPE_IPV4);
        buf[offset + 4] = 6;
        buf[offset + 5] = 4;
        Bytes.put16(buf, offset + 6, op);
        Bytes.put48(buf, offset + 8, senderMac);
        Bytes.put32(buf, offset + 14, senderIp);
        Bytes.put48(buf, offset + 18, targetMac);
        Bytes.put32(buf, offset + 24, targetIp);
    }
}
