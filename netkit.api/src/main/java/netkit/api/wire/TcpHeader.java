package netkit.api.wire;

/** A view over a TCP header (RFC 9293 §3.1): ports, sequence and acknowledgment numbers, flags, window. */
public final class TcpHeader {
    /** Length without options. */
    public static final int MIN_LEN = 20;
    /** FIN flag. */
    public static final int FIN = 0x01;
    /** SYN flag. */
    public static final int SYN = 0x02;
    /** RST flag. */
    public static final int RST = 0x04;
    /** PSH flag. */
    public static final int PSH = 0x08;
    /** ACK flag. */
    public static final int ACK = 0x10;
    /** URG flag. */
    public static final int URG = 0x20;

    private byte[] b;
    private int off;
    private int len;

    /** Points the view at a segment; false unless the header (with its data offset) fits. */
    public boolean wrap(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        this.len = length;
        if (length < MIN_LEN) {
            return false;
        }
        int hl = headerLength();
        return hl >= MIN_LEN && hl <= length;
    }

    /** Source port. */
    public int sourcePort() {
        return Bytes.get16(b, off);
    }

    /** Destination port. */
    public int destinationPort() {
        return Bytes.get16(b, off + 2);
    }

    /** Sequence number. */
    public int seq() {
        return Bytes.get32(b, off + 4);
    }

    /** Acknowledgment number. */
    public int ack() {
        return Bytes.get32(b, off + 8);
    }

    /** Header length in bytes (data offset × 4). */
    public int headerLength() {
        return ((b[off + 12] & 0xff) >>> 4) * 4;
    }

    /** Flag bits (FIN, SYN, RST, PSH, ACK, URG). */
    public int flags() {
        return b[off + 13] & 0x3f;
    }

    /** Window field (unscaled). */
    public int window() {
        return Bytes.get16(b, off + 14);
    }

    /** Checksum field. */
    public int checksum() {
        return Bytes.get16(b, off + 16);
    }

    /** Urgent pointer. */
    public int urgent() {
        return Bytes.get16(b, off + 18);
    }

    /** Offset of the options in the array. */
    public int optionsOffset() {
        return off + MIN_LEN;
    }

    /** Length of the options. */
    public int optionsLength() {
        return headerLength() - MIN_LEN;
    }

    /** Offset of the data in the array. */
    public int dataOffset() {
        return off + headerLength();
    }

    /** Length of the data. */
    public int dataLength() {
        return len - headerLength();
    }

    /**
     * Writes a header of {@code headerLength} bytes at {@code offset} (options already written
     * after the first 20 bytes); the checksum is left 0.
     */
    public static void emit(byte[] buf, int offset, int srcPort, int dstPort, int seq, int ack, int headerLength,
            int flags, int window) {
        Bytes.put16(buf, offset, srcPort);
        Bytes.put16(buf, offset + 2, dstPort);
        Bytes.put32(buf, offset + 4, seq);
        Bytes.put32(buf, offset + 8, ack);
        buf[offset + 12] = (byte) ((headerLength / 4) << 4);
        buf[offset + 13] = (byte) flags;
        Bytes.put16(buf, offset + 14, window);
        Bytes.put16(buf, offset + 16, 0);
        Bytes.put16(buf, offset + 18, 0);
    }

    /** Computes and stores the checksum of the segment at {@code offset} ({@code length} bytes). */
    public static void checksum(byte[] buf, int offset, int length, int src, int dst) {
        Bytes.put16(buf, offset + 16, 0);
        long sum = Checksum.addPseudoHeader(0, src, dst, 6, length);
        Bytes.put16(buf, offset + 16, Checksum.finish(Checksum.add(sum, buf, offset, length)));
    }

    /** Whether the segment verifies against its pseudo-header. */
    public static boolean verify(byte[] buf, int offset, int length, int src, int dst) {
        long sum = Checksum.addPseudoHeader(0, src, dst, 6, length);
        return Checksum.verifies(Checksum.add(sum, buf, offset, length));
    }
}
