package netkit.tcp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * CUBIC's window in congestion avoidance against RFC 9438: W_cubic(t) = C·(t − K)³ + W_max (eqn. 1)
 * with K = ∛((W_max − cwnd_epoch)/C) (eqn. 2), β = 0.7, fast convergence (§4.7), the Reno-friendly
 * estimate (§4.3). ACKs of one MSS each arrive evenly over a fixed RTT.
 */
class CubicTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L; // 100 ms: the cubic curve, not W_est, sets the window
    private static final double C = 0.4;

    /** ACKs one MSS at a time from {@code from} to {@code to} (nanos); cwnd in segments at the end. */
    private static double ackUntil(Cubic c, long from, long to) {
        long now = from;
        while (now < to) {
            c.onAck(MSS, now, RTT);
            now += RTT * MSS / c.cwnd(); // a window of ACKs per RTT
        }
        return (double) c.cwnd() / MSS;
    }

    /** W_cubic(t + RTT) of eqn. 1: the window the sender aims at one RTT ahead (§4.2). */
    private static double curve(double wMax, double k, double seconds) {
        return C * Math.pow(seconds + RTT / 1e9 - k, 3) + wMax;
    }

    @Test
    void afterALossTheWindowFollowsTheCubicCurveFromBetaTimesWmaxBackToWmaxAtK() {
        Cubic c = new Cubic(MSS);
        c.cwnd(100 * MSS);
        c.onFastRetransmit(100L * MSS, 0);
        assertEquals(70 * MSS, c.cwnd(), "cwnd = β·W_max (eqn. 5)");
        assertEquals(70 * MSS, c.ssthresh());
        double k = Math.cbrt((100 - 70) / C); // 4.22 s
        long start = 1_000_000_000L;
        double at2s = ackUntil(c, start, start + 2_000_000_000L);
        assertEquals(curve(100, k, 2), at2s, 1.0, "concave region, 2 s into the epoch");
        double atK = ackUntil(c, start + 2_000_000_000L, start + (long) ((k - RTT / 1e9) * 1e9));
        assertEquals(100, atK, 1.0, "back at W_max one RTT before K");
        double past = ackUntil(c, start + (long) ((k - RTT / 1e9) * 1e9), start + (long) ((k + 2) * 1e9));
        assertEquals(curve(100, k, k + 2), past, 1.5, "convex region past W_max");
        assertTrue(past > 100);
    }

    @Test
    void fastConvergenceLowersWmaxAndKIsMeasuredFromTheWindowTheEpochStartsWith() {
        Cubic c = new Cubic(MSS);
        c.cwnd(100 * MSS);
        c.onFastRetransmit(100L * MSS, 0); // W_max 100
        c.cwnd(90 * MSS);
        c.onFastRetransmit(90L * MSS, 0); // 90 < W_max: W_max = 90·(1 + β)/2 = 76.5 (§4.7)
        assertEquals(63 * MSS, c.ssthresh(), 1, "β·90");
        assertEquals(63 * MSS, c.cwnd(), 1);
        // eqn. 2: K from W_max − cwnd_epoch = 13.5 segments (3.23 s), not from W_max·(1 − β) = 22.95
        // (3.86 s), which would hold the window at 63 for the first 1.5 s and lag the curve after.
        double k = Math.cbrt((76.5 - 63) / C);
        long start = 1_000_000_000L;
        double at1 = ackUntil(c, start, start + 1_000_000_000L);
        assertEquals(curve(76.5, k, 1), at1, 1.0, "1 s into the epoch");
        double at2 = ackUntil(c, start + 1_000_000_000L, start + 2_000_000_000L);
        assertEquals(curve(76.5, k, 2), at2, 1.0, "2 s into the epoch");
    }

    @Test
    void withAShortRttTheRenoFriendlyEstimateSetsTheWindow() {
        Cubic c = new Cubic(MSS);
        c.cwnd(20 * MSS);
        c.onFastRetransmit(20L * MSS, 0); // cwnd 14, W_max 20
        long rtt = 1_000_000L; // 1 ms: in 100 RTTs (0.1 s) the cubic curve hardly moves
        long now = 0;
        for (int round = 0; round < 100; round++) {
            long w = c.cwnd() / MSS;
            for (int i = 0; i < w; i++) {
                c.onAck(MSS, now, rtt);
            }
            now += rtt;
        }
        // §4.3: W_est grows by α = 3(1 − β)/(1 + β) = 0.53 segments per RTT, from 14
        double expected = 14 + 100 * 3 * (1 - 0.7) / (1 + 0.7);
        assertEquals(expected, (double) c.cwnd() / MSS, 2.0);
    }
}
