package netkit.tcp;

import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpOptions;

/**
 * Loss detection and recovery of one connection, chosen once the SYN options are known:
 * {@link SackRecovery} (RACK-TLP, RFC 8985, with RFC 6675's pipe and Proportional Rate Reduction,
 * RFC 6937) when both ends are SACK-permitted, else {@link NewRenoRecovery} (three duplicate
 * ACKs, RFC 5681 §3.2 and RFC 6582). Recovery starts at most once per window of data (RFC 6582
 * §3.2 step 2) and ends with an ACK covering the recovery point. The window sizes themselves are
 * {@link netkit.tcp.cc.CongestionControl}'s.
 */
abstract class LossRecovery {
    /** Duplicate ACKs that indicate a loss (DupThresh, RFC 5681 §3.2, RFC 6675 §2). */
    static final int DUP_THRESH = 3;
    boolean inRecovery;
    long recoverSeq; // RFC 6582 "recover": SND.MAX when recovery started; 0 before the first one

    /** Recovery for a connection with ({@code sackOk}) or without SACK; SACK's records come from {@code records}. */
    static LossRecovery create(boolean sackOk, SegmentRecords records) {
        return sackOk ? new SackRecovery(records) : new NewRenoRecovery();
    }

    final boolean inRecovery() {
        return inRecovery;
    }

    /**
     * Enters recovery with the controller's reduction unless this window was recovered already;
     * whether it did.
     */
    final boolean startRecovery(TcpConnection c) {
        if (inRecovery || recoverSeq != 0 && !pastRecoveryPoint(c)) {
            return false;
        }
        enterRecovery(c, false);
        return true;
    }

    /**
     * Whether a loss now belongs to a window after the last recovery's. Without SACK, only once
     * something above "recover" is acknowledged (RFC 6582 §3.2 step 2: a duplicate ACK at the
     * recovery point may still be the old window's).
     */
    boolean pastRecoveryPoint(TcpConnection c) {
        return c.sndUna > recoverSeq;
    }

    /**
     * Enters recovery: the recovery point is SND.MAX, ssthresh and cwnd are the controller's;
     * {@code chained} when it follows a recovery at once (losses in the data sent during it).
     */
    final void enterRecovery(TcpConnection c, boolean chained) {
        c.undo.recoveryStarts(c, chained);
        inRecovery = true;
        recoverSeq = c.sndMax;
        c.cc.onFastRetransmit(flightSize(c), c.now());
        c.tcp.count(TcpCounter.FAST_RETRANSMITS);
    }

    /** FlightSize for the reduction (RFC 5681 §3.2 step 2): SND.MAX − SND.UNA. */
    long flightSize(TcpConnection c) {
        return c.sndMax - c.sndUna;
    }

    /**
     * The SACK blocks of an acceptable ACK of {@code ack}, taken before SND.UNA moves; whether they
     * SACKed new data.
     */
    abstract boolean sackBlocks(TcpConnection c, TcpOptions o, long ack);

    /** SND.UNA advanced by {@code acked} bytes. */
    abstract void newDataAcked(TcpConnection c, long acked);

    /**
     * A duplicate ACK: nothing new acknowledged, and no data, FIN or window change (RFC 5681 §2) or
     * new data SACKed (RFC 6675 §2).
     */
    abstract void duplicateAck(TcpConnection c);

    /** A retransmission timeout ends recovery; recovery may start again only past SND.MAX (RFC 6582 §4). */
    void timeout(TcpConnection c) {
        inRecovery = false;
        recoverSeq = c.sndMax;
    }

    /**
     * The reduction of a fast recovery or ({@code timeout}) a retransmission timeout was undone
     * ({@link Undo}); {@code reordering}: timestamps showed an original only late (a D-SACK shows
     * it by itself). Recovery ends, and a new loss may start one at once. After a timeout the
     * go-back-N retransmission stops: sending resumes with new data (RFC 4015 §3.2; RFC 5682
     * step 3.b sends previously unsent segments once a timeout is found spurious).
     */
    void undone(TcpConnection c, boolean timeout, boolean reordering) {
        inRecovery = false;
        recoverSeq = c.sndUna;
        if (timeout) {
            c.sndNxt = c.sndMax;
        }
    }

    /** A data segment (or FIN) covering [start, end) is about to be sent. */
    void transmitted(TcpConnection c, long start, long end) {
    }

    /** The connection's loss timer ({@code TcpConnection.lossTimerAt}) expired. */
    void lossTimer(TcpConnection c) {
    }

    /** Retransmits one more segment deemed lost if the windows allow; whether it did. */
    abstract boolean retransmitLost(TcpConnection c);

    /** The bytes deemed in flight, which cwnd bounds. */
    abstract long pipe(TcpConnection c);

    /** Outstanding bytes the peer SACKed (0 without SACK: no scoreboard). */
    long sackedBytes() {
        return 0;
    }

    /** Outstanding bytes deemed lost and not yet retransmitted (0 without SACK: no scoreboard). */
    long lostBytes() {
        return 0;
    }

    /** Structures allocated for what is outstanding (0 when nothing is: an idle connection keeps none). */
    int allocated() {
        return 0;
    }

    /** Where new transmission continues: SND.NXT, moved past data the peer is known to hold. */
    abstract long nextToSend(TcpConnection c);
}
