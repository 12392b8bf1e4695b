package netkit.tcp;

import netkit.api.wire.TcpHeader;
import netkit.api.wire.TcpOptions;

/**
 * SACK-based loss recovery (RFC 6675): a {@link Scoreboard} of what the peer holds; a loss is
 * indicated by three duplicate ACKs or by DupThresh·MSS SACKed above SND.UNA (IsLost); during
 * recovery the holes below the highest SACKed byte are resent in order while cwnd exceeds the
 * pipe. cwnd is not inflated: the pipe accounts for what has left the network. After a timeout the
 * scoreboard is dropped (RFC 2018 §8).
 */
final class SackRecovery extends LossRecovery {
    private final Scoreboard scoreboard = new Scoreboard();
    private long highRxt; // RFC 6675 HighRxt: the end of the latest retransmission

    @Override
    boolean sackBlocks(TcpConnection c, TcpOptions o) {
        long added = 0;
        for (int i = 0; i < o.sackCount; i++) {
            added += scoreboard.add(c.extendSnd(o.sack[2 * i]), c.extendSnd(o.sack[2 * i + 1]), c.sndUna, c.sndMax);
        }
        return added > 0;
    }

    @Override
    void newDataAcked(TcpConnection c, long acked) {
        scoreboard.ackTo(c.sndUna);
        super.newDataAcked(c, acked);
    }

    @Override
    void timeout(TcpConnection c) {
        super.timeout(c);
        scoreboard.clear(); // RFC 2018 §8: after a timeout, SACK information may have been reneged
    }

    @Override
    boolean lossIndicated(TcpConnection c, int dupAcks) {
        return dupAcks >= DUP_THRESH || scoreboard.sackedAbove(c.sndUna) >= (long) DUP_THRESH * c.mss;
    }

    @Override
    void fastRetransmit(TcpConnection c) {
        highRxt = c.sndUna;
        int sent = TcpSender.retransmitFirst(c);
        if (sent >= 0) {
            highRxt = c.sndUna + Math.max(sent, 1);
        }
    }

    @Override
    void partialAck(TcpConnection c, long acked) {
        // The scoreboard decides what to resend next (retransmitLost).
    }

    @Override
    void duplicateAckInRecovery(TcpConnection c) {
        // No inflation: the SACK it carries shrinks the pipe instead.
    }

    /** RFC 6675 NextSeg rule 1: the first hole below the highest SACKed byte not yet retransmitted. */
    @Override
    boolean retransmitLost(TcpConnection c) {
        if (!inRecovery() || c.cc.cwnd() - pipe(c) < c.mss) {
            return false;
        }
        long from = scoreboard.nextUnsacked(Math.max(highRxt, c.sndUna));
        long highest = scoreboard.highestSacked(c.sndUna);
        if (from >= highest || from >= c.sndMax) {
            return false;
        }
        int len = (int) Math.min(c.mss, scoreboard.holeEnd(from, highest) - from);
        len = (int) Math.min(len, c.sendEnd() - from);
        if (len <= 0) {
            return false;
        }
        len = TcpSender.segment(c, from, len, TcpHeader.ACK);
        highRxt = from + len;
        c.countRetransmit();
        TcpSender.startRtoIfIdle(c);
        return len > 0; // no progress, no next iteration
    }

    /**
     * RFC 6675 SetPipe, by ranges: octets above the highest SACK are in flight; unSACKed octets
     * below it are deemed lost (IsLost), except those already retransmitted (below HighRxt).
     */
    @Override
    long pipe(TcpConnection c) {
        if (!inRecovery()) {
            return c.sndNxt - c.sndUna;
        }
        long highest = scoreboard.highestSacked(c.sndUna);
        long aboveSacks = Math.max(0, c.sndNxt - highest);
        long rxtEdge = Math.max(c.sndUna, Math.min(highRxt, highest));
        long sackedBelowEdge = scoreboard.sackedAbove(c.sndUna) - scoreboard.sackedAbove(rxtEdge);
        long retransmitted = Math.max(0, rxtEdge - c.sndUna - sackedBelowEdge);
        return aboveSacks + retransmitted;
    }

    /** Go-back-N after a timeout skips data the peer has SACKed since. */
    @Override
    long nextToSend(TcpConnection c) {
        if (scoreboard.isSacked(c.sndNxt) && c.sndNxt < c.sndMax) {
            return Math.min(scoreboard.nextUnsacked(c.sndNxt), c.sndMax);
        }
        return c.sndNxt;
    }
}
