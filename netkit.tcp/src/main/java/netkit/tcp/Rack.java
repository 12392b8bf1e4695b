package netkit.tcp;

/**
 * RACK, the time-based loss detector of RFC 8985 §6: a segment is lost when a segment sent after
 * it has been delivered (acknowledged or SACKed) and more than RACK.rtt + RACK.reo_wnd has passed
 * since it was sent. The reordering window is a quarter of the minimum RTT once reordering has
 * been seen, and zero before (while in recovery or with DupThresh segments SACKed), which makes
 * RACK at least as fast as three duplicate ACKs. A D-SACK showing a spurious retransmission
 * widens it by min_RTT/4 (reo_wnd_mult, at most once per round trip, never beyond SRTT); after 16
 * recoveries without one it is min_RTT/4 again (§6.2 step 4, Linux {@code tcp_rack_update_reo_wnd}).
 */
final class Rack {
    private long xmitTime = -1; // RACK.xmit_ts: send time of the most recently sent delivered segment
    private long xmitOrder; // with RACK.xmit_ts, orders transmissions (RFC 8985 uses RACK.end_seq)
    private long rtt; // RACK.rtt
    private long minRtt = Long.MAX_VALUE;
    private long fack; // the highest sequence delivered so far (RACK.fack)
    private boolean reorderingSeen;
    /** Recoveries a widened reordering window outlives without D-SACK (RFC 8985 §6.2, Linux TCP_RACK_RECOVERY_THRESH). */
    static final int REO_WND_PERSIST = 16;
    private int reoWndMult = 1; // RACK.reo_wnd_mult
    private int reoWndPersist; // RACK.reo_wnd_persist
    private long dsackRound = -1; // RACK.dsack_round: SND.NXT when the window last grew; -1: none

    /**
     * RFC 8985 §6.2 steps 1-3: a segment was newly acknowledged or SACKed at {@code now};
     * {@code echoOlder}: the ACK's TSecr is older than the segment's last transmission.
     */
    void delivered(SentSegments.Segment s, long now, boolean echoOlder) {
        long sample = now - s.xmitTime;
        if (s.retransmitted && (echoOlder || sample < minRtt)) {
            // Step 2: a retransmitted segment is ignored when the timestamp echo shows the ACK is not
            // for its last transmission, or when that went less than min_RTT ago (ambiguous).
            return;
        }
        if (!s.retransmitted) {
            minRtt = Math.min(minRtt, sample);
        }
        if (s.end < fack && !s.retransmitted) {
            reorderingSeen = true; // delivered below something delivered before: reordering (step 3)
        }
        fack = Math.max(fack, s.end);
        if (sentAfter(s.xmitTime, s.xmitOrder, xmitTime, xmitOrder)) {
            xmitTime = s.xmitTime;
            xmitOrder = s.xmitOrder;
            rtt = sample;
        }
    }

    /** A retransmission turned out spurious (the original was only late): reordering was seen. */
    void reorderingSeen() {
        reorderingSeen = true;
    }

    private static boolean sentAfter(long t1, long order1, long t2, long order2) {
        return t1 > t2 || t1 == t2 && order1 > order2;
    }

    /**
     * RFC 8985 §6.2 step 4, RACK_update_reo_wnd, once per ACK: a valid D-SACK ({@code dsack}: it
     * shows a spurious retransmission) grows reo_wnd_mult, once per round trip (until SND.UNA passes
     * the SND.NXT of the last growth), and keeps it for {@link #REO_WND_PERSIST} recoveries; each
     * recovery ending without one ({@code recoveryExited}) counts down, and at zero the multiplier is
     * 1 again.
     */
    void updateReorderWindow(boolean dsack, boolean recoveryExited, long sndUna, long sndNxt) {
        if (dsackRound >= 0 && sndUna >= dsackRound) {
            dsackRound = -1;
        }
        if (dsackRound < 0 && dsack) {
            dsackRound = sndNxt;
            reoWndMult = Math.min(reoWndMult + 1, 255); // Linux caps reo_wnd_steps at 0xFF
            reoWndPersist = REO_WND_PERSIST;
        } else if (recoveryExited && reoWndPersist > 0 && --reoWndPersist == 0) {
            reoWndMult = 1;
        }
    }

    /** RACK.reo_wnd (§6.2 step 4): reo_wnd_mult · min_RTT/4, at most SRTT; 0 as said above. */
    long reorderWindow(boolean inRecovery, long sackedBytes, int mss, long srtt) {
        if (!reorderingSeen && (inRecovery || sackedBytes >= (long) LossRecovery.DUP_THRESH * mss)) {
            return 0;
        }
        long w = minRtt == Long.MAX_VALUE ? 0 : minRtt / 4 * reoWndMult;
        return srtt > 0 ? Math.min(w, srtt) : w;
    }

    /**
     * §6.2 step 5: marks the segments sent before RACK.xmit_ts whose time is up as lost.
     *
     * @return the nanos until the next outstanding segment's time is up (the reordering timer,
     *         §6.3), or 0 when none is waiting
     */
    long detectLoss(SentSegments log, long now, long reoWnd, Marked marked) {
        if (xmitTime < 0) {
            return 0;
        }
        long timeout = 0;
        for (SentSegments.Segment s = log.oldest(); s != null; s = log.newer(s)) {
            if (!sentAfter(xmitTime, xmitOrder, s.xmitTime, s.xmitOrder)) {
                break; // this one and all after it were sent after the newest delivered one
            }
            if (s.sacked || s.lost) {
                continue;
            }
            long remaining = s.xmitTime + rtt + reoWnd - now;
            if (remaining <= 0) {
                log.markLost(s);
                marked.lost(s);
            } else {
                timeout = Math.max(timeout, remaining);
            }
        }
        return timeout;
    }

    /** After a retransmission timeout nothing sent before counts (§6.3). */
    void timeout() {
        xmitTime = -1;
        xmitOrder = 0;
    }

    /** Receives each segment RACK deems lost. */
    @FunctionalInterface
    interface Marked {
        void lost(SentSegments.Segment s);
    }
}
