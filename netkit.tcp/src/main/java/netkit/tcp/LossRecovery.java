package netkit.tcp;

import netkit.api.stats.TcpCounter;
import netkit.api.wire.TcpOptions;

/**
 * Fast retransmit and fast recovery (RFC 5681 §3.2) of one connection, chosen once the SYN options
 * are known: {@link SackRecovery} (RFC 6675) when both ends are SACK-permitted, else
 * {@link NewRenoRecovery} (RFC 6582). Both count duplicate ACKs, start recovery when a loss is
 * indicated (at most once per window of data, RFC 6582 §3.2 step 2) by retransmitting the first
 * unacknowledged segment, and end it with an ACK covering the recovery point. They differ in how a
 * loss is detected, what is resent during recovery and how the data in flight is estimated. The
 * window sizes themselves are {@link netkit.tcp.cc.CongestionControl}'s.
 */
abstract class LossRecovery {
    /** Duplicate ACKs that indicate a loss (DupThresh, RFC 5681 §3.2, RFC 6675 §2). */
    static final int DUP_THRESH = 3;
    private int dupAcks;
    private boolean inRecovery;
    private long recoverSeq; // RFC 6582 "recover": SND.MAX when recovery started; 0 before the first one

    /** Recovery for a connection with ({@code sackOk}) or without SACK. */
    static LossRecovery create(boolean sackOk) {
        return sackOk ? new SackRecovery() : new NewRenoRecovery();
    }

    final boolean inRecovery() {
        return inRecovery;
    }

    /** The SACK blocks of an acceptable ACK, taken before SND.UNA moves; whether they SACKed new data. */
    abstract boolean sackBlocks(TcpConnection c, TcpOptions o);

    /** SND.UNA advanced by {@code acked} bytes. */
    void newDataAcked(TcpConnection c, long acked) {
        if (!inRecovery) {
            dupAcks = 0;
            c.cc.onAck(acked, c.now(), c.rtt.srtt());
        } else if (c.sndUna >= recoverSeq) {
            inRecovery = false; // full ACK (RFC 6582 §3.2 step 3)
            dupAcks = 0;
            c.cc.onRecoveryEnd(c.sndMax - c.sndUna);
        } else {
            partialAck(c, acked);
        }
    }

    /**
     * A duplicate ACK: nothing new acknowledged, and no data, FIN or window change (RFC 5681 §2) or
     * new data SACKed (RFC 6675 §2).
     */
    final void duplicateAck(TcpConnection c) {
        dupAcks++;
        if (inRecovery) {
            duplicateAckInRecovery(c);
            return;
        }
        // RFC 6582 §3.2 step 2: no new recovery for losses of a window already recovered.
        if (lossIndicated(c, dupAcks) && (c.sndUna > recoverSeq || recoverSeq == 0)) {
            inRecovery = true;
            recoverSeq = c.sndMax;
            c.cc.onFastRetransmit(c.sndMax - c.sndUna, c.now());
            fastRetransmit(c);
            c.tcp.count(TcpCounter.FAST_RETRANSMITS);
        }
    }

    /** A retransmission timeout ends recovery; recovery may start again only past SND.MAX (RFC 6582 §4). */
    void timeout(TcpConnection c) {
        inRecovery = false;
        dupAcks = 0;
        recoverSeq = c.sndMax;
    }

    /** Whether {@code dupAcks} duplicate ACKs (and what else is known) indicate a lost segment. */
    abstract boolean lossIndicated(TcpConnection c, int dupAcks);

    /** Retransmits the first unacknowledged segment as recovery starts, and sets cwnd for recovery. */
    abstract void fastRetransmit(TcpConnection c);

    /** An ACK during recovery that acknowledges new data below the recovery point. */
    abstract void partialAck(TcpConnection c, long acked);

    /** Another duplicate ACK during recovery. */
    abstract void duplicateAckInRecovery(TcpConnection c);

    /** Retransmits one more segment deemed lost if the windows allow; whether it did. */
    abstract boolean retransmitLost(TcpConnection c);

    /** The bytes deemed in flight, which cwnd bounds. */
    abstract long pipe(TcpConnection c);

    /** Where new transmission continues: SND.NXT, moved past data the peer is known to hold. */
    abstract long nextToSend(TcpConnection c);
}
