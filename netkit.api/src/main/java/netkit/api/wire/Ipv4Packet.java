package netkit.api.wire;

/**
 * A view over an IPv4 header (RFC 791 §3.1). {@link #check} validates what RFC 1122 §3.2.1 asks a
 * host to validate before it trusts any other field.
 */
public final class Ipv4Packet {
    /** Length of a header without options. */
    public static final int MIN_HEADER_LEN = 20;
    /** Largest total length. */
    public static final int MAX_LEN = 65535;
    /** Flag: don't fragment. */
    public static final int FLAG_DF = 0x4000;
    /** Flag: more fragments. */
    public static final int FLAG_MF = 0x2000;

    /** Why a packet failed {@link #check}. */
    public enum Problem {
        /** Shorter than a minimal header. */
        TRUNCATED,
        /** Version is not 4. */
        BAD_VERSION,
        /** IHL below 5 or beyond the data. */
        BAD_HEADER_LENGTH,
        /** Total length below the header length or beyond the data. */
        BAD_TOTAL_LENGTH,
        /** Header checksum does not verify. */
        BAD_CHECKSUM
    }

    private byte[] b;
    private int off;
    private int len;

    /** Points the view at a packet of {@code length} bytes; call {@link #check} before trusting it. */
    public Ipv4Packet wrap(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        this.len = length;
        return this;
    }

    /** Validates the header; returns null when sound. */
    public Problem check(boolean verifyChecksum) {
        if (len < MIN_HEADER_LEN) {
            return Problem.TRUNCATED;
        }
        if (version() != 4) {
            return Problem.BAD_VERSION;
        }
        int hl = headerLength();
        if (hl < MIN_HEADER_LEN || hl > len) {
            return Problem.BAD_HEADER_LENGTH;
        }
        int tl = totalLength();
        if (tl < hl || tl > len) {
            return Problem.BAD_TOTAL_LENGTH;
        }
        if (verifyChecksum && !Checksum.verifies(Checksum.add(0, b, off, hl))) {
            return Problem.BAD_CHECKSUM;
        }
        return null;
    }

    /** The version field. */
    public int version() {
        return (b[off] & 0xff) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (b[off] & 0x0f) * 4;
    }

    /** Type of service. */
    public int tos() {
        return b[off + 1] & 0xff;
    }

    /** Total length, header included. */
    public int totalLength() {
        return Bytes.get16(b, off + 2);
    }

    /** Identification. */
    public int identification() {
        return Bytes.get16(b, off + 4);
    }

    /** Whether DF is set. */
    public boolean dontFragment() {
        return (Bytes.get16(b, off + 6) & FLAG_DF) != 0;
    }

    /** Whether MF is set. */
    public boolean moreFragments() {
        return (Bytes.get16(b, off + 6) & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return (Bytes.get16(b, off + 6) & 0x1fff) * 8;
    }

    /** Whether this is a fragment (MF set or a non-zero offset). */
    public boolean isFragment() {
        return (Bytes.get16(b, off + 6) & 0x3fff) != 0;
    }

    /** Time to live. */
    public int ttl() {
        return b[off + 8] & 0xff;
    }

    /** Protocol number of the payload. */
    public int protocol() {
        return b[off + 9] & 0xff;
    }

    /** Header checksum field. */
    public int checksum() {
        return Bytes.get16(b, off + 10);
    }

    /** Source address. */
    public int source() {
        return Bytes.get32(b, off + 12);
    }

    /** Destination address. */
    public int destination() {
        return Bytes.get32(b, off + 16);
    }

    /** Offset of the payload in the array. */
    public int payloadOffset() {
        return off + headerLength();
    }

    /** Payload length (total length − header length). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** Sets the TTL and patches the checksum incrementally (RFC 1624 eqn. 3). */
    public void setTtl(int ttl) {
        int oldWord = Bytes.get16(b, off + 8);
        b[off + 8] = (byte) ttl;
        int newWord = Bytes.get16(b, off + 8);
        long sum = (~checksum() & 0xffff) + (~oldWord & 0xffff) + newWord;
        Bytes.put16(b, off + 10, Checksum.finish(sum));
    }

    /**
     * Writes a 20-byte header at {@code offset} with its checksum.
     *
     * @param flagsAndOffset DF/MF flags or'ed with the fragment offset in 8-byte units
     */
    public static void emit(byte[] buf, int offset, int tos, int totalLength, int id, int flagsAndOffset, int ttl,
            int protocol, int src, int dst) {
        buf[offset] = 0x45;
        buf[offset + 1] = (byte) tos;
        Bytes.put16(buf, offset + 2, totalLength);
        Bytes.put16(buf, offset + 4, id);
        Bytes.put16(buf, offset + 6, flagsAndOffset);
        buf[offset + 8] = (byte) ttl;
        buf[offset + 9] = (byte) protocol;
        Bytes.put16(buf, offset + 10, 0);
        Bytes.put32(buf, offset + 12, src);
        Bytes.put32(buf, offset + 16, dst);
        Bytes.put16(buf, offset + 10, Checksum.of(buf, offset, MIN_HEADER_LEN));
    }
}
