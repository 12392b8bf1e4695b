package netkit.tcp.cc;

/** Reno (RFC 5681): slow start, congestion avoidance with appropriate byte counting (RFC 3465). */
public class Reno implements CongestionControl {
    /** Sender MSS. */
    protected final int mss;
    /** Congestion window. */
    protected long cwnd;
    /** Slow-start threshold. */
    protected long ssthresh = Long.MAX_VALUE / 4;
    private long avoidanceCredit;

    /** A controller with RFC 6928's initial window of 10 segments (capped at 14600 bytes). */
    public Reno(int mss) {
        this.mss = mss;
        this.cwnd = Math.min(10L * mss, Math.max(2L * mss, 14600));
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
            cwnd += Math.min(ackedBytes, 2L * mss); // RFC 3465 L = 2
            return;
        }
        avoidanceCredit += ackedBytes; // one MSS per cwnd of ACKed data (RFC 5681 §3.1 eqn. 3)
        if (avoidanceCredit >= cwnd) {
            avoidanceCredit -= cwnd;
            cwnd += mss;
        }
    }

    @Override
    public void onFastRetransmit(long flightBytes, long nowNanos) {
        ssthresh = Math.max(flightBytes / 2, 2L * mss); // RFC 5681 eqn. 4
        cwnd = ssthresh;
    }

    @Override
    public void onTimeout(long flightBytes, long nowNanos) {
        ssthresh = Math.max(flightBytes / 2, 2L * mss);
        cwnd = mss; // the loss window
        avoidanceCredit = 0;
    }

    @Override
    public void onRecoveryEnd(long flightBytes) {
        cwnd = Math.max(mss, Math.min(ssthresh, flightBytes + mss)); // RFC 6582 §3.2 step 3
    }
}
