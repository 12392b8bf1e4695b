package netkit.tcp;

import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpOptions;

/**
 * Undo of a congestion-window reduction that turns out to be spurious: the state of one episode (a
 * fast recovery or a retransmission timeout), as Linux's {@code undo_marker}, {@code undo_retrans},
 * {@code retrans_stamp}, {@code prior_cwnd} and {@code prior_ssthresh} ({@code tcp_input.c}).
 * <ul>
 * <li><b>Timestamps</b> (Eifel detection, RFC 3522 §3.2): the TSval of the episode's first
 * retransmission is kept (RetransmitTS); when the first ACK that acknowledges it (SND.UNA past its
 * start) echoes an older TSval, the original was received, not the retransmission: the episode
 * was spurious. That one ACK decides (step 5); an echo not older ends the test.
 * <li><b>D-SACK</b> (RFC 3708, Linux's {@code undo_retrans}): the episode's retransmissions are
 * counted, and each segment a valid D-SACK reports received twice takes one off (as Linux's
 * "dumb counting" in {@code tcp_check_dsack}: a D-SACK ending above the episode's start). When none
 * is left, every retransmission was unnecessary.
 * </ul>
 * The response (RFC 4015 §3, as Linux's {@code tcp_undo_cwnd_reduction}): cwnd and ssthresh go back
 * to at least their values before the reduction (the controller's {@code undo}, with CUBIC's own
 * state), recovery ends, and after a timeout the go-back-N retransmission stops: what was deemed
 * lost is in flight after all, and sending resumes with new data (RFC 5682 step 3.b; Linux
 * {@code tcp_try_undo_loss} with {@code unmark_loss}). Stack lock held.
 */
final class Undo {
    private boolean active; // an episode may still be undone (Linux: undo_marker set)
    private boolean timeout; // the episode is a retransmission timeout, else a fast recovery
    private long marker; // SND.UNA when the episode began (undo_marker)
    private long priorCwnd;
    private long priorSsthresh;
    private boolean stamped; // the first retransmission's TSval is known
    private int retransmitTs; // RetransmitTS (RFC 3522 §3.2 step 1)
    private long retransmitSeq; // where that retransmission starts
    private boolean eifelDone; // the acceptable ACK after it came (RFC 3522 §3.2 steps 4-5)
    private long retransmissions = -1; // not yet D-SACKed (undo_retrans); -1: none yet

    /**
     * A fast recovery begins, before the controller's reduction. A recovery that follows one still
     * under way ({@code chained}: losses in the data sent during it) is a congestion event of its
     * own and is never undone (Linux: no prior ssthresh while in a cwnd reduction).
     */
    void recoveryStarts(TcpConnection c, boolean chained) {
        if (chained) {
            active = false;
            return;
        }
        begin(c, false);
    }

    /**
     * The first retransmission timeout of a series fires, before the controller's reduction. During
     * a fast recovery the episode goes on, with the windows from before the recovery (Linux's
     * {@code tcp_enter_loss} keeps them in that case); otherwise a new one begins.
     */
    void timeoutFires(TcpConnection c) {
        if (active && c.recovery.inRecovery()) {
            timeout = true;
            return;
        }
        begin(c, true);
    }

    private void begin(TcpConnection c, boolean isTimeout) {
        active = true;
        timeout = isTimeout;
        marker = c.sndUna;
        long cwnd = c.cc.cwnd();
        priorCwnd = cwnd;
        // Linux's tcp_current_ssthresh: outside a reduction, at least 3/4 of cwnd, so that an
        // undone reduction continues in congestion avoidance near where it was.
        priorSsthresh = Math.max(c.cc.ssthresh(), (cwnd >> 1) + (cwnd >> 2));
        stamped = false;
        eifelDone = false;
        retransmissions = -1;
    }

    /**
     * A segment starting at {@code seq} is retransmitted with TSval {@code tsVal} (taken from the
     * segment itself: on a real-time loop the clock may tick between building and counting it, and
     * a later stamp would take the retransmission's own echo for an older one).
     */
    void retransmitted(TcpConnection c, long seq, int tsVal) {
        if (!active) {
            return;
        }
        if (!stamped && c.tsOk) {
            stamped = true;
            retransmitTs = tsVal;
            retransmitSeq = seq;
        }
        retransmissions = Math.max(0, retransmissions) + 1;
    }

    /**
     * SND.UNA advanced to {@code ack} (before loss recovery takes the ACK): the Eifel test on the
     * first ACK that acknowledges the first retransmission; true when it undid the episode.
     */
    boolean acked(TcpConnection c, TcpOptions o, long ack) {
        if (!active || eifelDone || !stamped || ack <= retransmitSeq) {
            return false;
        }
        eifelDone = true;
        if (o.hasTimestamps && o.tsEcr != 0 && o.tsEcr - retransmitTs < 0) {
            undo(c, false); // RFC 3522 §3.2 step 5: the echo is older than the retransmission
            return true;
        }
        return false;
    }

    /**
     * A valid D-SACK ending at {@code end} reported {@code segments} segments received twice
     * (RFC 2883 §4, counted as TCPDSACKRecvSegs).
     */
    void dsacked(long end, long segments) {
        if (active && retransmissions > 0 && end > marker) {
            retransmissions = Math.max(0, retransmissions - segments);
        }
    }

    /** After the ACK was processed: every retransmission of the episode D-SACKed undoes it (RFC 3708). */
    void ackProcessed(TcpConnection c) {
        if (active && retransmissions == 0) {
            undo(c, true);
        }
    }

    private void undo(TcpConnection c, boolean byDsack) {
        active = false;
        c.cc.undo(priorCwnd, priorSsthresh);
        c.recovery.undone(c, timeout, !timeout && !byDsack);
        c.tcp.count(timeout ? TcpCounter.LOSS_UNDO : byDsack ? TcpCounter.DSACK_UNDO : TcpCounter.FULL_UNDO);
    }
}
