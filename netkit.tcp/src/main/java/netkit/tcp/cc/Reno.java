package netkit.tcp.cc;

/**
 * Reno (RFC 5681): slow start with HyStart++ (RFC 9406), congestion avoidance with appropriate
 * byte counting (RFC 3465).
 */
public class Reno implements CongestionControl {
    /** Sender MSS. */
    protected final int mss;
    /** Congestion window. */
    protected long cwnd;
    /** Slow-start threshold. */
    protected long ssthresh = Long.MAX_VALUE / 4;
    private long avoidanceCredit;
    private final HyStartPlusPlus hyStart = new HyStartPlusPlus();
    private final SlowStartExit exits;

    /** A controller with RFC 6928's initial window of 10 segments (capped at 14600 bytes). */
    public Reno(int mss) {
        this(mss, cwndSegments -> { });
    }

    /** The same, telling {@code exits} when HyStart++ ends slow start. */
    public Reno(int mss, SlowStartExit exits) {
        this.mss = mss;
        this.cwnd = Math.min(10L * mss, Math.max(2L * mss, 14600));
        this.exits = exits;
    }

    @Override
    public String name() {
        return "reno";
    }

    @Override
    public long cwnd() {
        return cwnd;
    }

    @Override
    public long ssthresh() {
        return ssthresh;
    }

    @Override
    public void cwnd(long bytes) {
        cwnd = Math.max(mss, bytes);
    }

    @Override
    public void onAck(long ackedBytes, long nowNanos, long srttNanos) {
        if (cwnd < ssthresh) {
            cwnd += Math.max(1, hyStart.growth(Math.min(ackedBytes, 2L * mss))); // RFC 3465 L = 2
            if (hyStart.avoidanceDue()) {
                ssthresh = cwnd; // RFC 9406 §4.2: CSS_ROUNDS of CSS, then congestion avoidance
                hyStart.end();
                exits.hyStartExit(cwnd / mss);
            }
            return;
        }
        avoidanceCredit += ackedBytes; // one MSS per cwnd of ACKed data (RFC 5681 §3.1 eqn. 3)
        if (avoidanceCredit >= cwnd) {
            avoidanceCredit -= cwnd;
            cwnd += mss;
        }
    }

    @Override
    public void rttSample(long rttNanos, long ack, long sndNxt) {
        if (cwnd < ssthresh) {
            hyStart.sample(rttNanos, ack, sndNxt);
        }
    }

    /** A loss ends slow start (and HyStart++) for good. */
    protected final void lossSeen() {
        hyStart.end();
    }

    @Override
    public void onFastRetransmit(long flightBytes, long nowNanos) {
        lossSeen();
        ssthresh = Math.max(flightBytes / 2, 2L * mss); // RFC 5681 eqn. 4
        cwnd = ssthresh;
    }

    @Override
    public void onTimeout(long flightBytes, long nowNanos) {
        lossSeen();
        ssthresh = Math.max(flightBytes / 2, 2L * mss);
        cwnd = mss; // the loss window
        avoidanceCredit = 0;
    }

    @Override
    public void undo(long priorCwnd, long priorSsthresh) {
        cwnd = Math.max(cwnd, priorCwnd);
        ssthresh = Math.max(ssthresh, priorSsthresh);
    }

    @Override
    public void onRecoveryEnd(long flightBytes) {
        cwnd = Math.max(mss, Math.min(ssthresh, flightBytes + mss)); // RFC 6582 §3.2 step 3
    }
}
