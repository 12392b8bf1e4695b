package netkit.tcp;

/**
 * Proportional Rate Reduction (RFC 6937, with Slow Start Reduction Bound): during recovery cwnd
 * follows what the peer delivers, so the window comes down to ssthresh smoothly over about one
 * round trip instead of in a burst or a stall, and ends there.
 */
final class ProportionalRateReduction {
    private long recoverFs;
    private long delivered; // prr_delivered
    private long out; // prr_out

    /** Recovery starts with {@code flight} = SND.NXT − SND.UNA (RecoverFS). */
    void start(long flight) {
        recoverFs = Math.max(1, flight);
        delivered = 0;
        out = 0;
    }

    /** Bytes sent during recovery (new or retransmitted). */
    void sent(long bytes) {
        out += bytes;
    }

    /**
     * An ACK during recovery delivered {@code deliveredData} bytes (SND.UNA's advance plus the
     * change in SACKed bytes, RFC 6937 §3); returns the cwnd to use: pipe + sndcnt.
     */
    long onAck(long deliveredData, long pipe, long ssthresh, int mss) {
        delivered += Math.max(0, deliveredData);
        long sndcnt;
        if (pipe > ssthresh) {
            // Proportional part: ceil(prr_delivered · ssthresh / RecoverFS) − prr_out.
            sndcnt = ceilDiv(delivered * ssthresh, recoverFs) - out;
        } else {
            // Slow Start Reduction Bound: grow back towards ssthresh no faster than slow start.
            long limit = Math.max(delivered - out, deliveredData) + mss;
            sndcnt = Math.min(ssthresh - pipe, limit);
        }
        sndcnt = Math.max(sndcnt, out == 0 ? mss : 0); // the first retransmission always goes (Linux)
        return pipe + sndcnt;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
