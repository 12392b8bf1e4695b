package netkit.tcp;

/** The retransmission timer's estimator (RFC 6298 §2): SRTT, RTTVAR, RTO with backoff. */
final class RttEstimator {
    private static final long CLOCK_GRANULARITY = 1_000_000L; // G = 1 ms
    private final long minRto;
    private final long maxRto;
    private long srtt;
    private long rttvar;
    private long rto;
    private int backoff;
    private boolean sampled;

    RttEstimator(TcpSettings s) {
        this.minRto = s.rtoMinMillis() * 1_000_000L;
        this.maxRto = s.rtoMaxMillis() * 1_000_000L;
        this.rto = Math.max(minRto, s.rtoInitialMillis() * 1_000_000L);
    }

    /** Takes an RTT measurement (ns); RFC 6298 §2.2/§2.3 with alpha 1/8, beta 1/4. */
    void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        if (!sampled) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
            sampled = true;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4;
            srtt = (7 * srtt + rttNanos) / 8;
        }
        rto = clamp(srtt + Math.max(CLOCK_GRANULARITY, 4 * rttvar));
        backoff = 0; // RFC 6298 §5.7: a new sample ends the backoff
    }

    private long clamp(long v) {
        return Math.min(maxRto, Math.max(minRto, v));
    }

    /** The current RTO including exponential backoff (RFC 6298 §5.5). */
    long rto() {
        return clamp(backoff >= 30 ? maxRto : rto << backoff);
    }

    /**
     * RFC 6298 §5.7: our SYN (or SYN-ACK) timed out and the handshake gave no sample, so data starts
     * with an RTO of 3 seconds, not the backed-off SYN timer (Linux's TCP_TIMEOUT_FALLBACK). With a
     * sample (a timestamp echo) the estimator keeps it.
     */
    void synTimedOut() {
        if (!sampled) {
            rto = clamp(Math.max(rto, 3_000_000_000L));
            backoff = 0;
        }
    }

    /** Doubles the timer after a timeout. */
    void backOff() {
        backoff++;
    }

    long srtt() {
        return srtt;
    }

    /** RTTVAR (ns), 0 before the first sample. */
    long rttvar() {
        return rttvar;
    }

    /** The backoff exponent: the RTO has been doubled this many times. */
    int backoff() {
        return backoff;
    }
}
