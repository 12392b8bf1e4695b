package netkit.api.wire;

/** A view over a UDP header (RFC 768): ports, length, checksum. */
public final class UdpHeader {
    /** Header length. */
    public static final int LEN = 8;
    /** Largest payload in one IPv4 datagram: 65535 − 20 (IP) − 8 (UDP). */
    public static final int MAX_PAYLOAD = 65507;

    private byte[] b;
    private int off;

    /** Points the view at a header; false when fewer than 8 bytes are there. */
    public boolean wrap(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        return length >= LEN;
    }

    /** Source port. */
    public int sourcePort() {
        return Bytes.get16(b, off);
    }

    /** Destination port. */
    public int destinationPort() {
        return Bytes.get16(b, off + 2);
    }

    /** Length of header and data. */
    public int length() {
        return Bytes.get16(b, off + 4);
    }

    /** Checksum field (0: none was computed). */
    public int checksum() {
        return Bytes.get16(b, off + 6);
    }

    /**
     * Writes a header at {@code offset}; with {@code checksum}, computes the checksum over the
     * pseudo-header, header and the {@code length − 8} data bytes that follow (0 is sent as
     * 0xffff, RFC 768), else leaves 0 ("no checksum").
     */
    public static void emit(byte[] buf, int offset, int srcPort, int dstPort, int length, int src, int dst,
            boolean checksum) {
        Bytes.put16(buf, offset, srcPort);
        Bytes.put16(buf, offset + 2, dstPort);
        Bytes.put16(buf, offset + 4, length);
        Bytes.put16(buf, offset + 6, 0);
        if (checksum) {
            long sum = Checksum.addPseudoHeader(0, src, dst, 17, length);
            int c = Checksum.finish(Checksum.add(sum, buf, offset, length));
            Bytes.put16(buf, offset + 6, c == 0 ? 0xffff : c);
        }
    }

    /** Whether the datagram at {@code offset} ({@code length} bytes) verifies against its pseudo-header. */
    public static boolean verify(byte[] buf, int offset, int length, int src, int dst) {
        long sum = Checksum.addPseudoHeader(0, src, dst, 17, length);
        return Checksum.verifies(Checksum.add(sum, buf, offset, length));
    }
}
