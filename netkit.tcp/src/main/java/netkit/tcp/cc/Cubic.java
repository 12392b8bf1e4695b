package netkit.tcp.cc;

/**
 * CUBIC (RFC 9438): W_cubic(t) = C·(t − K)³ + W_max with C = 0.4, β = 0.7, fast convergence, and
 * the Reno-friendly region (§4.3). Windows are computed in segments, kept in bytes.
 */
public final class Cubic extends Reno {
    private static final double C = 0.4;
    private static final double BETA = 0.7;
    private double wMax;
    private double k;
    private long epochStart = -1;
    private double wEst;
    private double cwndSegments;
    private double priorWMax; // W_max before the last reduction, for an undo

    /** A CUBIC controller. */
    public Cubic(int mss) {
        super(mss);
    }

    /** The same, telling {@code exits} when HyStart++ ends slow start. */
    public Cubic(int mss, SlowStartExit exits) {
        super(mss, exits);
    }

    @Override
    public String name() {
        return "cubic";
    }

    @Override
    public void onAck(long ackedBytes, long nowNanos, long srttNanos) {
        if (cwnd < ssthresh) {
            super.onAck(ackedBytes, nowNanos, srttNanos);
            return;
        }
        double segs = (double) cwnd / mss;
        if (epochStart < 0) {
            epochStart = nowNanos;
            if (wMax < segs) {
                wMax = segs;
                k = 0;
            } else {
                // RFC 9438 eqn. 2: K = ∛((W_max − cwnd_epoch)/C), from the window this epoch starts
                // with (as Linux's bictcp_update): after fast convergence W_max is 0.85·W, not W/β
                k = Math.cbrt((wMax - segs) / C);
            }
            wEst = segs;
            cwndSegments = segs;
        }
        double t = (nowNanos - epochStart) / 1e9;
        double rtt = Math.max(srttNanos, 1_000_000L) / 1e9;
        double target = C * Math.pow(t + rtt - k, 3) + wMax; // W_cubic(t + RTT), eqn. 1
        double acked = (double) ackedBytes / mss;
        // Reno-friendly estimate (§4.3, eqn. 4): alpha = 3(1-β)/(1+β) per RTT.
        wEst += 3 * (1 - BETA) / (1 + BETA) * acked / cwndSegments;
        if (target < cwndSegments) {
            target = cwndSegments; // never shrink in avoidance
        } else if (target > 1.5 * cwndSegments) {
            target = 1.5 * cwndSegments; // §4.4: at most 50 % growth per RTT
        }
        cwndSegments += (target - cwndSegments) / cwndSegments * acked;
        if (wEst > cwndSegments) {
            cwndSegments = wEst;
        }
        cwnd = Math.max(mss, (long) (cwndSegments * mss));
    }

    /** A window set from outside (timeout, restart after idle) starts a new epoch from it. */
    @Override
    public void cwnd(long bytes) {
        super.cwnd(bytes);
        epochStart = -1;
    }

    @Override
    public void onFastRetransmit(long flightBytes, long nowNanos) {
        reduce(flightBytes);
        cwnd = ssthresh;
    }

    @Override
    public void onTimeout(long flightBytes, long nowNanos) {
        reduce(flightBytes);
        cwnd = mss;
    }

    /**
     * RFC 9438 §4.9: a spurious congestion event restores the state from before it: cwnd and
     * ssthresh (see {@link Reno#undo}) and W_max; the next ACK starts a new epoch from the
     * restored window, K computed from it as after any window set from outside.
     */
    @Override
    public void undo(long priorCwnd, long priorSsthresh) {
        super.undo(priorCwnd, priorSsthresh);
        wMax = priorWMax;
        epochStart = -1;
    }

    private void reduce(long flightBytes) {
        lossSeen();
        priorWMax = wMax;
        double segs = (double) Math.max(cwnd, flightBytes) / mss;
        // Fast convergence (§4.7): a window below the last W_max releases bandwidth for new flows.
        wMax = segs < wMax ? segs * (1 + BETA) / 2 : segs;
        ssthresh = Math.max(2L * mss, (long) (segs * BETA * mss)); // eqn. 5
        epochStart = -1;
    }
}
