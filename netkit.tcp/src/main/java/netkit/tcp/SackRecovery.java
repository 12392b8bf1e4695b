package netkit.tcp;

import java.util.Arrays;
import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * Loss recovery of a SACK connection: RACK-TLP (RFC 8985) detects losses, RFC 6675 recovers them.
 * <ul>
 * <li>A {@link Scoreboard} holds what the peer SACKed, {@link SentSegments} each segment's transmit
 * time and state; {@link Rack} deems a segment lost once one sent after it was delivered and
 * RACK.rtt + reo_wnd has passed, arming the reordering timer for those still in their window.
 * <li>The first loss starts recovery (ssthresh from the controller); lost segments are resent
 * lowest first (NextSeg rule 1), then new data, while cwnd exceeds the pipe (RFC 6675 SetPipe:
 * outstanding minus SACKed minus lost); cwnd follows {@link ProportionalRateReduction} and is
 * ssthresh when recovery ends. Lost retransmissions are detected the same way.
 * <li>Tail loss probe (§7): when no ACK came for PTO = 2·SRTT + 2 ms (plus the worst-case delayed ACK
 * with one segment in flight, never later than the RTO), one new segment, or else the highest
 * one again, is sent to draw an ACK whose SACK lets RACK repair a tail loss without a timeout.
 * A probe that repaired a loss (its ACK goes past it, no D-SACK) reduces cwnd like a recovery.
 * </ul>
 * The loss timer ({@code TcpConnection.lossTimerAt}) is either the reordering timer or the PTO.
 * After a retransmission timeout SACK information is dropped (RFC 2018 §8) and everything
 * outstanding is deemed lost (RFC 8985 §6.3).
 */
final class SackRecovery extends LossRecovery implements Rack.Marked {
    /** WCDelAckT (RFC 8985 §7.2): the longest a peer may delay an ACK (Linux: TCP_RTO_MIN). */
    private static final long WORST_CASE_DELAYED_ACK = 200_000_000L;
    /** Added to 2·SRTT so that ACKs on time never meet a probe (Linux: TCP_TIMEOUT_MIN, 2 ms). */
    private static final long TIMER_SLACK = 2_000_000L;
    /** PTO before any RTT sample (RFC 8985 §7.2). */
    private static final long INITIAL_PTO = 1_000_000_000L;
    private final Scoreboard scoreboard = new Scoreboard();
    private final SentSegments sent;
    private final Rack rack = new Rack();
    private final ProportionalRateReduction prr = new ProportionalRateReduction();
    private long sackedBefore; // SACKed bytes when the ACK arrived (for DeliveredData)
    private boolean dsack; // the ACK carries a D-SACK (RFC 2883)
    private long reorderWait; // what RACK's last pass left waiting in its reordering window
    private boolean reorderTimer; // lossTimerAt is the reordering timer (else the PTO)
    private long tlpEndSeq = -1; // TLP.end_seq, -1: no probe outstanding
    private boolean tlpRetransmitted; // TLP.is_retrans
    private boolean tlpDsacked;
    private boolean probing; // a probe may send one new segment beyond cwnd
    private long[] gapBuffer; // made when a SACK block first has gaps to walk
    private long deliveredAt; // the time RACK is given for the records delivered now
    private final java.util.function.Consumer<SentSegments.Segment> delivered =
            s -> rack.delivered(s, deliveredAt, s.retransmitted && echoOlder(s));
    private boolean echo; // the ACK being processed has a timestamp echo ...
    private int echoTs; // ... this one
    private int tsOffset; // the connection's timestamp offset (TSval = loop ms + offset)
    private boolean lossAfterRecoveryPoint; // data sent during recovery was lost: another reduction is due
    private long dsackSegments; // segments D-SACKed so far (Linux dsack_dups), against those retransmitted
    private boolean dsackPending; // a valid D-SACK came that RACK's reordering window has not taken yet
    private boolean recoveryExited; // this ACK ended a fast recovery or the recovery after a timeout
    private boolean afterTimeout; // recovering from a retransmission timeout until SND.UNA passes recoverSeq

    /** Recovery whose log of sent segments takes its records from {@code records} (the stack's spares). */
    SackRecovery(SegmentRecords records) {
        this.sent = new SentSegments(records);
    }

    /**
     * With SACK, once SND.UNA reaches the recovery point (RFC 6675 §5; Linux {@code tcp_fastretrans_alert}
     * leaves recovery at {@code !before(snd_una, high_seq)} and holds the old state only for Reno):
     * the scoreboard tells a loss of new data from the old window's duplicate ACKs.
     */

    @Override
    boolean pastRecoveryPoint(TcpConnection c) {
        return c.sndUna >= recoverSeq;
    }

    @Override
    int allocated() {
        return sent.allocated() + (scoreboard.allocated() ? 1 : 0);
    }

    @Override
    boolean sackBlocks(TcpConnection c, TcpOptions o, long ack) {
        sackedBefore = sent.sackedBytes();
        dsack = false;
        echo = c.tsOk && o.hasTimestamps && o.tsEcr != 0;
        echoTs = o.tsEcr;
        tsOffset = c.tsOffset;
        long added = 0;
        deliveredAt = c.now();
        for (int i = 0; i < o.sackCount; i++) {
            long left = c.extendSnd(o.sack[2 * i]);
            long right = c.extendSnd(o.sack[2 * i + 1]);
            if (i == 0 && duplicateSack(c, o, left, right, ack)) {
                dsack = true; // RFC 2883 §4: a duplicate, not new information
                continue;
            }
            // Only the stretches not SACKed before are walked: a block may span the whole window.
            int gaps = 0;
            long at = Math.max(left, c.sndUna);
            long to = Math.min(right, c.sndMax);
            while (at < to) {
                long from = scoreboard.nextUnsacked(at);
                if (from >= to) {
                    break;
                }
                long end = scoreboard.holeEnd(from, to);
                if (gapBuffer == null) {
                    gapBuffer = new long[8];
                } else if (gaps == gapBuffer.length) {
                    gapBuffer = Arrays.copyOf(gapBuffer, 2 * gaps);
                }
                gapBuffer[gaps++] = from;
                gapBuffer[gaps++] = end;
                at = end;
            }
            added += scoreboard.add(left, right, c.sndUna, c.sndMax);
            for (int g = 0; g < gaps; g += 2) {
                sent.sacked(gapBuffer[g], gapBuffer[g + 1], scoreboard, delivered);
            }
        }
        if (dsack && tlpEndSeq >= 0) {
            tlpDsacked = true;
        }
        return added > 0;
    }

    /** Whether the ACK's TSecr is older than the TSval {@code s} last went with (RFC 7323: loop ms + offset). */
    private boolean echoOlder(SentSegments.Segment s) {
        return echo && echoTs - ((int) (s.xmitTime / 1_000_000L) + tsOffset) < 0;
    }

    /**
     * Whether the first block is a D-SACK (RFC 2883 §4: below the cumulative ACK, or within the
     * second block), counted as Linux's {@code tcp_check_dsack} does: TCPDSACKRecv or
     * TCPDSACKOfoRecv; then the segments it reports twice are spurious retransmissions
     * (TCPDSACKRecvSegs) unless more were reported than ever retransmitted, or the block is
     * empty or wider than any window offered (TCPDSACKIgnoredDubious). A valid one that does not
     * report the tail loss probe (timer-driven, not RACK's doing) is kept for RACK's reordering
     * window ({@link Rack#updateReorderWindow}).
     */
    private boolean duplicateSack(TcpConnection c, TcpOptions o, long left, long right, long ack) {
        boolean below = left < ack;
        if (!below && !(o.sackCount > 1 && left >= c.extendSnd(o.sack[2]) && right <= c.extendSnd(o.sack[3]))) {
            return false;
        }
        c.tcp.count(below ? TcpCounter.DSACK_RECV : TcpCounter.DSACK_OFO_RECV);
        long len = right - left;
        long segments = len > c.mss ? (len + c.mss - 1) / c.mss : 1;
        if (len <= 0 || len > Math.max(c.maxSndWnd, c.mss) || (dsackSegments += segments) > c.retransmittedSegments) {
            c.tcp.count(TcpCounter.DSACK_IGNORED_DUBIOUS);
            return true;
        }
        c.tcp.count(TcpCounter.DSACK_RECV_SEGS, segments);
        c.undo.dsacked(right, segments);
        if (tlpEndSeq < 0 || right != tlpEndSeq) {
            dsackPending = true;
        }
        return true;
    }

    @Override
    void newDataAcked(TcpConnection c, long acked) {
        long now = c.now();
        deliveredAt = now;
        scoreboard.ackTo(c.sndUna);
        sent.ackTo(c.sndUna, delivered);
        if (sent.isEmpty()) {
            gapBuffer = null; // nothing outstanding: an idle connection keeps no scratch
        }
        tailProbeAcked(c);
        if (afterTimeout && c.sndUna >= recoverSeq) {
            afterTimeout = false;
            recoveryExited = true;
        }
        if (inRecovery && c.sndUna >= recoverSeq) {
            inRecovery = false; // RFC 6937: recovery ends with cwnd = ssthresh
            recoveryExited = true;
            c.cc.cwnd(c.cc.ssthresh());
            if (lossAfterRecoveryPoint) {
                // Losses in the window sent during recovery are a new congestion event (RFC 6582 §3.2).
                lossAfterRecoveryPoint = false;
                enterRecovery(c, true);
                prr.start(c.sndMax - c.sndUna);
            }
        } else if (!inRecovery) {
            c.cc.onAck(acked, now, c.rtt.srtt());
        }
        ackProcessed(c, acked, true);
    }

    @Override
    void duplicateAck(TcpConnection c) {
        tailProbeAcked(c);
        ackProcessed(c, 0, false);
    }

    /** RFC 8985 §7.4: the end of a probe episode; a retransmitted probe that repaired a loss is a congestion event. */
    private void tailProbeAcked(TcpConnection c) {
        if (tlpEndSeq < 0 || c.sndUna < tlpEndSeq) {
            return;
        }
        if (!tlpRetransmitted || tlpDsacked) {
            tlpEndSeq = -1; // new data delivered, or the retransmission was spurious
        } else if (c.sndUna > tlpEndSeq) {
            tlpEndSeq = -1;
            c.tcp.count(TcpCounter.LOSS_PROBE_RECOVERY);
            if (!inRecovery) {
                c.cc.onFastRetransmit(c.sndMax - c.sndUna, c.now());
            }
        }
    }

    /** After every ACK that acknowledged or SACKed something: RACK, PRR, the loss timer. */
    private void ackProcessed(TcpConnection c, long acked, boolean unaAdvanced) {
        long delivered = acked + sent.sackedBytes() - sackedBefore;
        rack.updateReorderWindow(dsackPending, recoveryExited, c.sndUna, c.sndNxt);
        dsackPending = false;
        recoveryExited = false;
        detectLoss(c);
        if (inRecovery) {
            c.cc.cwnd(prr.onAck(delivered, pipe(c), c.cc.ssthresh(), c.mss));
        }
        armLossTimer(c, unaAdvanced ? c.now() + c.rtt.rto() : c.rtoAt);
    }

    /** The connection and loss count of the {@link #detectLoss} pass in progress (see {@link #lost}). */
    private TcpConnection marking;
    private int markedLost;

    /** RACK's pass over the outstanding segments; the first loss outside recovery starts one. */
    private void detectLoss(TcpConnection c) {
        long reoWnd = rack.reorderWindow(inRecovery, sent.sackedBytes(), c.mss, c.rtt.srtt());
        marking = c;
        markedLost = 0;
        reorderWait = rack.detectLoss(sent, c.now(), reoWnd, this); // this, not a lambda: an ACK allocates nothing
        marking = null;
        if (markedLost > 0 && startRecovery(c)) {
            prr.start(c.sndMax - c.sndUna);
        }
    }

    /** A segment RACK deemed lost in the {@link #detectLoss} pass on {@link #marking}. */
    @Override
    public void lost(SentSegments.Segment s) {
        TcpConnection c = marking;
        markedLost++;
        c.tcp.count(TcpCounter.RACK_LOST);
        if (inRecovery && s.start >= recoverSeq) {
            lossAfterRecoveryPoint = true;
        }
        if (s.retransmitted) {
            c.tcp.count(TcpCounter.LOST_RETRANSMIT);
        }
    }

    /** The reordering timer while RACK waits, else the PTO when a probe may go, else nothing. */
    private void armLossTimer(TcpConnection c, long rtoAt) {
        long now = c.now();
        if (reorderWait > 0) {
            reorderTimer = true;
            c.lossTimerAt = now + reorderWait;
            return;
        }
        reorderTimer = false;
        c.lossTimerAt = c.sndMax > c.sndUna && mayProbe(c) ? probeAt(c, now, rtoAt) : 0;
    }

    /** RFC 8985 §7.2: not in recovery or after a timeout, with nothing deemed lost and no probe outstanding. */
    private boolean mayProbe(TcpConnection c) {
        return !inRecovery && tlpEndSeq < 0 && c.retransmits == 0 && sent.lostBytes() == 0
                && c.state.synchronizedState();
    }

    private long probeAt(TcpConnection c, long now, long rtoAt) {
        long srtt = c.rtt.srtt();
        long pto = srtt > 0 ? 2 * srtt + TIMER_SLACK : INITIAL_PTO;
        if (c.sndMax - c.sndUna <= c.mss) {
            pto += WORST_CASE_DELAYED_ACK; // a lone segment's ACK may be delayed
        }
        long at = now + pto;
        return rtoAt != 0 ? Math.min(at, rtoAt) : at;
    }

    @Override
    void transmitted(TcpConnection c, long start, long end) {
        boolean fresh = start >= c.sndMax;
        sent.transmitted(start, end, c.now());
        if (inRecovery) {
            prr.sent(end - start);
        }
        if (fresh) {
            probing = false; // a probe's one new segment
            if (!reorderTimer && mayProbe(c)) {
                c.lossTimerAt = probeAt(c, c.now(), c.rtoAt != 0 ? c.rtoAt : c.now() + c.rtt.rto());
            }
        }
    }

    @Override
    void lossTimer(TcpConnection c) {
        if (c.sndMax <= c.sndUna) {
            return;
        }
        if (reorderTimer) {
            reorderTimer = false;
            detectLoss(c);
            if (inRecovery) {
                c.cc.cwnd(prr.onAck(0, pipe(c), c.cc.ssthresh(), c.mss));
            }
            armLossTimer(c, c.rtoAt);
            TcpSender.output(c);
            return;
        }
        if (!mayProbe(c)) {
            return;
        }
        // RFC 8985 §7.3: one new segment if the receive window allows, else the highest again.
        c.tcp.count(TcpCounter.LOSS_PROBES);
        long before = c.sndMax;
        probing = true;
        TcpSender.output(c);
        probing = false;
        tlpRetransmitted = false;
        if (c.sndMax == before) {
            SentSegments.Segment s = sent.highest();
            if (s == null || s.sacked || !resend(c, s)) {
                return;
            }
            tlpRetransmitted = true;
        }
        tlpEndSeq = c.sndMax;
        tlpDsacked = false;
        TcpSender.restartRto(c);
    }

    @Override
    void timeout(TcpConnection c) {
        super.timeout(c);
        afterTimeout = true; // RTO recovery, until SND.UNA passes recoverSeq (SND.MAX now)
        lossAfterRecoveryPoint = false;
        scoreboard.clear(); // RFC 2018 §8: after a timeout, SACK information may have been reneged
        sent.timeout();
        rack.timeout();
        tlpEndSeq = -1;
        reorderTimer = false;
        reorderWait = 0;
        c.lossTimerAt = 0;
    }

    /**
     * After an undo nothing is deemed lost any more (Linux's {@code tcp_undo_cwnd_reduction} with
     * {@code unmark_loss}, as after a timeout or a partial undo): the originals were in flight, and
     * RACK judges them again, not all resent at once with the restored cwnd. A spurious fast
     * recovery shows reordering, as a D-SACK would (RFC 8985 §6.2 step 4; Linux notes it in
     * {@code tcp_check_sack_reordering}): the reordering window is used and widened before RACK
     * looks again (a D-SACK has widened it already).
     */
    @Override
    void undone(TcpConnection c, boolean timeout, boolean reordering) {
        super.undone(c, timeout, reordering);
        lossAfterRecoveryPoint = false;
        sent.undoLoss();
        if (timeout) {
            afterTimeout = false;
        }
        if (reordering) {
            rack.reorderingSeen();
            dsackPending = true;
        }
    }

    /** RFC 6675 NextSeg rule 1, by RACK's marks: the lowest segment deemed lost, if cwnd has room for it. */
    @Override
    boolean retransmitLost(TcpConnection c) {
        long room = c.cc.cwnd() - pipe(c);
        if (room <= 0) {
            return false;
        }
        SentSegments.Segment s = sent.firstLost(c.sndNxt);
        if (s == null || room < Math.min(c.mss, s.length())) {
            return false;
        }
        return resend(c, s);
    }

    /** Sends a segment again (its data up to one MSS, and the FIN if it carried it). */
    private static boolean resend(TcpConnection c, SentSegments.Segment s) {
        long dataEnd = Math.min(s.end, c.sendEnd());
        int len = (int) Math.max(0, Math.min(c.mss, dataEnd - s.start));
        boolean fin = c.finQueued && s.end > c.finSeq && s.start + len == c.finSeq;
        if (len == 0 && !fin) {
            return false;
        }
        int sentBytes = TcpSender.segment(c, s.start, len, TcpHeader.ACK | (fin ? TcpHeader.FIN : 0));
        c.countRetransmit();
        TcpSender.startRtoIfIdle(c);
        return sentBytes > 0 || fin;
    }

    /**
     * RFC 6675 SetPipe by RACK's marks: octets outstanding, less those SACKed and those deemed lost
     * and not retransmitted since. A probe may send one segment beyond cwnd.
     */
    @Override
    long pipe(TcpConnection c) {
        if (probing) {
            return Math.max(0, c.cc.cwnd() - c.mss);
        }
        return Math.max(0, c.sndMax - c.sndUna - sent.sackedBytes() - sent.lostBytes());
    }

    /** Go-back-N after a timeout skips data the peer has SACKed since. */
    @Override
    long nextToSend(TcpConnection c) {
        if (scoreboard.isSacked(c.sndNxt) && c.sndNxt < c.sndMax) {
            return Math.min(scoreboard.nextUnsacked(c.sndNxt), c.sndMax);
        }
        return c.sndNxt;
    }

    @Override
    long sackedBytes() {
        return sent.sackedBytes();
    }

    @Override
    long lostBytes() {
        return sent.lostBytes();
    }
}
