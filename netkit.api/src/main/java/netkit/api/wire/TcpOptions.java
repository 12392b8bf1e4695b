package netkit.api.wire;

/**
 * TCP options of one segment, parsed into fields (RFC 9293 §3.2 MSS, RFC 7323 window scale and
 * timestamps, RFC 2018 SACK), and the writer of the option layouts a stack sends.
 */
public final class TcpOptions {
    /** Option kinds. */
    public static final int END = 0;
    /** No-operation. */
    public static final int NOP = 1;
    /** Maximum segment size. */
    public static final int MSS = 2;
    /** Window scale. */
    public static final int WSCALE = 3;
    /** SACK permitted. */
    public static final int SACK_PERMITTED = 4;
    /** SACK blocks. */
    public static final int SACK = 5;
    /** Timestamps. */
    public static final int TIMESTAMPS = 8;
    /** Most SACK blocks a segment carries. */
    public static final int MAX_SACK_BLOCKS = 4;

    /** MSS, 0 when absent. */
    public int mss;
    /** Window scale shift, -1 when absent. */
    public int windowScale = -1;
    /** Whether SACK-permitted was present. */
    public boolean sackPermitted;
    /** Whether timestamps were present. */
    public boolean hasTimestamps;
    /** TSval. */
    public int tsVal;
    /** TSecr. */
    public int tsEcr;
    /** SACK blocks as (left, right) pairs. */
    public final int[] sack = new int[2 * MAX_SACK_BLOCKS];
    /** Number of SACK blocks. */
    public int sackCount;

    /**
     * Parses the options at {@code b[off..off+len)} as Linux's {@code tcp_parse_options} does.
     * Unknown kinds are skipped by their length (RFC 9293 MUST-6), and so is a known option of the
     * wrong length (an MSS option of 3 bytes, timestamps of 6), which is ignored. An illegal length
     * (RFC 9293 MUST-7: below 2, a length octet missing, or running past the option area) ends the
     * parsing: what came before it stands and nothing after it is read. (Whether such a segment is
     * processed at all is the stack's decision: Linux drops it unless the bad option is in the last
     * few bytes, see netkit.tcp's {@code TcpInstance.illegalOptionLength}.)
     *
     * @return false when parsing ended at an illegal length
     */
    public boolean parse(byte[] b, int off, int len) {
        mss = 0;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        sackCount = 0;
        int end = off + len;
        int i = off;
        while (i < end) {
            int kind = b[i] & 0xff;
            if (kind == END) {
                break;
            }
            if (kind == NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return false;
            }
            int olen = b[i + 1] & 0xff;
            if (olen < 2 || i + olen > end) {
                return false;
            }
            switch (kind) {
                case MSS -> {
                    if (olen == 4) {
                        mss = Bytes.get16(b, i + 2);
                    }
                }
                case WSCALE -> {
                    if (olen == 3) {
                        windowScale = Math.min(14, b[i + 2] & 0xff); // RFC 7323 §2.3: clamp to 14
                    }
                }
                case SACK_PERMITTED -> sackPermitted |= olen == 2;
                case TIMESTAMPS -> {
                    if (olen == 10) {
                        hasTimestamps = true;
                        tsVal = Bytes.get32(b, i + 2);
                        tsEcr = Bytes.get32(b, i + 6);
                    }
                }
                case SACK -> {
                    if (olen >= 10 && (olen - 2) % 8 == 0) { // Linux: whole blocks of 8 bytes, at least one
                        for (int j = i + 2; j + 8 <= i + olen && sackCount < MAX_SACK_BLOCKS; j += 8) {
                            sack[2 * sackCount] = Bytes.get32(b, j);
                            sack[2 * sackCount + 1] = Bytes.get32(b, j + 4);
                            sackCount++;
                        }
                    }
                }
                default -> {
                    // unknown options are skipped by their length (RFC 9293 §3.1)
                }
            }
            i += olen;
        }
        return true;
    }

    /** Length of a SYN's options: MSS, SACK-permitted, timestamps, NOP + window scale as chosen. */
    public static int synLength(boolean sack, boolean timestamps, boolean windowScale) {
        int n = 4;
        if (sack && timestamps) {
            n += 12; // SACK-permitted(2) + TS(10)
        } else if (timestamps) {
            n += 12; // NOP NOP TS
        } else if (sack) {
            n += 4; // NOP NOP SACK-permitted
        }
        return n + (windowScale ? 4 : 0);
    }

    /** Writes SYN options in Linux's order; returns the length (a multiple of 4). */
    public static int writeSyn(byte[] b, int at, int mss, boolean sack, boolean timestamps, int tsVal, int tsEcr,
            int windowScale) {
        int i = at;
        b[i++] = MSS;
        b[i++] = 4;
        Bytes.put16(b, i, mss);
        i += 2;
        if (sack && timestamps) {
            b[i++] = SACK_PERMITTED;
            b[i++] = 2;
            i = writeTs(b, i, tsVal, tsEcr);
        } else if (timestamps) {
            b[i++] = NOP;
            b[i++] = NOP;
            i = writeTs(b, i, tsVal, tsEcr);
        } else if (sack) {
            b[i++] = NOP;
            b[i++] = NOP;
            b[i++] = SACK_PERMITTED;
            b[i++] = 2;
        }
        if (windowScale >= 0) {
            b[i++] = NOP;
            b[i++] = WSCALE;
            b[i++] = 3;
            b[i++] = (byte) windowScale;
        }
        return i - at;
    }

    /** Length of a non-SYN segment's options: NOP NOP TS, then NOP NOP SACK with {@code blocks}. */
    public static int segmentLength(boolean timestamps, int blocks) {
        return (timestamps ? 12 : 0) + (blocks > 0 ? 4 + 8 * blocks : 0);
    }

    /** Writes non-SYN options; returns the length. */
    public static int writeSegment(byte[] b, int at, boolean timestamps, int tsVal, int tsEcr, int[] sackBlocks,
            int blocks) {
        int i = at;
        if (timestamps) {
            b[i++] = NOP;
            b[i++] = NOP;
            i = writeTs(b, i, tsVal, tsEcr);
        }
        if (blocks > 0) {
            b[i++] = NOP;
            b[i++] = NOP;
            b[i++] = SACK;
            b[i++] = (byte) (2 + 8 * blocks);
            for (int k = 0; k < blocks; k++) {
                Bytes.put32(b, i, sackBlocks[2 * k]);
                Bytes.put32(b, i + 4, sackBlocks[2 * k + 1]);
                i += 8;
            }
        }
        return i - at;
    }

    private static int writeTs(byte[] b, int i, int tsVal, int tsEcr) {
        b[i++] = TIMESTAMPS;
        b[i++] = 10;
        Bytes.put32(b, i, tsVal);
        Bytes.put32(b, i + 4, tsEcr);
        return i + 8;
    }
}
